"""Invariants the database holds even when a form or serializer is bypassed."""

import pytest
from django.db import IntegrityError, transaction

from projects.models import FundingNeed
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("trl", [0, 10])
def test_trl_outside_1_to_9_is_refused(trl):
    with pytest.raises(IntegrityError):
        ProjectFactory(trl=trl)


def test_one_need_per_instrument_per_project():
    project = ProjectFactory(needs={"equity": 1_000_000})
    with pytest.raises(IntegrityError):
        FundingNeed.objects.create(project=project, instrument="equity", amount=5)


@pytest.mark.parametrize("amount", [0, -5])
def test_need_amount_must_be_positive(amount):
    project = ProjectFactory(needs={})
    with pytest.raises(IntegrityError):
        FundingNeed.objects.create(project=project, instrument="credit", amount=amount)


def test_break_even_before_first_revenue_is_refused():
    with pytest.raises(IntegrityError):
        ProjectFactory(months_to_revenue=60, months_to_break_even=12)


def test_unknown_instrument_is_refused():
    project = ProjectFactory(needs={})
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingNeed.objects.create(project=project, instrument="bitcoin", amount=5)


def test_project_code_lists_reject_unknown_codes_on_full_clean():
    from django.core.exceptions import ValidationError

    project = ProjectFactory.build(exposures=["launch_failure", "alien_invasion"])
    with pytest.raises(ValidationError) as error:
        project.full_clean(exclude=["firm"])
    assert "alien_invasion" in str(error.value)
