"""An offering says plainly what is wrong with its amounts: a capacity below the smallest
ticket, a negative ticket, a number too long; and one that cannot lend is not published."""

import pytest
from django.urls import reverse
from django.utils import translation

from investors.models import Offering, OfferingStatus
from tests.api.conftest import api_client_for
from tests.factories import InstitutionMemberFactory, OfferingFactory
from tests.investors.test_offering_form import VALID

pytestmark = pytest.mark.django_db


def _errors(response) -> str:
    return response.content.decode()


def test_a_capacity_below_the_smallest_ticket_is_refused_in_words(institution_client):
    body = {**VALID, "capacity_total": "100", "ticket_min": "500000000", "ticket_max": "600000000"}
    response = institution_client.post(reverse("investors:create"), body)
    assert not Offering.objects.exists()
    assert "The capacity (RMB 100) is below the smallest ticket (RMB 500,000,000)" in _errors(
        response
    )


def test_capacity_left_below_the_smallest_ticket_is_not_published_active(institution_client):
    body = {**VALID, "capacity_left": "5000000"}  # ticket_min is RMB 10,000,000
    response = institution_client.post(reverse("investors:create"), body)
    assert response.status_code == 200
    assert not Offering.objects.exists()
    assert "below the smallest ticket" in _errors(response)


def test_a_paused_offering_that_cannot_lend_is_not_reactivated(
    institution_client, institution_member
):
    offering = OfferingFactory(
        institution=institution_member.institution,
        status=OfferingStatus.PAUSED,
        capacity_left=1_000_000,
    )
    institution_client.post(reverse("investors:status", args=[offering.pk]), {"status": "active"})
    offering.refresh_from_db()
    assert offering.status == OfferingStatus.PAUSED


def test_a_negative_largest_ticket_says_what_is_wrong(institution_client):
    response = institution_client.post(reverse("investors:create"), {**VALID, "ticket_max": "-3"})
    text = _errors(response)
    assert "Enter a positive amount, in whole RMB." in text
    assert not Offering.objects.exists()


def test_a_number_too_long_gets_the_limit_in_words_never_the_column_range(institution_client):
    response = institution_client.post(
        reverse("investors:create"), {**VALID, "capacity_total": "99999999999999999999"}
    )
    text = _errors(response)
    assert "At most RMB 100 billion: check the number of digits." in text
    assert "9223372036854775807" not in text


def test_the_api_refuses_the_same_with_the_same_words():
    member = InstitutionMemberFactory()
    client = api_client_for(member.user)
    body = {
        "name": "Loan",
        "instrument": "credit",
        "ticket_min": 500_000_000,
        "ticket_max": 600_000_000,
        "capacity": 100,
        "max_tenor_months": 60,
        "trl_min": 5,
        "trl_max": 9,
        "risk_appetite": "medium",
    }
    response = client.post("/api/v1/offerings/", body, format="json")
    assert response.status_code == 400
    assert "below the smallest ticket" in str(response.json()["capacity_total"])
    huge = client.post(
        "/api/v1/offerings/", {**body, "capacity": 99999999999999999999}, format="json"
    )
    assert huge.status_code == 400
    assert "At most RMB 100 billion" in str(huge.json()["capacity"])
    negative = client.post("/api/v1/offerings/", {**body, "ticket_max": -3}, format="json")
    assert "positive amount" in str(negative.json()["ticket_max"])
    chinese = client.post(
        "/api/v1/offerings/",
        {**body, "capacity": 99999999999999999999},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    with translation.override("zh-hans"):
        assert "1,000亿元" in str(chinese.json()["capacity"])
    assert not Offering.objects.exists()
