"""Who may see which match, written once for the web pages (and the API to come).

An institution sees a project only through a match of one of its own offerings; another
tenant's match is a 404. Contacts and documents open only after the firm accepts.
"""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from projects.models import ProjectStatus

from .models import Introduction, IntroductionState, Match, MatchStatus


def matches_of_institution_member(user) -> QuerySet[Match]:
    """Every match the user's institution may open: live projects, or ones it acted on."""
    if not user.is_authenticated:
        return Match.objects.none()
    return Match.objects.filter(offering__institution__memberships__user=user).filter(
        Q(project__status=ProjectStatus.SUBMITTED) | ~Q(status=MatchStatus.NEW)
    )


def institution_match(user, pk: int) -> Match:
    return get_object_or_404(
        matches_of_institution_member(user).select_related(
            "project__firm", "offering__institution", "introduction"
        ),
        pk=pk,
    )


def contacts_visible(match: Match) -> bool:
    introduction = getattr(match, "introduction", None)
    return introduction is not None and introduction.state == IntroductionState.ACCEPTED


def introductions_of_firm_member(user) -> QuerySet[Introduction]:
    if not user.is_authenticated:
        return Introduction.objects.none()
    return Introduction.objects.filter(match__project__firm__memberships__user=user).exclude(
        state=IntroductionState.WITHDRAWN
    )


def introductions_to_answer(user) -> QuerySet[Introduction]:
    """Requests the user's side received: a firm answers institutions, and the reverse."""
    if not user.is_authenticated:
        return Introduction.objects.none()
    to_firm = Q(
        initiated_by=Introduction.Side.INSTITUTION, match__project__firm__memberships__user=user
    )
    to_institution = Q(
        initiated_by=Introduction.Side.FIRM, match__offering__institution__memberships__user=user
    )
    return Introduction.objects.filter(to_firm | to_institution).exclude(
        state=IntroductionState.WITHDRAWN
    )
