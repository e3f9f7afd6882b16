"""#25: the offering form takes a state lender's or an export-credit agency's country
mandate (ISO codes), optional, and refuses a code that is not one."""

import pytest
from django.urls import reverse

from investors.models import Offering
from tests.investors.test_offering_form import VALID

pytestmark = pytest.mark.django_db


def test_an_offering_without_a_country_mandate_names_none(institution_client):
    institution_client.post(reverse("investors:create"), VALID)
    offering = Offering.objects.get()
    assert (offering.countries, offering.content_countries) == ([], [])


def test_an_export_credit_agency_names_its_exporters_countries(institution_client):
    data = {**VALID, "countries": ["DE", "FR"], "content_countries": ["US"]}
    institution_client.post(reverse("investors:create"), data)
    offering = Offering.objects.get()
    assert (offering.countries, offering.content_countries) == (["DE", "FR"], ["US"])


def test_a_code_that_is_not_a_country_is_refused_next_to_it(institution_client):
    response = institution_client.post(reverse("investors:create"), {**VALID, "countries": ["EU"]})
    assert response.status_code == 200
    assert "not one of the available choices" in " ".join(
        response.context["form"].errors["countries"]
    )
    assert not Offering.objects.exists()


def test_a_state_lender_says_it_lends_for_work_at_home(institution_client):
    institution_client.post(reverse("investors:create"), VALID)
    assert Offering.objects.get().home_content is False
    Offering.objects.all().delete()
    data = {**VALID, "countries": ["FR"], "home_content": "on"}
    institution_client.post(reverse("investors:create"), data)
    offering = Offering.objects.get()
    assert (offering.countries, offering.home_content) == (["FR"], True)
