"""#25: a state lender's and an export-credit agency's country mandates, end to end:
scored through the adapters, and "why unmatched" says which country screened a need out,
in both languages."""

import pytest
from django.utils import translation

from matchmaker.matching import scoring, selectors, why
from matchmaker.models import Match
from tests.factories import OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db

LENDER = {
    "instrument": "credit",
    "product_type": "term_loan",
    "ticket_min": 10_000_000,
    "ticket_max": 2_000_000_000,
    "trl_min": 6,
    "trl_max": 9,
    "max_tenor_months": 180,
    "presence": ["abroad"],
}
ABROAD = {"registered_province": "abroad", "province": "abroad", "region": "other_china"}


def project(**countries):
    return ProjectFactory(trl=7, needs={"credit": 500_000_000}, **ABROAD, **countries)


def reasons(project_):
    (need,) = why.unmatched_needs(project_, selectors.matched_instruments(project_))
    return need.reasons


def test_a_state_lender_lends_to_its_countries_firms_and_to_a_firm_that_gave_none():
    OfferingFactory(**LENDER, countries=["DE", "FR"])
    german, american, unknown = (
        project(registered_country="DE"),
        project(registered_country="US"),
        project(),
    )
    for each in (german, american, unknown):
        scoring.score_project(each.pk)
    assert Match.objects.filter(project=german).exists()
    assert Match.objects.filter(project=unknown).exists()
    assert not Match.objects.filter(project=american).exists()
    with translation.override("en"):
        assert reasons(american)[0] == (
            "1 lends to or invests in firms of Germany, France only; this firm is "
            "registered in United States."
        )
    with translation.override("zh-hans"):
        assert reasons(american)[0] == "其中 1 项只支持德国、法国的企业；本企业注册于美国。"


def test_export_credit_finances_a_foreign_buyer_of_its_exporters_not_a_purchase_at_home():
    OfferingFactory(**LENDER, content_countries=["FR"])
    buyer = project(registered_country="AZ", country="FR")
    at_home = project(registered_country="FR", country="FR")
    for each in (buyer, at_home):
        scoring.score_project(each.pk)
    assert Match.objects.filter(project=buyer).exists()
    assert not Match.objects.filter(project=at_home).exists()
    with translation.override("en"):
        assert reasons(at_home)[0] == (
            "1 finances only what is built in France for a buyer from another country (its "
            "exporters' foreign buyers); this firm is registered in France and the work "
            "happens in France."
        )


def test_a_state_lender_lending_for_work_at_home_skips_a_purchase_abroad():
    """The EIB lends for projects in the EU: a Spanish operator buying a US-built
    satellite is not its borrower; one building in France, or not saying where, is."""
    OfferingFactory(**LENDER, countries=["ES", "FR"], home_content=True)
    at_home = project(registered_country="ES", country="FR")
    abroad = project(registered_country="ES", country="US")
    unsaid = project(registered_country="ES")
    for each in (at_home, abroad, unsaid):
        scoring.score_project(each.pk)
    assert Match.objects.filter(project=at_home).exists()
    assert Match.objects.filter(project=unsaid).exists()
    assert not Match.objects.filter(project=abroad).exists()
    with translation.override("en"):
        assert reasons(abroad)[0] == (
            "1 lends for work done in Spain, France only (domestic jobs and spending); this "
            "project's work happens in United States."
        )
    with translation.override("zh-hans"):
        assert reasons(abroad)[0] == (
            "其中 1 项只为在西班牙、法国境内实施的项目融资（以本国就业和本国支出为条件）；"
            "本项目在美国实施。"
        )


def test_without_work_at_home_a_country_mandate_screens_the_registration_only():
    OfferingFactory(**LENDER, countries=["ES"])
    abroad = project(registered_country="ES", country="US")
    scoring.score_project(abroad.pk)
    assert Match.objects.filter(project=abroad).exists()
