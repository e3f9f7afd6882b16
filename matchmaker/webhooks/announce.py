"""The review's events, one function per kind of change, called by the services inside
their transaction: each decides which organisations hear of it and builds what each may
see (`payloads`). Both sides of a match hear of its decisions, moves and introductions;
the institution's decline reason never travels (the API does not show it either)."""

from collections import defaultdict

from django.db.models import Q

from matchmaker.matching.selectors import matches_created_since
from matchmaker.models import Introduction, IntroductionState, Match
from matchmaker.webhooks import payloads
from matchmaker.webhooks.events import (
    DOCUMENT_SHARED,
    INTRODUCTION_ACCEPTED,
    INTRODUCTION_REFUSED,
    INTRODUCTION_REQUESTED,
    MATCH_CREATED,
    MATCH_DECIDED,
    MATCH_MOVED,
    emit,
)

MATCHES_PER_EVENT = 100
INTRODUCTION_EVENTS = {
    IntroductionState.REQUESTED: INTRODUCTION_REQUESTED.code,
    IntroductionState.ACCEPTED: INTRODUCTION_ACCEPTED.code,
    IntroductionState.REFUSED: INTRODUCTION_REFUSED.code,
}


def _both_sides(match: Match) -> tuple:
    match = Match.objects.select_related("project__firm", "offering__institution").get(pk=match.pk)
    return match, (match.project.firm, match.offering.institution)


def match_decided(match: Match) -> None:
    """An institution shortlisted, declined, or took its decision back."""
    match, sides = _both_sides(match)
    for organization in sides:
        emit(MATCH_DECIDED.code, organization, lambda: payloads.match(match))


def match_moved(match: Match, from_status: str) -> None:
    """A move along the pipeline after the introduction (in talks → term sheet → closed)."""
    match, sides = _both_sides(match)
    for organization in sides:
        emit(MATCH_MOVED.code, organization, lambda: payloads.match(match, from_status=from_status))


def introduction_changed(introduction: Introduction) -> None:
    """An introduction was requested (by either side), accepted or refused."""
    event_type = INTRODUCTION_EVENTS.get(introduction.state)
    if event_type is None:
        return
    introduction = Introduction.objects.select_related(
        "match__project__firm", "match__offering__institution"
    ).get(pk=introduction.pk)
    match = introduction.match
    for organization in (match.project.firm, match.offering.institution):
        emit(event_type, organization, lambda: payloads.introduction(introduction))


def new_matches(project_ids, since) -> int:
    """Matches created since `since` for these projects, to each firm and institution
    concerned: each hears only of its own projects' or offerings' matches."""
    fresh = (
        matches_created_since(project_ids, since)
        .select_related("project__firm", "offering__institution")
        .prefetch_related("project__needs")
        .order_by("-score", "id")
    )
    by_owner = defaultdict(list)
    owners = {}
    for found in fresh:
        for owner in (found.project.firm, found.offering.institution):
            by_owner[owner.pk].append(found)
            owners[owner.pk] = owner
    sent = 0
    for owner_id, owned in by_owner.items():
        for start in range(0, len(owned), MATCHES_PER_EVENT):
            chunk = owned[start : start + MATCHES_PER_EVENT]
            sent += (
                emit(MATCH_CREATED.code, owners[owner_id], lambda c=chunk: payloads.matches(c))
                is not None
            )
    return sent


def document_shared(document) -> None:
    """A firm added a document: institutions whose introduction it accepted may open it."""
    accepted = Match.objects.filter(
        Q(introduction__state=IntroductionState.ACCEPTED), project_id=document.project_id
    ).select_related("offering__institution")
    institutions = {m.offering.institution_id: m.offering.institution for m in accepted}
    for institution in institutions.values():
        emit(DOCUMENT_SHARED.code, institution, lambda: payloads.document(document))
