"""Suggestions come from consistent declines alone and show where declining happens (the
match list), never under a "Nothing yet" that contradicts them."""

import pytest
from django.urls import reverse

from matchmaker.models import Match, MatchStatus
from matchmaker.review.suggestions import suggestions_for
from tests.conftest import logged_in_client
from tests.factories import ProjectFactory
from tests.matchmaker.review.test_suggestions import decide, fund  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_five_consistent_declines_suggest_a_floor_without_any_shortlist(fund):  # noqa: F811
    member, offering = fund
    decide(member, offering, [4, 5, 5, 6, 6], [])
    (suggestion,) = suggestions_for(member.institution.offerings.all())
    assert suggestion.change == {"trl_min": 7}
    assert suggestion.text == (
        "You declined 5 of 5 projects below TRL 7 as too early: require TRL 7 on “Seed equity”?"
    )


def test_declines_for_mixed_reasons_alone_suggest_nothing(fund):  # noqa: F811
    member, offering = fund
    decide(member, offering, [4, 5, 6], [])
    for trl in (5, 6):
        project = ProjectFactory(trl=trl)
        from matchmaker.matching import scoring
        from matchmaker.review import services as review

        scoring.score_project(project.pk)
        match = Match.objects.get(project=project, offering=offering)
        review.match_decline(match=match, reason="ticket_too_small", by=member.user)
    assert suggestions_for(member.institution.offerings.all()) == []


def test_the_match_list_shows_the_suggestion_and_answering_returns_to_it(fund):  # noqa: F811
    member, offering = fund
    decide(member, offering, [4, 5, 5, 6, 6], [])
    ProjectFactory(trl=8)  # something still to decide on
    client = logged_in_client(member.user)
    url = reverse("institution:match_list") + "?sort=-score"
    page = client.get(url).content.decode()
    assert "require TRL 7 on “Seed equity”?" in page
    assert f'name="next" value="{url}"' in page
    answered = client.post(
        reverse("institution:suggestion_dismiss"),
        {"offering": offering.pk, "kind": "require_trl", "value": 7, "next": url},
    )
    assert answered.url == url
    assert "require TRL 7" not in client.get(url).content.decode()


def test_the_offering_page_does_not_say_nothing_yet_above_a_suggestion(fund):  # noqa: F811
    member, offering = fund
    decide(member, offering, [4, 5, 5, 6, 6], [])
    page = logged_in_client(member.user).get(
        reverse("institution:offering_learning", args=[offering.pk])
    )
    text = page.content.decode()
    assert "require TRL 7 on “Seed equity”?" in text
    assert "Nothing yet" not in text
    assert offering.matches.filter(status=MatchStatus.DECLINED).count() == 5


def test_the_lists_suggestions_follow_each_decision_and_each_language(fund):  # noqa: F811
    """They are kept with the list (under its fingerprint): the decline that completes the
    evidence shows its suggestion at once, and a kept suggestion is said in the language
    asked for."""
    member, offering = fund
    decide(member, offering, [4, 5, 5, 6], [])
    ProjectFactory(trl=8)
    client = logged_in_client(member.user)
    url = reverse("institution:match_list")
    assert "require TRL 7" not in client.get(url).content.decode()
    decide(member, offering, [6], [])
    assert "require TRL 7 on “Seed equity”?" in client.get(url).content.decode()
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "是否将“Seed equity”的技术成熟度要求提高到 7 级？" in chinese


def test_a_rescore_leaves_the_lists_suggestions_cached(fund):  # noqa: F811
    """They are drawn from decisions, offerings and projects, not from scores: a re-score
    builds the list again but does not read the decisions again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from matchmaker.matching import scoring

    member, offering = fund
    decide(member, offering, [4, 5, 5, 6, 6], [])
    client = logged_in_client(member.user)
    url = reverse("institution:match_list")
    assert "require TRL 7 on “Seed equity”?" in client.get(url).content.decode()
    scoring.score_offering(offering.pk)
    with CaptureQueriesContext(connection) as after:
        page = client.get(url).content.decode()
    assert "require TRL 7 on “Seed equity”?" in page
    decisions_read = [
        q for q in after.captured_queries if "matchmaker_matchevent" in q["sql"]
    ]  # (the declines' reasons)
    assert decisions_read == []


def test_a_decline_alone_brings_the_lists_suggestion_at_once(fund):  # noqa: F811
    """The fifth decline, of a match listed already (no project or offering changes), shows
    the suggestion on the next page."""
    from matchmaker.matching import scoring
    from matchmaker.review import services as review

    member, offering = fund
    decide(member, offering, [4, 5, 5, 6], [])
    fifth = ProjectFactory(trl=6)
    scoring.score_project(fifth.pk)
    client = logged_in_client(member.user)
    url = reverse("institution:match_list")
    assert "require TRL 7" not in client.get(url).content.decode()
    match = Match.objects.get(project=fifth, offering=offering)
    review.match_decline(match=match, by=member.user, reason="stage_too_early")
    assert "require TRL 7 on “Seed equity”?" in client.get(url).content.decode()
