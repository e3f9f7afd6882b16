"""A bank's covered terms count where the programme tool applies to the project."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from matchmaker.matching import scoring
from matchmaker.models import Match, PendingScoring
from matchmaker.programme import services as programme
from matchmaker.programme.matches import programme_notes
from matchmaker.programme.models import FirmStanding
from tests.factories import OfferingFactory
from tests.matchmaker.programme.helpers import enrol, put_on_list, scene

pytestmark = pytest.mark.django_db


def matched(s) -> Match | None:
    scoring.score_project(s.project.pk)
    return Match.objects.filter(project=s.project, offering=s.loan).first()


def test_a_trl6_project_matches_a_trl7_loan_once_it_is_enrolled_with_covered_trl6():
    s = scene()
    put_on_list(s)
    assert matched(s) is None  # the loan's own terms: TRL 7 at least
    enrol(s, covered_trl_min=6, indicative_rate_bp=420)
    match = matched(s)
    assert match is not None
    with translation.override("en"):
        notes = programme_notes(match, "institution")
        assert notes["cover"].startswith(f"Enrolled in {s.tool.name_en}: 50 % of losses")
        assert "accepts TRL 6 with it" in notes["cover"]
        assert "3 %–5 %" in notes["cover"]
    with translation.override("zh-hans"):
        notes = programme_notes(match, "institution")
        assert notes["cover"].startswith(f"已纳入{s.tool.name_zh}：对 3 %–5 % 区间内的损失补偿")
        assert "接受技术成熟度 6 级" in notes["cover"]


def test_covered_terms_do_not_apply_to_a_firm_the_tool_does_not_apply_to():
    s = scene()
    enrol(s, covered_trl_min=6)
    assert matched(s) is None  # not on the programme list
    put_on_list(s)
    assert matched(s) is not None
    FirmStanding.objects.create(firm=s.project.firm, bad_credit=True)
    s.tool.exclusions = ["bad_credit"]
    s.tool.save()
    assert matched(s) is None


def test_withdrawing_the_enrolment_unmatches_and_asks_for_a_rescore():
    s = scene()
    put_on_list(s)
    enrolment = enrol(s, covered_trl_min=6)
    assert matched(s) is not None
    PendingScoring.objects.all().delete()
    programme.enrolment_withdraw(enrolment=enrolment, by=s.bank_user)
    assert PendingScoring.objects.filter(kind="offering", object_id=s.loan.pk).exists()
    scoring.score_offering(s.loan.pk)
    assert not Match.objects.filter(project=s.project, offering=s.loan).exists()


def test_approving_an_enrolment_asks_for_the_offering_to_be_rescored():
    s = scene()
    enrolment = programme.enrolment_request(
        offering=s.loan, tool=s.tool, covered_trl_min=6, by=s.bank_user
    )
    PendingScoring.objects.all().delete()
    programme.enrolment_decide(enrolment=enrolment, approve=True, by=s.office)
    assert PendingScoring.objects.filter(kind="offering", object_id=s.loan.pk).exists()
    scoring.score_offering(s.loan.pk)
    put_on_list(s)
    assert matched(s) is not None


def test_changing_a_tool_asks_for_its_approved_offerings_only_to_be_rescored():
    s = scene()
    requested = OfferingFactory(institution=s.loan.institution, instrument="credit")
    programme.enrolment_request(offering=requested, tool=s.tool, covered_trl_min=6, by=s.bank_user)
    enrol(s, covered_trl_min=6)
    PendingScoring.objects.all().delete()

    programme.tool_update(tool=s.tool, data={"yearly_budget": 90_000_000}, by=s.office)

    rescored = PendingScoring.objects.filter(kind="offering").values_list("object_id", flat=True)
    assert list(rescored) == [s.loan.pk]  # the offering, not its enrolment; not the request


def test_the_firm_sees_its_net_cost_and_the_bank_its_covered_loss():
    s = scene(kind="interest_subsidy", loss_band_low_bp=None, loss_band_high_bp=None)
    pool = scene().tool
    put_on_list(s)
    enrol(s, covered_trl_min=6, indicative_rate_bp=420)
    programme.enrolment_decide(
        enrolment=programme.enrolment_request(offering=s.loan, tool=pool, by=s.bank_user),
        approve=True,
        by=s.office,
    )
    match = matched(s)
    client = Client()
    client.force_login(s.firm_user)
    page = client.get(reverse("firm:match_detail", args=[match.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Your cost: 4.2 % → 2.1 % after" in page.content.decode()
    client.force_login(s.bank_user)
    page = client.get(
        reverse("institution:match_detail", args=[match.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Your covered loss: the pool carries 50 % of losses between 3 % and 5 %" in (
        page.content.decode()
    )


def test_packages_count_the_larger_ticket_a_tool_allows():
    from matchmaker.matching import stacks
    from matchmaker.models import PackageMember

    s = scene()
    s.project.needs.filter(instrument="credit").update(amount=80_000_000)
    put_on_list(s)
    enrol(s, covered_trl_min=6, covered_ticket_max=100_000_000)
    assert matched(s) is not None
    stacks.rebuild_packages(s.project.pk)
    member = PackageMember.objects.get(package__project=s.project, package__rank=1)
    assert member.amount == 80_000_000  # the loan's own ticket stops at 50 M


def test_scoring_a_project_reads_the_open_tools_with_the_offerings_not_again():
    """The offerings' cached universe carries the tools its covered variants were encoded
    with; the project is encoded with the same, without asking for them again."""
    s = scene()
    put_on_list(s)
    enrol(s, covered_trl_min=6)
    scoring.load_offerings()  # a worker's warm cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        scoring.score_project(s.project.pk)
    assert not [q for q in captured if 'FROM "programme_tool"' in q["sql"]]
    assert Match.objects.filter(project=s.project, offering=s.loan).exists()


def test_a_tool_closed_since_the_offerings_were_cached_no_longer_covers():
    s = scene()
    put_on_list(s)
    enrol(s, covered_trl_min=6)
    assert matched(s) is not None
    s.tool.window_end = s.tool.window_start  # closed before today
    s.tool.save()
    assert matched(s) is None
