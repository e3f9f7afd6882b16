"""Institution-side pages: publish, edit, pause and close offerings."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import lifecycle
from .filters import OfferingFilter
from .forms import OfferingForm, OfferingStatusForm
from .models import Offering, OfferingStatus
from .permissions import institution_member_required, own_offering

ACTION_LABELS = {
    OfferingStatus.DRAFT: gettext_lazy("Back to draft"),
    OfferingStatus.ACTIVE: gettext_lazy("Activate"),
    OfferingStatus.PAUSED: gettext_lazy("Pause"),
    OfferingStatus.CLOSED: gettext_lazy("Close"),
}


@institution_member_required
def offering_list(request):
    offerings = Offering.objects.filter(institution=request.institution)
    offering_filter = OfferingFilter(request.GET, queryset=offerings)
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
        if lifecycle.can_move(offering, status)
    ]
    return render(
        request,
        "investors/offering_detail.html",
        {"offering": offering, "status_moves": status_moves},
    )


@institution_member_required
def offering_create(request):
    form = OfferingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            offering = form.save(commit=False)
            offering.institution = request.institution
            offering.save()
            lifecycle.record_change(offering)
        messages.success(request, _("Offering published."))
        return redirect("investors:detail", pk=offering.pk)
    return render(request, "investors/offering_form.html", {"form": form, "offering": None})


@institution_member_required
def offering_edit(request, pk: int):
    offering = own_offering(request, pk)
    form = OfferingForm(request.POST if request.method == "POST" else None, instance=offering)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            lifecycle.record_change(offering)
        messages.success(request, _("Offering saved."))
        return redirect("investors:detail", pk=offering.pk)
    return render(request, "investors/offering_form.html", {"form": form, "offering": offering})


@require_POST
@institution_member_required
def offering_status(request, pk: int):
    offering = own_offering(request, pk)
    form = OfferingStatusForm(request.POST)
    if form.is_valid() and lifecycle.move(offering, form.cleaned_data["status"]):
        offering.refresh_from_db()
        messages.success(
            request,
            _("The offering is now %(status)s.") % {"status": offering.get_status_display()},
        )
    else:
        messages.error(request, _("That change of status is not possible."))
    return redirect("investors:detail", pk=pk)
