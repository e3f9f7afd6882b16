"""The firm's view of the engine's work: a project's ranked matches and packages, and one
match explained criterion by criterion."""

from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, render

from matchmaker.matching import selectors, stacks, why
from matchmaker.matching.explain import explain
from matchmaker.review.selectors import matches_of_firm_member
from projects.permissions import firm_member_required, own_project


@firm_member_required
def project_matches(request, pk: int):
    """The project's matches; htmx polls this fragment while scoring is pending."""
    project = own_project(request, pk)
    prefetch_related_objects([project], "needs")  # read by the status, the why and the gaps
    matches = selectors.matches_of_project(project)
    page = Paginator(matches, 25).get_page(request.GET.get("page"))
    up_for_matching = project.is_submitted and project.firm.verified
    pending = up_for_matching and selectors.scoring_pending(project)
    matchable = up_for_matching and not pending
    packages = list(selectors.packages_of_project(project)) if matchable else []
    context = {
        "project": project,
        "page": page,
        "pending": pending,
        "packages": packages,
        "unmatched": why.unmatched_needs(
            project, selectors.matched_instruments(project), selectors.closed_offering_ids(project)
        )
        if matchable
        else [],
    }
    why.explain_package_gaps(project, packages, matches)
    stacks.explain_members(project, packages)
    template = "firm/_project_matches.html" if request.htmx else "firm/project_matches.html"
    return render(request, template, context)


@firm_member_required
def match_detail(request, pk: int):
    match = get_object_or_404(
        matches_of_firm_member(request.user).select_related(
            "project", "offering__institution", "offering__learned_weights"
        ),
        pk=pk,
    )
    components = explain(match, selectors.engine_weights())
    return render(request, "firm/match_detail.html", {"match": match, "components": components})
