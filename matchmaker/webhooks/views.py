"""The organisation's webhook pages: its endpoints, each one's delivery log, and the
actions the API offers too (pause, resume, rotate the secret, test, replay, delete)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchmaker.accounts.membership import organization_of
from matchmaker.webhooks import selectors, services
from matchmaker.webhooks.forms import EndpointForm

SECRET_SESSION_KEY = "webhook-secret-{}"


def _organization(request):
    organization = organization_of(request.user)
    if organization is None:
        raise Http404
    return organization


def _show_secret_once(request, endpoint) -> None:
    request.session[SECRET_SESSION_KEY.format(endpoint.pk)] = endpoint.secret


@login_required
def endpoint_list(request):
    organization = _organization(request)
    form = EndpointForm(request.POST or None, kind=organization.kind)
    if request.method == "POST" and form.is_valid():
        endpoint = services.endpoint_create(
            organization=organization, by=request.user, **form.cleaned_data
        )
        _show_secret_once(request, endpoint)
        return redirect("webhooks:detail", endpoint.pk)
    endpoints = selectors.endpoints_of(request.user)
    return render(request, "webhooks/list.html", {"endpoints": endpoints, "form": form})


@login_required
def endpoint_detail(request, pk: int):
    endpoint = get_object_or_404(selectors.endpoints_of(request.user), pk=pk)
    deliveries = selectors.deliveries_of(request.user).filter(endpoint=endpoint)
    page = Paginator(deliveries, 30).get_page(request.GET.get("page"))
    secret = request.session.pop(SECRET_SESSION_KEY.format(endpoint.pk), None)
    return render(
        request, "webhooks/detail.html", {"endpoint": endpoint, "page": page, "secret": secret}
    )


ACTIONS = {
    "pause": lambda endpoint, user: services.endpoint_update(
        endpoint=endpoint, by=user, active=False
    ),
    "resume": lambda endpoint, user: services.endpoint_resume(endpoint=endpoint, by=user),
    "rotate": lambda endpoint, user: services.endpoint_rotate_secret(endpoint=endpoint, by=user),
    "ping": lambda endpoint, user: services.endpoint_ping(endpoint=endpoint, by=user),
}


@login_required
@require_POST
def endpoint_action(request, pk: int, action: str):
    endpoint = get_object_or_404(selectors.endpoints_of(request.user), pk=pk)
    if action == "delete":
        services.endpoint_delete(endpoint=endpoint, by=request.user)
        messages.success(request, _("The endpoint was deleted."))
        return redirect("webhooks:list")
    result = ACTIONS[action](endpoint, request.user)
    if action == "rotate":
        _show_secret_once(request, result)
    messages.success(request, _("Done."))
    return redirect("webhooks:detail", endpoint.pk)


@login_required
@require_POST
def delivery_replay(request, pk: int):
    delivery = get_object_or_404(selectors.deliveries_of(request.user), pk=pk)
    services.delivery_replay(delivery=delivery, by=request.user)
    messages.success(request, _("The event will be sent again."))
    return redirect("webhooks:detail", delivery.endpoint_id)
