"""Operators verify organisations in the Django admin."""

import pytest
from django.urls import reverse

from tests.factories import FirmFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


def test_operator_verifies_firms_from_the_admin_list(operator_client):
    firm = FirmFactory(verified=False, verified_at=None)
    operator_client.post(
        reverse("admin:projects_firm_changelist"),
        {"action": "verify", "_selected_action": [str(firm.pk)]},
    )
    firm.refresh_from_db()
    assert firm.verified and firm.verified_at


def test_operator_verifies_institutions_from_the_admin_list(operator_client):
    institution = InstitutionFactory(verified=False, verified_at=None)
    operator_client.post(
        reverse("admin:investors_institution_changelist"),
        {"action": "verify", "_selected_action": [str(institution.pk)]},
    )
    institution.refresh_from_db()
    assert institution.verified


def test_admin_lists_filter_and_search(operator_client):
    FirmFactory(name="Findable Rockets", verified=False)
    response = operator_client.get(
        reverse("admin:projects_firm_changelist"), {"q": "Findable", "verified__exact": "0"}
    )
    assert "Findable Rockets" in response.content.decode()
    for name in ["projects_project", "investors_offering", "investors_institution"]:
        assert operator_client.get(reverse(f"admin:{name}_changelist")).status_code == 200
