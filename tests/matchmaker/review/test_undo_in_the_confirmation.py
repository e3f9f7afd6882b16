"""The undo of a decline sits in the confirmation itself, wherever the decline was made
(the match page or the filtered match list), and brings the person back there."""

import pytest
from django.urls import reverse

from matchmaker.models import MatchStatus
from tests.conftest import logged_in_client
from tests.matchmaker.review.helpers import matched_pair

pytestmark = pytest.mark.django_db


def test_the_confirmation_after_declining_carries_the_undo_button():
    pair = matched_pair()
    client = logged_in_client(pair.institution_user)
    listed = reverse("institution:match_list") + "?sort=score"
    response = client.post(
        reverse("institution:decline", args=[pair.match.pk]),
        {"reason": "risk_too_high", "note": "", "next": listed},
        follow=True,
    )
    page = response.content.decode()
    confirmation = page[page.index('<ul class="messages">') :]
    confirmation = confirmation[: confirmation.index("</ul>")]
    assert "Declined." in confirmation
    undo_url = reverse("institution:undo", args=[pair.match.pk])
    assert f'action="{undo_url}"' in confirmation
    assert f'name="next" value="{listed}"' in confirmation
    undone = client.post(undo_url, {"next": listed})
    assert undone.url == listed
    pair.match.refresh_from_db()
    assert pair.match.status == MatchStatus.NEW


def test_other_confirmations_carry_no_undo_button():
    pair = matched_pair()
    client = logged_in_client(pair.institution_user)
    response = client.post(reverse("institution:shortlist", args=[pair.match.pk]), follow=True)
    page = response.content.decode()
    confirmation = page[page.index('<ul class="messages">') :]
    assert "Shortlisted." in confirmation
    assert "Undo the decline" not in confirmation[: confirmation.index("</ul>")]
