"""Institution-side pages: publish, edit, pause and close offerings.

Views orchestrate: the permission helpers find the institution's own objects, forms
validate, `services` writes.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import services
from .filters import OfferingFilter
from .forms import OfferingForm, OfferingStatusForm
from .models import OfferingStatus
from .permissions import institution_member_required, own_offering
from .selectors import offerings_visible_to

ACTION_LABELS = {
    OfferingStatus.DRAFT: gettext_lazy("Back to draft"),
    OfferingStatus.ACTIVE: gettext_lazy("Activate"),
    OfferingStatus.PAUSED: gettext_lazy("Pause"),
    OfferingStatus.CLOSED: gettext_lazy("Close"),
}


@institution_member_required
def offering_list(request):
    offering_filter = OfferingFilter(request.GET, queryset=offerings_visible_to(request.user))
    page = Paginator(offering_filter.qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "investors/offering_list.html",
        {"filter": offering_filter, "page": page, "institution": request.institution},
    )


@institution_member_required
def offering_detail(request, pk: int):
    offering = own_offering(request, pk)
    status_moves = [
        (status, ACTION_LABELS[status])
        for status in OfferingStatus
        if services.can_move(offering=offering, status=status)
    ]
    return render(
        request,
        "investors/offering_detail.html",
        {"offering": offering, "status_moves": status_moves, "closing": OfferingStatus.CLOSED},
    )


@institution_member_required
def offering_create(request):
    form = OfferingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            offering = services.offering_create(
                institution=request.institution, by=request.user, fields=form.service_fields()
            )
        except ValidationError as error:  # e.g. nothing left to lend: not published
            form.add_error(None, error)
        else:
            messages.success(request, _("Offering published."))
            return redirect("investors:detail", pk=offering.pk)
    return render(request, "investors/offering_form.html", {"form": form, "offering": None})


@institution_member_required
def offering_edit(request, pk: int):
    offering = own_offering(request, pk)
    form = OfferingForm(request.POST if request.method == "POST" else None, instance=offering)
    if request.method == "POST" and form.is_valid():
        try:
            services.offering_update(
                offering=offering, by=request.user, fields=form.service_fields()
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Offering saved."))
        return redirect("investors:detail", pk=offering.pk)
    return render(request, "investors/offering_form.html", {"form": form, "offering": offering})


@require_POST
@institution_member_required
def offering_status(request, pk: int):
    offering = own_offering(request, pk)
    form = OfferingStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("That change of status is not possible."))
        offering = services.offering_move(
            offering=offering, by=request.user, status=form.cleaned_data["status"]
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("The offering is now %(status)s.") % {"status": offering.get_status_display()},
        )
    return redirect("investors:detail", pk=pk)
