"""Read queries about matches that several views share."""

from django.db.models import Prefetch, QuerySet

from projects.models import Project

from .models import Match, Package, PackageMember, PendingScoring


def matches_of_project(project: Project) -> QuerySet[Match]:
    """A project's current matches, best first, with what the list shows in one query."""
    return (
        Match.objects.filter(project=project, eligible=True)
        .select_related("offering__institution")
        .order_by("-score", "id")
    )


def scoring_pending(project: Project) -> bool:
    return PendingScoring.objects.filter(
        kind=PendingScoring.Kind.PROJECT, object_id=project.pk
    ).exists()


def matches_seen_by_firm(user) -> QuerySet[Match]:
    return Match.objects.filter(project__firm__memberships__user=user)


def packages_of_project(project: Project) -> QuerySet[Package]:
    members = PackageMember.objects.select_related(
        "match__offering__institution", "match__introduction"
    )
    return Package.objects.filter(project=project).prefetch_related(
        Prefetch("members", queryset=members)
    )


def packages_containing(match: Match) -> QuerySet[Package]:
    members = PackageMember.objects.select_related(
        "match__offering__institution", "match__introduction"
    )
    return Package.objects.filter(members__match=match).prefetch_related(
        Prefetch("members", queryset=members)
    )
