"""Institutions publish, edit, pause and close offerings through web forms."""

import pytest
from django.urls import reverse

from investors.models import Offering, OfferingStatus
from tests.factories import OfferingFactory

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Launch cover 2027",
    "instrument": "risk_cover",
    "product_type": "launch_insurance",
    "ticket_min": "10000000",
    "ticket_max": "500000000",
    "capacity_total": "2000000000",
    "capacity_left": "",
    "max_tenor_months": "24",
    "segments": ["launch", "satellite_manufacturing"],
    "trl_min": "5",
    "trl_max": "9",
    "risk_appetite": "high",
    "exposures_covered": ["launch_failure", "third_party_liability"],
    "pricing_note": "8–12% of insured value",
}


def test_an_institution_publishes_an_offering(institution_client, institution_member):
    response = institution_client.post(reverse("investors:create"), VALID)
    offering = Offering.objects.get()
    assert response.url == reverse("investors:detail", args=[offering.pk])
    assert offering.institution == institution_member.institution
    assert offering.capacity_left == 2_000_000_000
    assert offering.exposures_covered == ["launch_failure", "third_party_liability"]
    assert offering.status == OfferingStatus.ACTIVE


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"ticket_min": "600000000"}, "ticket_max", "at least the smallest"),
        ({"trl_min": "8", "trl_max": "3"}, "trl_max", "at least the lowest"),
        ({"capacity_left": "3000000000"}, "capacity_left", "cannot exceed the total"),
        ({"product_type": "term_loan"}, "product_type", "does not belong"),
        ({"ticket_min": "-1"}, "ticket_min", "Enter a positive amount"),
        ({"segments": ["moon_mining"]}, "segments", "not one of the available choices"),
    ],
)
def test_bad_offerings_are_refused_next_to_the_field(institution_client, change, field, message):
    response = institution_client.post(reverse("investors:create"), {**VALID, **change})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert 'value="Launch cover 2027"' in response.content.decode()
    assert not Offering.objects.exists()


def test_own_weights_override_only_the_criteria_filled_in(institution_client):
    institution_client.post(
        reverse("investors:create"), {**VALID, "weight_tenor": "8", "weight_risk": "0"}
    )
    assert Offering.objects.get().weights == {"tenor": 8.0, "risk": 0.0}


def test_editing_an_offering_counts_a_revision(institution_client, institution_member):
    offering = OfferingFactory(institution=institution_member.institution)
    institution_client.post(
        reverse("investors:edit", args=[offering.pk]), {**VALID, "name": "Renamed"}
    )
    offering.refresh_from_db()
    assert (offering.name, offering.revision) == ("Renamed", 2)


def test_pause_reactivate_and_close(institution_client, institution_member):
    offering = OfferingFactory(institution=institution_member.institution)
    url = reverse("investors:status", args=[offering.pk])
    for status in ["paused", "active", "closed"]:
        institution_client.post(url, {"status": status})
        offering.refresh_from_db()
        assert offering.status == status


def test_a_closed_offering_cannot_be_reopened(institution_client, institution_member):
    offering = OfferingFactory(
        institution=institution_member.institution, status=OfferingStatus.CLOSED
    )
    response = institution_client.post(
        reverse("investors:status", args=[offering.pk]), {"status": "active"}, follow=True
    )
    offering.refresh_from_db()
    assert offering.status == OfferingStatus.CLOSED
    assert "not possible" in response.content.decode()


def test_offering_list_filters_by_instrument(institution_client, institution_member):
    OfferingFactory(institution=institution_member.institution, name="Equity A")
    OfferingFactory(institution=institution_member.institution, name="Loan B", instrument="credit")
    page = institution_client.get(
        reverse("investors:list"), {"instrument": "credit"}
    ).content.decode()
    assert "Loan B" in page
    assert "Equity A" not in page


def test_an_error_on_total_capacity_marks_that_field_alone(institution_client):
    response = institution_client.post(
        reverse("investors:create"), {**VALID, "capacity_total": "0"}
    )
    page = response.content.decode()
    fields = {
        chunk.split('"', 1)[0]: chunk for chunk in page.split('<div class="field"><label for="')[1:]
    }
    assert 'class="errorlist' in fields["id_capacity_total"]
    assert 'class="errorlist' not in fields["id_capacity_left"]
    assert 'aria-invalid="true"' not in fields["id_capacity_left"]


def test_each_product_type_names_its_instrument_for_the_form_to_follow(institution_client):
    page = institution_client.get(reverse("investors:create")).content.decode()
    assert '<option value="term_loan" data-instrument="credit">' in page
    assert '<option value="launch_insurance" data-instrument="risk_cover">' in page
    assert 'src="/static/js/offering-form.js"' in page
