"""A need with no match says which screens excluded the live offerings of its kind, from
the offerings themselves; a package's uncovered share says why it stays open."""

import pytest
from django.urls import reverse
from django.utils import translation

from matchmaker.matching import scoring, selectors, stacks, why
from tests.factories import OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def reasons_for(project) -> dict[str, list[str]]:
    with translation.override("en"):
        return {
            need.instrument: [need.summary, *need.reasons]
            for need in why.unmatched_needs(project, selectors.matched_instruments(project))
        }


def test_bank_offerings_that_require_a_higher_trl_are_named_with_the_numbers():
    project = ProjectFactory(trl=5, needs={"credit": 20_000_000})
    OfferingFactory(instrument="credit", product_type="term_loan", trl_min=7, trl_max=9)
    OfferingFactory(instrument="credit", product_type="term_loan", trl_min=8, trl_max=9)
    scoring.score_project(project.pk)
    assert reasons_for(project) == {
        "credit": [
            "Of 2 live offerings of this kind:",
            "2 require TRL 7 or more; this project is at TRL 5.",
        ]
    }


def test_each_screen_is_counted_most_excluding_first():
    project = ProjectFactory(
        trl=6, segment="components", stage="qualification", needs={"equity": 5_000_000}
    )
    OfferingFactory(ticket_min=10_000_000)
    OfferingFactory(ticket_min=20_000_000)
    OfferingFactory(ticket_min=1_000_000, segments=["launch"])
    OfferingFactory(ticket_min=1_000_000, stages=["commercial"])
    scoring.score_project(project.pk)
    assert reasons_for(project)["equity"] == [
        "Of 4 live offerings of this kind:",
        "2 start at RMB 10,000,000 or more; the need is RMB 5,000,000.",
        "1 finances other segments only (Launch vehicles and launch services).",
        "1 takes other stages only (Commercial operation); this project is at Qualification.",
    ]


def test_a_need_nobody_offers_says_so_and_a_matched_need_is_not_listed():
    project = ProjectFactory(needs={"equity": 50_000_000, "risk_cover": 10_000_000})
    OfferingFactory()
    scoring.score_project(project.pk)
    assert reasons_for(project) == {
        "risk_cover": ["No institution offers this on the platform yet."]
    }


def test_the_firms_project_page_shows_why_a_need_found_no_match(firm_client, firm_member):
    project = ProjectFactory(firm=firm_member.firm, trl=5, needs={"credit": 20_000_000})
    OfferingFactory(instrument="credit", product_type="term_loan", trl_min=7, trl_max=9)
    scoring.score_project(project.pk)
    page = firm_client.get(reverse("firm:project_matches", args=[project.pk])).content.decode()
    assert "Needs without a match, and why" in page
    assert "1 requires TRL 7 or more; this project is at TRL 5." in page


def test_an_uncovered_package_share_says_what_the_matched_offerings_can_carry(
    firm_client, firm_member
):
    project = ProjectFactory(firm=firm_member.firm, needs={"equity": 100_000_000})
    OfferingFactory(ticket_min=1_000_000, ticket_max=30_000_000)
    scoring.score_project(project.pk)
    stacks.rebuild_packages(project.pk)
    page = firm_client.get(reverse("firm:project_matches", args=[project.pk])).content.decode()
    assert "Still uncovered in Equity: RMB 70,000,000" in page
    assert "The matched offerings can carry at most RMB 30,000,000 of the RMB 100,000,000" in page


def test_saying_why_costs_the_same_queries_for_one_excluding_offering_or_many(
    firm_client, firm_member, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from matchmaker.models import LearnedWeights

    project = ProjectFactory(firm=firm_member.firm, trl=5, needs={"credit": 20_000_000})
    url = reverse("firm:project_matches", args=[project.pk])

    def credit_offering():
        offering = OfferingFactory(
            instrument="credit", product_type="term_loan", trl_min=7, trl_max=9
        )
        LearnedWeights.objects.create(offering=offering, multipliers={"trl": 1.2})

    credit_offering()
    scoring.score_project(project.pk)
    with CaptureQueriesContext(connection) as one:
        firm_client.get(url)
    for _ in range(8):
        credit_offering()
    with django_assert_max_num_queries(len(one)):
        page = firm_client.get(url).content.decode()
    assert "9 require TRL 7 or more" in page
