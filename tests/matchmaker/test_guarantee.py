"""#25: a guarantee company's credit offering is scored and explained as a guarantee."""

import pytest

from matchmaker.matching import encoding, explain
from matchmaker.vocabulary import InstitutionType, Instrument
from tests.factories import InstitutionFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def credit_offering(institution_type):
    institution = InstitutionFactory(institution_type=institution_type)
    return OfferingFactory(institution=institution, instrument=Instrument.CREDIT)


def test_only_a_guarantors_credit_offering_is_encoded_as_a_guarantee():
    assert encoding.offering_facts(credit_offering(InstitutionType.GUARANTOR), {}).guarantee
    assert not encoding.offering_facts(credit_offering(InstitutionType.BANK), {}).guarantee


def test_the_guarantee_explains_itself_against_the_projects_collateral():
    offering = credit_offering(InstitutionType.GUARANTOR)
    project = ProjectFactory()
    assert "stands in for collateral" in explain._collateral(project, offering, 1.0, ())
    assert "lists collateral a bank can take" in explain._collateral(project, offering, 0.2, ())
