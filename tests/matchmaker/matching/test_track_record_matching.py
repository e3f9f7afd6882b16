"""The facts that decide real deals, end to end through the ORM: lenders that want revenue
or a flight record, funds that want local presence and insurers that take a line; each
screen said in words when a need finds nothing, and the explanation names the facts."""

import pytest
from django.urls import reverse
from django.utils import translation

from matchmaker.engine import reference
from matchmaker.matching import scoring, selectors, why
from matchmaker.matching.why import SCREEN_WORDS
from matchmaker.models import Match
from tests.factories import LaunchCoverFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def matched(project) -> set[str]:
    scoring.score_project(project.pk)
    return set(Match.objects.filter(project=project).values_list("offering__name", flat=True))


def test_every_screen_of_the_engine_has_words():
    assert set(reference.SCREENS) - {"need"} <= set(SCREEN_WORDS)


def test_a_lender_wanting_revenue_and_a_flight_skips_an_unflown_pre_revenue_project():
    OfferingFactory(
        name="Term loan",
        instrument="credit",
        product_type="term_loan",
        trl_min=5,
        min_revenue_status="revenue",
        min_flight_record="first_flight",
    )
    unflown = ProjectFactory(trl=7, needs={"credit": 50_000_000})
    flown = ProjectFactory(
        trl=8,
        flight_record="flight_proven",
        successful_flights=3,
        revenue_status="revenue",
        needs={"credit": 50_000_000},
    )
    assert matched(unflown) == set()
    assert matched(flown) == {"Term loan"}
    with translation.override("en"):
        reasons = why.unmatched_needs(unflown, selectors.matched_instruments(unflown))[0].reasons
    assert reasons == [
        "1 asks for a flight record (First flight done); this project: Nothing flown yet."
    ]


def test_a_local_fund_takes_firms_registered_or_working_in_its_province():
    OfferingFactory(name="Shanghai fund", presence=["shanghai"])
    here = ProjectFactory()
    registered_here = ProjectFactory(
        province="jiangsu", region="other_china", registered_province="shanghai"
    )
    elsewhere = ProjectFactory(
        province="beijing", region="other_china", registered_province="beijing"
    )
    assert matched(here) == {"Shanghai fund"}
    assert matched(registered_here) == {"Shanghai fund"}
    assert matched(elsewhere) == set()
    assert (
        Match.objects.get(project=registered_here).components[6] == 0.7  # registered only
    )


def test_an_insurers_line_caps_what_it_carries_and_says_so(firm_client, firm_member):
    project = ProjectFactory(
        firm=firm_member.firm,
        exposures=["launch_failure"],
        needs={"risk_cover": 400_000_000},
    )
    LaunchCoverFactory(name="Launch panel line", line_share=25)
    scoring.score_project(project.pk)
    match = Match.objects.get(project=project)
    page = firm_client.get(reverse("firm:match_detail", args=[match.pk])).content.decode()
    assert "Can carry up to RMB 100,000,000 of the RMB 400,000,000 sought (25%)" in page
    assert "It takes a 25% line of a risk: a panel shares the rest." in page


def test_the_explanation_names_the_flight_record_and_what_decided(firm_client, firm_member):
    project = ProjectFactory(
        firm=firm_member.firm,
        trl=9,
        stage="production_ramp",
        flight_record="flight_proven",
        successful_flights=2,
        revenue_status="revenue",
        needs={"equity": 50_000_000},
    )
    OfferingFactory(name="Growth fund", trl_min=5, trl_max=9, preferred_trl=9)
    scoring.score_project(project.pk)
    match = Match.objects.get(project=project)
    page = firm_client.get(reverse("firm:match_detail", args=[match.pk])).content.decode()
    assert "This project has 2 successful flights or units in orbit and is earning revenue." in page
    assert "TRL 9: the offering&#x27;s preferred TRL." in page
    assert "Held back most by" in page or "Ranked high above all for" in page


def test_a_project_at_the_sweet_spot_outranks_one_at_the_edge_of_the_range():
    OfferingFactory(name="Seed fund", trl_min=3, trl_max=9, preferred_trl=5)
    at_spot = ProjectFactory(trl=5, stage="qualification")
    at_edge = ProjectFactory(trl=9, stage="qualification")
    scoring.score_project(at_spot.pk)
    scoring.score_project(at_edge.pk)
    assert Match.objects.get(project=at_spot).score > Match.objects.get(project=at_edge).score
