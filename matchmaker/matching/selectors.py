"""Read queries about a project's matches and packages that several views share.

Who may see them is decided before these are called (`review.selectors`,
`projects.selectors`); these only shape what the pages and the API show.
"""

from django.db import connections
from django.db.models import Prefetch, QuerySet

from matchmaker.models import (
    EngineSettings,
    Match,
    MatchStatus,
    Package,
    PackageMember,
    PendingScoring,
)
from matchmaker.read_once import read_once_per_change
from matchmaker.written_areas import RECORDS
from projects.models import Project, ProjectStatus


def matches_of_project(project: Project) -> QuerySet[Match]:
    """A project's current matches, best first, with what the list shows in one query."""
    return (
        Match.objects.filter(project=project, eligible=True)
        .select_related("offering__institution")
        .order_by("-score", "id")
    )


# A match an institution declined, or whose introduction it refused, no longer serves the
# need: "why nothing matched" must stay for that need.
CLOSED_FOR_THE_FIRM = (MatchStatus.DECLINED, MatchStatus.CLOSED_LOST)


def matches_created_since(project_ids, since) -> QuerySet[Match]:
    """The matches that count as new: eligible, created since `since`, for these projects
    while they are submitted (the firms' daily notice and the `match.created` webhook)."""
    return Match.objects.filter(
        project_id__in=project_ids,
        created_at__gte=since,
        eligible=True,
        project__status=ProjectStatus.SUBMITTED,
    )


def matched_instruments(project: Project) -> set[str]:
    """Instruments with at least one match still open to the firm."""
    return set(
        Match.objects.filter(project=project, eligible=True)
        .exclude(status__in=CLOSED_FOR_THE_FIRM)
        .values_list("offering__instrument", flat=True)
        .distinct()
    )


def closed_offering_ids(project: Project) -> set[int]:
    """Offerings whose institution already said no to this project."""
    return set(
        Match.objects.filter(project=project, status__in=CLOSED_FOR_THE_FIRM).values_list(
            "offering_id", flat=True
        )
    )


def scoring_pending(project: Project) -> bool:
    return PendingScoring.objects.filter(
        kind=PendingScoring.Kind.PROJECT, object_id=project.pk
    ).exists()


def _with_members(packages: QuerySet[Package]) -> QuerySet[Package]:
    members = PackageMember.objects.select_related(
        "match__offering__institution", "match__introduction"
    )
    return packages.prefetch_related(Prefetch("members", queryset=members))


def packages_of_project(project: Project) -> QuerySet[Package]:
    return _with_members(Package.objects.filter(project=project))


def packages_containing(match: Match) -> QuerySet[Package]:
    return _with_members(Package.objects.filter(members__match=match))


def engine_weights() -> dict:
    """The programme's default weights, as operators last saved them; read again only
    when a record may have changed (`read_once_per_change`: every page of explained
    rows asks). The caller's own copy."""
    database = connections[EngineSettings.objects.db]
    kept = read_once_per_change(
        database,
        "engine-weights",
        "current",
        lambda: EngineSettings.current().weights,
        area=RECORDS,
    )
    return dict(kept)
