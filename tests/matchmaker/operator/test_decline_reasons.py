"""The operator sees why institutions decline, across the market: by reason and segment,
instrument or month, with the projects behind them; undone declines do not count."""

import pytest
from django.urls import reverse

from matchmaker.matching import scoring
from matchmaker.models import Match
from matchmaker.review import services as review
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def declined():
    fund = InstitutionMemberFactory()
    bank = InstitutionMemberFactory()
    equity = OfferingFactory(institution=fund.institution)
    credit = OfferingFactory(
        institution=bank.institution, instrument="credit", product_type="term_loan"
    )
    launcher = ProjectFactory(title="Methane launcher", segment="launch")
    antenna = ProjectFactory(title="Antenna line", segment="components")
    for project in (launcher, antenna):
        scoring.score_project(project.pk)

    def decline(member, project, offering, reason):
        match = Match.objects.get(project=project, offering=offering)
        return review.match_decline(
            match=match,
            by=member.user,
            reason=reason,
            note="thin team" if reason == "other" else "",
        )

    decline(fund, launcher, equity, "stage_too_early")
    decline(bank, launcher, credit, "stage_too_early")
    decline(fund, antenna, equity, "ticket_too_small")
    undone = decline(bank, antenna, credit, "risk_too_high")
    review.match_undo(match=undone, by=bank.user)
    return launcher, antenna


def test_declines_by_segment_count_each_reason_and_name_the_projects(operator_client, declined):
    page = operator_client.get(reverse("operator:declines"), {"by": "segment"})
    rows = {group.label: group for group in page.context["groups"]}
    launch = rows["Launch vehicles and launch services"]
    assert launch.counts == {"stage_too_early": 2} and launch.total == 2
    assert [title for _id, title, _n in launch.projects] == ["Methane launcher"]
    components = rows["Components and subsystems"]
    assert components.counts == {"ticket_too_small": 1}  # the undone decline is gone
    assert "Risk too high" in page.content.decode()  # every reason is a column


def test_declines_by_instrument_and_as_csv(operator_client, declined):
    page = operator_client.get(reverse("operator:declines"), {"by": "instrument"})
    rows = {group.label: group.total for group in page.context["groups"]}
    assert rows == {"Equity": 2, "Credit": 1}
    csv = operator_client.get(reverse("operator:export", args=["declines"]), {"by": "instrument"})
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Instrument,Ticket too small,Ticket too large,Stage too early")
    assert lines[1] == "Equity,1,0,1,0,0,0,0,2"


def test_the_decline_page_is_for_operators_and_its_queries_are_fixed(
    institution_client, operator_client, declined, django_assert_max_num_queries
):
    assert institution_client.get(reverse("operator:declines")).status_code == 403
    with django_assert_max_num_queries(10):
        operator_client.get(reverse("operator:declines"), {"by": "month"})
