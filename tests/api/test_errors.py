"""The domain's refusals reach API clients in DRF's usual shape, from one handler: 400 for
what the request said, 409 Conflict for what the object's state forbids."""

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError

from investors.models import OfferingStatus
from matchmaker.api.exceptions import exception_handler
from matchmaker.vocabulary import StateConflict
from tests.api.conftest import api_client_for
from tests.factories import InstitutionMemberFactory, OfferingFactory

pytestmark = pytest.mark.django_db


def test_a_domain_error_without_a_field_becomes_non_field_errors():
    response = exception_handler(DjangoValidationError("Only a draft can be submitted."), {})
    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["Only a draft can be submitted."]}


def test_a_domain_error_naming_a_field_keeps_the_field():
    response = exception_handler(DjangoValidationError({"status": "Closed."}), {})
    assert (response.status_code, response.data) == (400, {"status": ["Closed."]})


def test_other_errors_are_left_to_drf():
    response = exception_handler(ValidationError({"name": ["Required."]}), {})
    assert (response.status_code, response.data) == (400, {"name": ["Required."]})


def test_a_state_conflict_is_a_409_with_its_field():
    response = exception_handler(StateConflict({"status": "Closed."}), {})
    assert (response.status_code, response.data) == (409, {"status": ["Closed."]})


def test_a_service_refusal_reaches_the_client_with_its_field():
    member = InstitutionMemberFactory()
    offering = OfferingFactory(institution=member.institution, status=OfferingStatus.CLOSED)
    response = api_client_for(member.user).patch(
        f"/api/v1/offerings/{offering.pk}/", {"name": "Reopened"}, format="json"
    )
    assert response.status_code == 409
    assert response.json() == {"status": ["A closed offering can no longer be changed."]}
    offering.refresh_from_db()
    assert offering.name != "Reopened"


def test_a_400_speaks_chinese_to_a_chinese_client_and_english_otherwise():
    member = InstitutionMemberFactory()
    body = {"name": "Loan", "instrument": "credit", "ticket_min": 9, "ticket_max": 1}
    body["capacity"] = 100
    client = api_client_for(member.user)
    chinese = client.post("/api/v1/offerings/", body, HTTP_ACCEPT_LANGUAGE="zh-CN")
    english = client.post("/api/v1/offerings/", body)
    assert chinese.status_code == english.status_code == 400
    assert chinese.json()["ticket_max"] == ["单笔最高金额不得低于单笔最低金额。"]
    assert english.json()["ticket_max"] == ["The largest ticket must be at least the smallest."]
    missing = client.post("/api/v1/offerings/", {}, HTTP_ACCEPT_LANGUAGE="zh-CN").json()
    assert missing["name"] == ["请填写此项。"]  # DRF's message, in the site's Chinese
