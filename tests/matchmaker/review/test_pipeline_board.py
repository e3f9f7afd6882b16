"""The pipeline board: cards carry amount and (after an accepted introduction) the firm,
and move from the board itself."""

import pytest
from django.urls import reverse

from matchmaker.models import MatchStatus
from matchmaker.review import services as review
from matchmaker.review.introductions import introduction_answer, introduction_request
from tests.conftest import logged_in_client
from tests.matchmaker.review.helpers import matched_pair

pytestmark = pytest.mark.django_db


def test_a_shortlisted_card_shows_the_amount_but_not_the_firm():
    pair = matched_pair(needs={"equity": 120_000_000})
    review.match_move(match=pair.match, to_status=MatchStatus.SHORTLISTED, by=pair.institution_user)
    page = logged_in_client(pair.institution_user).get(reverse("institution:pipeline"))
    html = page.content.decode()
    assert "RMB 120M" in html
    assert pair.match.project.firm.name not in html


def test_a_card_in_talks_names_the_firm_and_moves_from_the_board():
    pair = matched_pair()
    introduction = introduction_request(match=pair.match, by=pair.institution_user, message="Hello")
    introduction_answer(introduction=introduction, by=pair.firm_user, accept=True)
    client = logged_in_client(pair.institution_user)
    html = client.get(reverse("institution:pipeline")).content.decode()
    assert f'<span class="board-firm">{pair.match.project.firm.name}</span>' in html
    assert '<option value="term_sheet">Term sheet</option>' in html
    response = client.post(
        reverse("institution:move", args=[pair.match.pk]),
        {"status": "term_sheet", "next": reverse("institution:pipeline")},
    )
    assert response.url == reverse("institution:pipeline")
    pair.match.refresh_from_db()
    assert pair.match.status == MatchStatus.TERM_SHEET


def test_the_board_runs_the_same_queries_for_one_card_or_many(django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from matchmaker.matching import scoring
    from matchmaker.models import Match
    from tests.factories import ProjectFactory

    pair = matched_pair()
    review.match_move(match=pair.match, to_status=MatchStatus.SHORTLISTED, by=pair.institution_user)
    client = logged_in_client(pair.institution_user)
    client.get(reverse("institution:pipeline"))
    with CaptureQueriesContext(connection) as one_card:
        client.get(reverse("institution:pipeline"))
    for _ in range(6):
        project = ProjectFactory()
        scoring.score_project(project.pk)
        match = Match.objects.get(project=project, offering=pair.match.offering)
        review.match_move(match=match, to_status=MatchStatus.SHORTLISTED, by=pair.institution_user)
    with django_assert_max_num_queries(len(one_card)):
        page = client.get(reverse("institution:pipeline"))
    assert page.content.decode().count('<article class="board-card">') == 7
