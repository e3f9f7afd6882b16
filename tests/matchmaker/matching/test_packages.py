"""Packages in the product: built after scoring, shown to the firm, asked in one action."""

import pytest
from django.db import connection
from django.urls import reverse

from matchmaker.matching import scoring, stacks
from matchmaker.models import Introduction, Match, MatchStatus, Package, PackageMember
from tests.api.conftest import api_client_for
from tests.conftest import logged_in_client
from tests.factories import (
    FirmMemberFactory,
    InstitutionMemberFactory,
    LaunchCoverFactory,
    OfferingFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def stacked():
    """A launch project seeking equity, credit and launch cover, and one offering of each."""
    firm_member = FirmMemberFactory()
    project = ProjectFactory(
        firm=firm_member.firm,
        segment="launch",
        exposures=["launch_failure"],
        needs={"equity": 100_000_000, "credit": 50_000_000, "risk_cover": 200_000_000},
    )
    fund, bank, insurer = (
        InstitutionMemberFactory(institution__institution_type=t)
        for t in ("vc_fund", "bank", "insurer")
    )
    OfferingFactory(institution=fund.institution, name="Fund equity", ticket_max=60_000_000)
    OfferingFactory(
        institution=bank.institution, name="Bank loan", instrument="credit", ticket_max=50_000_000
    )
    OfferingFactory(
        institution=insurer.institution,
        name="Launch cover",
        instrument="risk_cover",
        exposures_covered=["launch_failure"],
        ticket_max=500_000_000,
    )
    scoring.score_project(project.pk)
    stacks.rebuild_packages(project.pk)
    return (
        project,
        firm_member.user,
        {"fund": fund.user, "bank": bank.user, "insurer": insurer.user},
    )


def test_a_package_combines_equity_credit_and_launch_cover(stacked):
    project, _firm, _institutions = stacked
    package = Package.objects.get(project=project, rank=1)
    assert package.coverage == {"equity": 0.6, "credit": 1.0, "risk_cover": 1.0}
    assert package.uncovered == {"equity": 40_000_000, "credit": 0, "risk_cover": 0}
    members = {m.match.offering.name: m.amount for m in package.members.all()}
    assert members == {
        "Fund equity": 60_000_000,
        "Bank loan": 50_000_000,
        "Launch cover": 200_000_000,
    }
    launch = package.members.get(match__offering__name="Launch cover")
    assert "launch / in-orbit risk" in launch.reason


def test_the_firm_sees_packages_and_asks_every_member_at_once(stacked):
    project, firm_user, institutions = stacked
    client = logged_in_client(firm_user)
    page = client.get(reverse("firm:project_matches", args=[project.pk])).content.decode()
    assert "Suggested financing packages" in page and "Launch cover" in page
    assert "Still uncovered in Equity: RMB 40,000,000" in page
    client.post(reverse("firm:ask_package", args=[project.pk, 1]))
    introductions = Introduction.objects.filter(match__project=project)
    assert introductions.count() == 3
    assert set(introductions.values_list("initiated_by", flat=True)) == {"firm"}
    insurer = logged_in_client(institutions["insurer"])
    introduction = introductions.get(match__offering__name="Launch cover")
    detail = insurer.get(
        reverse("institution:match_detail", args=[introduction.match_id])
    ).content.decode()
    assert "The firm asks you for an introduction" in detail
    assert "Fund equity" not in detail and "Another member (VC / PE fund)" in detail  # names later
    insurer.post(reverse("institution:introduction_accept", args=[introduction.pk]))
    introduction.refresh_from_db()
    assert introduction.state == "accepted"
    assert introduction.match.status == MatchStatus.IN_TALKS
    detail = insurer.get(
        reverse("institution:match_detail", args=[introduction.match_id])
    ).content.decode()
    assert project.firm.contact_email in detail


def test_the_firm_cannot_answer_its_own_request(stacked):
    project, firm_user, _institutions = stacked
    client = logged_in_client(firm_user)
    client.post(reverse("firm:ask_package", args=[project.pk, 1]))
    introduction = Introduction.objects.filter(match__project=project).first()
    assert (
        client.post(reverse("firm:introduction_accept", args=[introduction.pk])).status_code == 404
    )


def test_another_firm_cannot_see_or_ask_a_package(stacked):
    project, _firm, _institutions = stacked
    outsider = logged_in_client(FirmMemberFactory().user)
    assert outsider.post(reverse("firm:ask_package", args=[project.pk, 1])).status_code == 404
    assert not Introduction.objects.exists()
    assert (
        api_client_for(FirmMemberFactory().user)
        .get(f"/api/v1/projects/{project.pk}/packages/")
        .status_code
        == 404
    )


def test_packages_through_the_api(stacked):
    project, firm_user, _institutions = stacked
    body = api_client_for(firm_user).get(f"/api/v1/projects/{project.pk}/packages/").json()
    assert body[0]["rank"] == 1
    assert body[0]["coverage"] == {"equity": 0.6, "credit": 1.0, "risk_cover": 1.0}
    assert body[0]["uncovered"]["equity"] == 40_000_000
    assert {m["instrument"] for m in body[0]["members"]} == {"equity", "credit", "risk_cover"}
    assert set(body[0]["members"][0]) >= {
        "match_id",
        "offering_id",
        "institution_id",
        "instrument",
        "amount",
    }


def test_withdrawn_projects_lose_their_packages(stacked):
    project, _firm, _institutions = stacked
    from projects import services as project_services

    project_services.project_withdraw(project=project, by=None)
    stacks.rebuild_packages(project.pk)
    assert not Package.objects.filter(project=project).exists()


def test_packages_follow_scoring_after_submit(django_capture_on_commit_callbacks):
    from projects import services as project_services
    from projects.models import ProjectStatus

    project = ProjectFactory(status=ProjectStatus.DRAFT, needs={"equity": 30_000_000})
    OfferingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        project_services.project_submit(project=project, by=None)
    assert Package.objects.filter(project=project).exists()


@pytest.mark.django_db(transaction=True)
def test_packages_are_solved_before_any_write_transaction_opens(stacked, monkeypatch):
    """On SQLite a write transaction blocks every other writer (a log-in writes its
    session): it must not stay open while the solver works."""
    project = stacked[0]
    in_transaction_while_solving = []
    solve = stacks.build_packages

    def watched(*args, **kwargs):
        in_transaction_while_solving.append(connection.in_atomic_block)
        return solve(*args, **kwargs)

    monkeypatch.setattr(stacks, "build_packages", watched)
    Package.objects.all().delete()
    assert stacks.rebuild_packages(project.pk) > 0
    assert in_transaction_while_solving == [False]
    assert Package.objects.filter(project=project).exists()


def test_a_rebuild_from_unchanged_inputs_keeps_the_packages_without_solving(stacked, monkeypatch):
    """A full re-score rebuilds every project's packages: where nothing the solver reads
    changed, nothing is solved or written again."""
    project = stacked[0]
    before = list(Package.objects.filter(project=project).values_list("pk", "computed_at"))

    def no_solver(*_args, **_kwargs):
        raise AssertionError("solved again from unchanged inputs")

    monkeypatch.setattr(stacks, "build_packages", no_solver)
    assert stacks.rebuild_packages(project.pk) == len(before)
    assert list(Package.objects.filter(project=project).values_list("pk", "computed_at")) == (
        before
    )


def test_a_changed_need_rebuilds_the_packages(stacked):
    project = stacked[0]
    before = set(Package.objects.filter(project=project).values_list("pk", flat=True))
    project.needs.filter(instrument="equity").update(amount=60_000_000)
    stacks.rebuild_packages(project.pk)
    package = Package.objects.get(project=project, rank=1)
    assert package.pk not in before
    assert package.coverage["equity"] == 1.0


def test_a_declined_member_rebuilds_the_packages(stacked):
    project, _firm, _institutions = stacked
    member = Package.objects.get(project=project, rank=1).members.first()
    Match.objects.filter(pk=member.match_id).update(status=MatchStatus.DECLINED)
    stacks.rebuild_packages(project.pk)
    assert not PackageMember.objects.filter(match_id=member.match_id).exists()


def test_insurers_taking_lines_form_a_panel_that_covers_the_risk():
    project = ProjectFactory(
        segment="launch",
        exposures=["launch_failure"],
        needs={"risk_cover": 300_000_000},
    )
    for n in range(3):
        LaunchCoverFactory(
            institution=InstitutionMemberFactory(
                institution__institution_type="insurer"
            ).institution,
            name=f"Launch line {n}",
            line_share=40,
        )
    scoring.score_project(project.pk)
    stacks.rebuild_packages(project.pk)
    best = Package.objects.filter(project=project).order_by("rank").first()
    members = list(best.members.all())
    assert best.coverage["risk_cover"] == 1.0
    assert len(members) == 3 and max(m.amount for m in members) <= 120_000_000
    assert all("One of a panel of 3 insurers sharing this risk." in m.reason for m in members)
