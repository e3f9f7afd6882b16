"""Claims on the risk-compensation pool: the band rule, the office's decision, and a
claim on a loan that is not enrolled refused with nothing written."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from matchmaker.programme import rules
from matchmaker.programme import services as programme
from matchmaker.programme.models import Claim, ProgrammeEvent, ToolBudget
from tests.factories import ToolFactory
from tests.matchmaker.programme.test_entitlements import closed_deal

pytestmark = pytest.mark.django_db


def pool_loan(amount=100_000_000):
    pool = ToolFactory(kind="risk_pool", exclusions=["policy_guarantee"])
    deal, _tool, pair, office = closed_deal(terms={"amount": amount})
    enrolment = programme.enrolment_request(
        offering=deal.match.offering, tool=pool, by=pair.institution_user
    )
    programme.enrolment_decide(enrolment=enrolment, approve=True, by=office)
    programme.deal_confirm(deal=deal, by=pair.firm_user, today=dt.date(2026, 3, 5))
    return deal, pool, pair, office


def test_the_pool_pays_half_of_the_losses_inside_the_3_to_5pc_band():
    tool = ToolFactory.build(rate_bp=5000, loss_band_low_bp=300, loss_band_high_bp=500)
    # a portfolio of 100 M: the band is 3 M–5 M of losses
    assert rules.pool_compensation(tool, 100_000_000, 0, 2_000_000) == 0
    assert rules.pool_compensation(tool, 100_000_000, 2_000_000, 2_000_000) == 500_000
    assert rules.pool_compensation(tool, 100_000_000, 4_000_000, 5_000_000) == 500_000
    assert rules.pool_compensation(tool, 100_000_000, 6_000_000, 1_000_000) == 0


def test_a_lender_reports_a_default_and_the_office_approves_the_compensation():
    deal, pool, pair, office = pool_loan()
    claim = programme.claim_report(
        deal=deal, outstanding=6_000_000, recoveries=2_000_000, by=pair.institution_user
    )
    # loss 4 M on a 100 M portfolio: 1 M of it lies in the 3–5 M band; the pool pays half
    assert (claim.loss, claim.compensation, claim.state) == (4_000_000, 500_000, "reported")
    claim = programme.claim_decide(
        claim=claim, approve=True, reason="documents in order", by=office
    )
    budget = ToolBudget.objects.get(tool=pool, year=dt.date.today().year)
    assert (budget.committed, budget.paid) == (500_000, 500_000)
    assert list(ProgrammeEvent.objects.filter(claim=claim).values_list("action", flat=True)) == [
        "claim_report",
        "claim_approve",
    ]


def test_the_office_refuses_a_claim_with_a_reason_and_pays_nothing():
    deal, pool, pair, office = pool_loan()
    claim = programme.claim_report(
        deal=deal, outstanding=6_000_000, recoveries=0, by=pair.institution_user
    )
    with pytest.raises(ValidationError):
        programme.claim_decide(claim=claim, approve=False, reason=" ", by=office)
    claim = programme.claim_decide(
        claim=claim, approve=False, reason="loan not in default", by=office
    )
    assert claim.state == "refused" and claim.reason == "loan not in default"
    assert not ToolBudget.objects.filter(tool=pool, paid__gt=0).exists()


def test_a_claim_on_a_loan_that_is_not_enrolled_is_refused_and_writes_nothing():
    deal, _tool, pair, _office = closed_deal()
    with pytest.raises(ValidationError) as error:
        programme.claim_report(
            deal=deal, outstanding=1_000_000, recoveries=0, by=pair.institution_user
        )
    assert "deal" in error.value.message_dict
    assert not Claim.objects.exists()


def test_recoveries_above_the_outstanding_amount_are_refused():
    deal, _pool, pair, _office = pool_loan()
    with pytest.raises(ValidationError) as error:
        programme.claim_report(
            deal=deal, outstanding=1_000_000, recoveries=2_000_000, by=pair.institution_user
        )
    assert "recoveries" in error.value.message_dict
    assert not Claim.objects.exists()
