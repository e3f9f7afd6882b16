"""The programme operator's pages (staff only): market picture, verification, weights."""

import csv

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import dashboard, tasks
from .membership import find_organization
from .models import EngineSettings
from .registration import verify
from .vocabulary import Criterion

GROUPINGS = {
    "month": gettext_lazy("Month"),
    "segment": gettext_lazy("Segment"),
    "instrument": gettext_lazy("Instrument"),
}


def _funnel_rows(request) -> tuple[str, list[dict]]:
    by = request.GET.get("by", "month")
    by = by if by in GROUPINGS else "month"
    return by, dashboard.funnel(by)


@staff_member_required
def market(request):
    by, funnel_rows = _funnel_rows(request)
    context = {
        "by": by,
        "groupings": GROUPINGS,
        "stages": dashboard.FUNNEL_STAGES,
        "funnel": dashboard.bars(funnel_rows, dashboard.FUNNEL_STAGES),
        "capacity": dashboard.bars(dashboard.capacity_by_instrument(), ["need", "capacity"]),
        "gaps": dashboard.funding_picture(),
    }
    return render(request, "matchmaker/dashboard.html", context)


@staff_member_required
def market_csv(request, table: str):
    """Every table on the dashboard, as the numbers behind its chart."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{table}.csv"'
    writer = csv.writer(response)
    if table == "funnel":
        by, rows = _funnel_rows(request)
        writer.writerow([by, *dashboard.FUNNEL_STAGES])
        writer.writerows([row["label"], *(row[s] for s in dashboard.FUNNEL_STAGES)] for row in rows)
    elif table == "capacity":
        writer.writerow(["instrument", "need_rmb", "capacity_left_rmb"])
        writer.writerows(
            [r["label"], r["need"], r["capacity"]] for r in dashboard.capacity_by_instrument()
        )
    elif table == "gaps":
        writer.writerow(
            [
                "segment",
                "instrument",
                "need_rmb",
                "capacity_rmb",
                "uncovered_rmb",
                "project_id",
                "project",
                "project_uncovered_rmb",
            ]
        )
        for gap in dashboard.funding_picture():
            for project_id, title, amount in gap.projects or [(None, "", 0)]:
                writer.writerow(
                    [
                        gap.segment,
                        gap.instrument,
                        gap.need,
                        gap.capacity,
                        gap.uncovered,
                        project_id,
                        title,
                        amount,
                    ]
                )
    else:
        return HttpResponse(status=404)
    return response


@staff_member_required
def verification(request):
    firms, institutions = dashboard.verification_queue()
    return render(
        request, "matchmaker/verification.html", {"firms": firms, "institutions": institutions}
    )


@require_POST
@staff_member_required
def verify_organization(request, organization_id):
    organization = find_organization(organization_id)
    if organization is None:
        return HttpResponse(status=404)
    verify(organization)
    messages.success(request, _("%(name)s is verified.") % {"name": organization.name})
    return redirect("operator:verification")


class WeightsForm(forms.Form):
    sample = forms.ModelChoiceField(
        queryset=None, required=False, label=gettext_lazy("Sample project")
    )

    def __init__(self, *args, initial_weights: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sample"].queryset = dashboard.sample_projects()
        for criterion in Criterion:
            self.fields[criterion.value] = forms.FloatField(
                label=criterion.label,
                min_value=0,
                max_value=10,
                initial=initial_weights.get(criterion.value, 1),
            )

    @property
    def weight_fields(self):
        return [self[criterion.value] for criterion in Criterion]

    def weights(self) -> dict:
        return {criterion.value: self.cleaned_data[criterion.value] for criterion in Criterion}


@staff_member_required
def weights(request):
    """Edit the programme's default weights; preview a sample project's top matches first."""
    engine = EngineSettings.current()
    form = WeightsForm(request.POST or None, initial_weights=engine.weights)
    preview, sample = None, None
    if request.method == "POST" and form.is_valid():
        if "save" in request.POST:
            with transaction.atomic():
                engine.weights = form.weights()
                engine.save()
                user_id = request.user.pk
                transaction.on_commit(lambda: tasks.enqueue(tasks.rescore_all, user_id))
            messages.success(
                request, _("Saved. Every pair is being re-scored with the new weights.")
            )
            return redirect("matches:scoring_runs")
        sample = form.cleaned_data["sample"] or dashboard.sample_projects().first()
        if sample is not None:
            preview = dashboard.preview_weights(sample, engine.weights, form.weights())
    return render(
        request, "matchmaker/weights.html", {"form": form, "preview": preview, "sample": sample}
    )
