"""Rounds and loans larger than one ticket (#25): who can take a meaningful share, in what
part, said in both languages, through the API, and assembled into syndicates."""

import pytest
from django.utils import translation

from matchmaker.matching import scoring, selectors, stacks, why
from matchmaker.matching.explain import explain, syndicate_part
from matchmaker.models import Match, Package
from tests.api.conftest import api_client_for
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def ticket_reason(match, language: str) -> str:
    with translation.override(language):
        return next(c.reason for c in explain(match, {}) if c.criterion == "ticket")


def test_a_sixth_of_a_5_billion_round_joins_it_and_more_than_a_fifth_could_lead_it():
    project = ProjectFactory(needs={"equity": 5_000_000_000}, round_role="lead")
    OfferingFactory(ticket_min=10_000_000, ticket_max=800_000_000, round_role="lead")
    scoring.score_project(project.pk)
    match = Match.objects.get(project=project)
    assert syndicate_part(match).role == "participant"  # 16 %: below the lead share
    assert "Could join the round as a co-investor with RMB 800,000,000 of the RMB " in (
        ticket_reason(match, "en")
    )
    OfferingFactory(
        ticket_min=10_000_000,
        ticket_max=1_500_000_000,
        capacity_total=9_000_000_000,
        capacity_left=9_000_000_000,
        round_role="lead",
    )
    scoring.score_project(project.pk)
    leader = Match.objects.get(project=project, offering__ticket_max=1_500_000_000)
    assert syndicate_part(leader).role == "lead"
    assert "Could lead with RMB 1,500,000,000 of the RMB 5,000,000,000 round." in (
        ticket_reason(leader, "en")
    )
    assert "可领投本轮 50亿元 中的 15亿元。" in ticket_reason(leader, "zh-hans")
    # the firm seeks a lead: the fund that can lead ranks above the one that can only join
    assert leader.score > Match.objects.get(project=project, offering__ticket_max=800_000_000).score


def test_a_lender_far_too_small_for_the_loan_is_screened_out_and_the_firm_told_why():
    project = ProjectFactory(trl=8, needs={"credit": 10_000_000_000})
    OfferingFactory(
        instrument="credit",
        product_type="term_loan",
        ticket_min=1_000_000,
        ticket_max=400_000_000,  # 4 % of the need
        trl_min=6,
        trl_max=9,
    )
    scoring.score_project(project.pk)
    assert not Match.objects.filter(project=project).exists()
    with translation.override("en"):
        (need,) = why.unmatched_needs(project, selectors.matched_instruments(project))
    assert need.reasons == [
        "1 could put in at most RMB 400,000,000, less than 5% of the RMB 10,000,000,000 "
        "sought: too small a share to join a syndicate."
    ]


def test_the_api_says_each_matchs_part_of_the_need():
    member = InstitutionMemberFactory()
    project = ProjectFactory(trl=8, needs={"credit": 1_000_000_000})
    OfferingFactory(
        institution=member.institution,
        instrument="credit",
        product_type="term_loan",
        ticket_min=1_000_000,
        ticket_max=300_000_000,
        trl_min=6,
        trl_max=9,
    )
    scoring.score_project(project.pk)
    body = api_client_for(member.user).get("/api/v1/matches/").json()
    assert body["results"][0]["syndicate"] == {
        "role": "lead",
        "amount": 300_000_000,
        "need": 1_000_000_000,
    }
    with translation.override("zh-hans"):
        reason = ticket_reason(Match.objects.get(project=project), "zh-hans")
    assert "可担任银团牵头行，自身提供 10亿元 贷款中的 3亿元。" in reason


def test_a_package_assembles_a_syndicate_with_a_lead_for_a_firm_that_seeks_one():
    project = ProjectFactory(needs={"equity": 1_000_000_000}, round_role="lead")
    for ticket_max in (400_000_000, 350_000_000, 300_000_000):
        OfferingFactory(ticket_min=10_000_000, ticket_max=ticket_max)
    scoring.score_project(project.pk)
    stacks.rebuild_packages(project.pk)
    best = Package.objects.get(project=project, rank=1)
    members = sorted(best.members.all(), key=lambda m: -m.amount)
    assert sum(m.amount for m in members) == 1_000_000_000 and len(members) == 3
    with translation.override("en"):
        assert "Leads a syndicate of 3 financiers for this need." in members[0].reason
        assert all(
            "One of a syndicate of 3 financiers for this need." in m.reason for m in members[1:]
        )
