"""Each project card of an institution's match list is kept on its own, under what it
shows (the institution's data fingerprint, the language, the project and its matches on
this list): another sort, filter, page or page size of the list that shows the same project
with the same matches reads none of them again (#26). Never stale, never another
institution's, never another language's, never a card with other matches."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from matchmaker.matching import scoring
from matchmaker.models import Match, MatchStatus
from matchmaker.review import services as review
from projects.models import FundingNeed, Project
from tests.conftest import logged_in_client
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db
URL = "/institution/matches/"
CARD = re.compile(r'<article class="card match-group">.*?</article>', re.S)


def cards(page) -> list[str]:
    return CARD.findall(page.content.decode())


def matches_read(queries) -> list[str]:
    """The page's matches, read with their projects and offerings (`groups_of`)."""
    return [q["sql"] for q in queries if '"matchmaker_match"."project_id" IN (' in q["sql"]]


@pytest.fixture
def listed():
    """An institution with two offerings, each matched to three projects."""
    member = InstitutionMemberFactory()
    offerings = [
        OfferingFactory(institution=member.institution, name=name)
        for name in ("Growth equity", "Venture debt")
    ]
    for title in ("Ka-band terminal line", "Propellant depot", "Star tracker line"):
        scoring.score_project(ProjectFactory(title=title).pk)
    assert Match.objects.filter(offering__in=offerings).count() == 6
    return member, offerings, logged_in_client(member.user)


def test_another_sort_shows_the_kept_cards_without_reading_a_match(listed):
    _member, _offerings, client = listed
    best_first = cards(client.get(URL))
    with CaptureQueriesContext(connection) as again:
        lowest_first = cards(client.get(URL + "?sort=score"))
    assert matches_read(again.captured_queries) == []
    assert len(best_first) == 3 and sorted(lowest_first) == sorted(best_first)


def test_kept_cards_are_the_cards_built_afresh(listed):
    _member, _offerings, client = listed
    client.get(URL)
    client.get(URL + "?page_size=2")
    assembled = cards(client.get(URL + "?sort=newest"))
    cache.clear()
    with CaptureQueriesContext(connection) as fresh_read:
        fresh = cards(client.get(URL + "?sort=newest"))
    assert matches_read(fresh_read.captured_queries)  # built afresh, not kept
    assert assembled == fresh and len(fresh) == 3


def test_a_card_that_shows_other_matches_is_another_card(listed):
    _member, offerings, client = listed
    both = cards(client.get(URL))
    assert all("Growth equity" in card and "Venture debt" in card for card in both)
    one = cards(client.get(URL + f"?offering={offerings[1].pk}"))
    assert len(one) == 3
    assert all("Venture debt" in card and "Growth equity" not in card for card in one)


def test_a_decision_changes_the_kept_card_at_once(listed):
    member, offerings, client = listed
    client.get(URL)
    match = Match.objects.filter(offering=offerings[0]).first()
    review.match_move(match=match, to_status=MatchStatus.SHORTLISTED, by=member.user)
    moved = client.get(URL + "?sort=score").content.decode()
    assert '<span class="badge shortlisted">Shortlisted</span>' in moved


def test_another_institution_never_gets_a_kept_card(listed):
    _member, _offerings, client = listed
    client.get(URL)
    other = InstitutionMemberFactory()
    OfferingFactory(institution=other.institution, name="Launch cover")
    for project_id in Match.objects.values_list("project_id", flat=True).distinct():
        scoring.score_project(project_id)
    theirs = cards(logged_in_client(other.user).get(URL + "?sort=score"))
    assert len(theirs) == 3
    assert all("Launch cover" in card for card in theirs)
    assert not any("Growth equity" in card or "Venture debt" in card for card in theirs)


def test_each_language_gets_its_own_kept_cards(listed):
    _member, _offerings, client = listed
    client.get(URL)
    chinese = cards(client.get(URL + "?sort=score", HTTP_ACCEPT_LANGUAGE="zh-CN"))
    assert len(chinese) == 3
    assert all("列入关注" in card and ">Shortlist<" not in card for card in chinese)


def test_cards_are_built_from_values_not_model_instances(listed):
    """A page of cards built afresh reads its matches, projects and needs as plain values:
    as model instances (a match, its project and its offering each) they took some 40 %
    longer to read (#26)."""
    _member, _offerings, client = listed
    built = []

    def count(sender, **kwargs):
        built.append(sender)

    for model in (Match, Project, FundingNeed):
        post_init.connect(count, sender=model, weak=False)
    try:
        fresh = cards(client.get(URL))
    finally:
        for model in (Match, Project, FundingNeed):
            post_init.disconnect(count, sender=model)
    assert len(fresh) == 3 and all("Growth equity" in card for card in fresh)
    assert built == []
