"""The offering form takes a sweet spot inside the accepted ranges, requirements on
revenue and flight record, a round role, local presence and, for insurers, a line."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from investors.models import Offering
from tests.factories import OfferingFactory
from tests.investors.test_offering_form import VALID

pytestmark = pytest.mark.django_db


def test_an_insurer_publishes_a_line_and_a_flight_requirement(institution_client):
    institution_client.post(
        reverse("investors:create"),
        {
            **VALID,
            "line_share": "25",
            "min_flight_record": "first_flight",
            "presence": ["shanghai"],
        },
    )
    offering = Offering.objects.get()
    assert (offering.line_share, offering.min_flight_record, offering.presence) == (
        25,
        "first_flight",
        ["shanghai"],
    )


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"trl_min": "5", "trl_max": "7", "preferred_trl": "9"}, "preferred_trl", "within"),
        ({"preferred_ticket": "1"}, "preferred_ticket", "between"),
        ({"stages": ["rnd"], "preferred_stage": "commercial"}, "preferred_stage", "one of"),
        ({"round_role": "lead"}, "round_role", "Only equity"),
        ({"presence": ["moon"]}, "presence", "not one of the available choices"),
    ],
)
def test_a_sweet_spot_outside_the_ranges_is_refused_next_to_it(
    institution_client, change, field, words
):
    response = institution_client.post(reverse("investors:create"), {**VALID, **change})
    assert response.status_code == 200
    assert words in " ".join(response.context["form"].errors[field])
    assert not Offering.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"trl_min": 4, "trl_max": 6, "preferred_trl": 8},
        {"ticket_min": 10, "ticket_max": 20, "preferred_ticket": 30},
        {"instrument": "equity", "line_share": 50},
        {"instrument": "risk_cover", "line_share": 0},
    ],
)
def test_the_database_holds_the_sweet_spot_inside_the_ranges(changes):
    with pytest.raises(IntegrityError):
        OfferingFactory(**changes)
