"""Match pages: a firm's ranked, explained matches, and the operator's scoring runs."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projects.models import Project
from projects.permissions import firm_member_required

from . import review, selectors, tasks
from .explain import explain
from .models import EngineSettings, Package, ScoringRun


@firm_member_required
def project_matches(request, pk: int):
    """The project's matches; htmx polls this fragment while scoring is pending."""
    project = get_object_or_404(Project.objects.filter(firm=request.firm), pk=pk)
    page = Paginator(selectors.matches_of_project(project), 25).get_page(request.GET.get("page"))
    context = {
        "project": project,
        "page": page,
        "pending": selectors.scoring_pending(project),
        "packages": selectors.packages_of_project(project),
    }
    template = (
        "matchmaker/_project_matches.html" if request.htmx else "matchmaker/project_matches.html"
    )
    return render(request, template, context)


@firm_member_required
def firm_match_detail(request, pk: int):
    match = get_object_or_404(
        selectors.matches_seen_by_firm(request.user).select_related(
            "project", "offering__institution"
        ),
        pk=pk,
    )
    components = explain(match, EngineSettings.current().weights)
    return render(
        request, "matchmaker/firm_match_detail.html", {"match": match, "components": components}
    )


@staff_member_required
def scoring_runs(request):
    runs = ScoringRun.objects.select_related("triggered_by")[:20]
    template = "matchmaker/_scoring_runs.html" if request.htmx else "matchmaker/scoring_runs.html"
    running = any(run.status == ScoringRun.Status.RUNNING for run in runs)
    return render(request, template, {"runs": runs, "running": running})


@require_POST
@staff_member_required
def start_rescore(request):
    if tasks.enqueue(tasks.rescore_all, request.user.pk):
        messages.success(request, _("A full re-score has started."))
    else:
        messages.error(request, _("The task queue is unreachable; try again in a minute."))
    return redirect("matches:scoring_runs")


@require_POST
@firm_member_required
def ask_package(request, pk: int, rank: int):
    """Ask every member of a package for an introduction at once; each answers on its own."""
    project = get_object_or_404(Project.objects.filter(firm=request.firm), pk=pk)
    package = get_object_or_404(Package.objects.filter(project=project), rank=rank)
    message = _("%(firm)s would like to discuss “%(project)s” as part of a financing package.") % {
        "firm": request.firm.name,
        "project": project.title,
    }
    asked = 0
    for member in package.members.select_related("match"):
        try:
            review.request_introduction_from_firm(member.match, request.user, message)
            asked += 1
        except ValidationError:
            continue  # already asked, declined or closed: that institution is skipped
    messages.success(
        request,
        _("Asked %(count)s institutions for an introduction; each accepts or refuses on its own.")
        % {"count": asked},
    )
    return redirect("projects:detail", pk=pk)
