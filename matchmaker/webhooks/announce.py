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
    FIRM,
    INSTITUTION,
    INTRODUCTION_ACCEPTED,
    INTRODUCTION_REFUSED,
    INTRODUCTION_REQUESTED,
    MATCH_CREATED,
    MATCH_DECIDED,
    MATCH_MOVED,
    emit,
    subscribers_among,
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
    concerned: each hears only of its own projects' or offerings' matches.

    Who listens is asked once, from the new matches' owner ids alone; the matches are
    loaded only for owners with a subscribed endpoint (usually none: this runs after
    every submission and every re-score chunk)."""
    fresh = matches_created_since(project_ids, since)
    owner_ids = fresh.values_list("project__firm_id", "offering__institution_id")
    firm_ids, institution_ids = set(), set()
    for firm_id, institution_id in owner_ids:
        firm_ids.add(firm_id)
        institution_ids.add(institution_id)
    listening = subscribers_among(
        MATCH_CREATED.code, firm_ids=firm_ids, institution_ids=institution_ids
    )
    if not listening:
        return 0
    by_owner = defaultdict(list)
    owners = {}
    loaded = (
        fresh.filter(
            Q(project__firm_id__in=[pk for kind, pk in listening if kind == FIRM])
            | Q(offering__institution_id__in=[pk for kind, pk in listening if kind == INSTITUTION])
        )
        .select_related("project__firm", "offering__institution")
        .prefetch_related("project__needs")
        .order_by("-score", "id")
    )
    for found in loaded:
        for key, owner in (
            ((FIRM, found.project.firm_id), found.project.firm),
            ((INSTITUTION, found.offering.institution_id), found.offering.institution),
        ):
            if key in listening:
                by_owner[key].append(found)
                owners[key] = owner
    sent = 0
    for key, owned in by_owner.items():
        for start in range(0, len(owned), MATCHES_PER_EVENT):
            chunk = owned[start : start + MATCHES_PER_EVENT]
            event = emit(
                MATCH_CREATED.code,
                owners[key],
                lambda c=chunk: payloads.matches(c),
                endpoints=listening[key],
            )
            sent += event is not None
    return sent


def document_shared(document) -> None:
    """A firm added a document: institutions whose introduction it accepted may open it."""
    accepted = Match.objects.filter(
        Q(introduction__state=IntroductionState.ACCEPTED), project_id=document.project_id
    ).select_related("offering__institution")
    institutions = {m.offering.institution_id: m.offering.institution for m in accepted}
    for institution in institutions.values():
        emit(DOCUMENT_SHARED.code, institution, lambda: payloads.document(document))
