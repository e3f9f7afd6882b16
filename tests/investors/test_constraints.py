import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from tests.factories import OfferingFactory

pytestmark = pytest.mark.django_db


def test_ticket_min_above_ticket_max_is_refused():
    with pytest.raises(IntegrityError):
        OfferingFactory(ticket_min=50, ticket_max=10)


def test_capacity_left_above_total_is_refused():
    with pytest.raises(IntegrityError):
        OfferingFactory(capacity_total=100, capacity_left=101)


@pytest.mark.parametrize(("trl_min", "trl_max"), [(0, 5), (3, 10), (7, 5)])
def test_trl_range_must_lie_in_1_to_9_and_be_ordered(trl_min, trl_max):
    with pytest.raises(IntegrityError):
        OfferingFactory(trl_min=trl_min, trl_max=trl_max)


def test_zero_ticket_is_refused():
    with pytest.raises(IntegrityError):
        OfferingFactory(ticket_min=0)


def test_weights_reject_unknown_criteria_and_out_of_range_values():
    offering = OfferingFactory.build(weights={"segment": 11, "astrology": 1})
    with pytest.raises(ValidationError) as error:
        offering.full_clean(exclude=["institution"])
    assert "astrology" in str(error.value)
