"""The programme operator's pages (staff only): market picture, verification, weights,
and the engine's scoring runs."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchmaker.accounts.membership import find_organization
from matchmaker.accounts.services import organization_verify
from matchmaker.matching.selectors import engine_weights
from matchmaker.models import DeclineReason
from matchmaker.operator import exports, services
from matchmaker.operator import selectors as dashboard
from matchmaker.operator.forms import WeightsForm
from matchmaker.operator.permissions import operator_required

GROUPINGS = exports.GROUPINGS


def _funnel_rows(request) -> tuple[str, list[dict]]:
    by = request.GET.get("by", "month")
    by = by if by in GROUPINGS else "month"
    return by, dashboard.funnel(by)


@operator_required
def market(request):
    by, funnel_rows = _funnel_rows(request)
    context = {
        "by": by,
        "groupings": GROUPINGS,
        "by_label": GROUPINGS[by],
        "stages": [label for _stage, label in dashboard.FunnelStage.choices],
        "funnel": dashboard.bars(funnel_rows, dict(dashboard.FunnelStage.choices)),
        "capacity": dashboard.bars(dashboard.capacity_by_instrument(), dashboard.CAPACITY_SERIES),
        "gaps": dashboard.funding_picture(),
    }
    return render(request, "operator/market.html", context)


def _decline_groups(request) -> tuple[str, list]:
    by = request.GET.get("by", "segment")
    by = by if by in GROUPINGS else "segment"
    return by, dashboard.declines(by)


@operator_required
def decline_reasons(request):
    """Why institutions decline, across the market: by segment, instrument or month."""
    by, groups = _decline_groups(request)
    reasons = list(DeclineReason.choices)
    for group in groups:
        group.row = [group.counts.get(code, 0) for code, _label in reasons]
    context = {
        "by": by,
        "groupings": GROUPINGS,
        "by_label": GROUPINGS[by],
        "reasons": [label for _code, label in reasons],
        "groups": groups,
    }
    return render(request, "operator/declines.html", context)


@operator_required
def market_csv(request, table: str):
    """Every table on the dashboard, as the numbers behind its chart (`operator.exports`,
    which the API's `operator/exports/{table}/` writes too)."""
    rows = exports.market_table(table, request.GET.get("by"))
    if rows is None:
        return HttpResponse(status=404)
    response = HttpResponse(exports.as_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{table}.csv"'
    return response


@operator_required
def verification(request):
    firms, institutions = dashboard.verification_queue()
    return render(
        request, "operator/verification.html", {"firms": firms, "institutions": institutions}
    )


@require_POST
@operator_required
def verify_organization(request, organization_id):
    organization = find_organization(organization_id)
    if organization is None:
        return HttpResponse(status=404)
    organization_verify(organization=organization, by=request.user)
    messages.success(request, _("%(name)s is verified.") % {"name": organization.name})
    return redirect("operator:verification")


@operator_required
def weights(request):
    """Edit the programme's default weights; preview a sample project's top matches first."""
    current_weights = engine_weights()
    form = WeightsForm(request.POST or None, initial_weights=current_weights)
    preview, sample = None, None
    if request.method == "POST" and form.is_valid():
        if "save" in request.POST:
            services.engine_weights_save(weights=form.weights(), by=request.user)
            messages.success(
                request, _("Saved. Every pair is being re-scored with the new weights.")
            )
            return redirect("operator:scoring_runs")
        sample = form.cleaned_data["sample"] or dashboard.sample_projects().first()
        if sample is not None:
            preview = dashboard.preview_weights(sample, current_weights, form.weights())
    return render(
        request, "operator/weights.html", {"form": form, "preview": preview, "sample": sample}
    )


@operator_required
def scoring_runs(request):
    runs = dashboard.recent_scoring_runs()
    template = "operator/_scoring_runs.html" if request.htmx else "operator/scoring_runs.html"
    running = any(run.in_progress for run in runs)
    return render(request, template, {"runs": runs, "running": running})


@require_POST
@operator_required
def start_rescore(request):
    if not services.rescore_start(by=request.user):  # a started run says so in its table
        messages.error(
            request,
            _("The task queue is unreachable; the re-score will start as soon as it is back."),
        )
    return redirect("operator:scoring_runs")
