"""The five-step project form: drafts saved, errors shown in place, nothing lost."""

import pytest
from django.urls import reverse

from projects.models import Project, ProjectStatus
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

BASICS = {
    "title": "Laser inter-satellite terminal",
    "summary": "Optical crosslinks for LEO shells.",
    "segment": "components",
    "stage": "prototype",
    "trl": "5",
    "months_to_revenue": "36",
    "months_to_break_even": "60",
    "city": "Shanghai",
    "region": "songjiang",
    "prior_funding": "20000000",
}


def test_basics_step_creates_a_draft_and_moves_on_to_needs(firm_client, firm_member):
    response = firm_client.post(reverse("projects:create"), BASICS)
    project = Project.objects.get()
    assert project.firm == firm_member.firm
    assert project.status == ProjectStatus.DRAFT
    assert response.url == reverse("projects:step", args=[project.pk, "needs"])


def test_invalid_basics_keep_what_was_typed_and_save_nothing(firm_client):
    response = firm_client.post(reverse("projects:create"), {**BASICS, "trl": "12"})
    assert response.status_code == 200
    assert Project.objects.count() == 0
    page = response.content.decode()
    assert 'value="Laser inter-satellite terminal"' in page
    assert "Ensure this value is less than or equal to 9." in page


def test_break_even_before_revenue_is_explained_next_to_its_field(firm_client):
    response = firm_client.post(
        reverse("projects:create"),
        {**BASICS, "months_to_revenue": "60", "months_to_break_even": "12"},
    )
    assert response.context["form"].errors["months_to_break_even"] == [
        "Break-even cannot come before first revenue (60 months)."
    ]


def test_needs_step_stores_one_need_per_instrument(firm_client, firm_member):
    project = ProjectFactory(firm=firm_member.firm, status=ProjectStatus.DRAFT, needs={})
    url = reverse("projects:step", args=[project.pk, "needs"])
    response = firm_client.post(
        url, {"equity": "80000000", "credit": "", "risk_cover": "300000000"}
    )
    assert response.url == reverse("projects:step", args=[project.pk, "risks"])
    assert dict(project.needs.values_list("instrument", "amount")) == {
        "equity": 80_000_000,
        "risk_cover": 300_000_000,
    }


def test_needs_step_without_any_amount_asks_for_one(firm_client, firm_member):
    project = ProjectFactory(firm=firm_member.firm, status=ProjectStatus.DRAFT, needs={})
    response = firm_client.post(reverse("projects:step", args=[project.pk, "needs"]), {})
    assert "at least one instrument" in response.content.decode()
    assert not project.needs.exists()


def test_negative_need_is_refused_and_the_typed_amounts_stay(firm_client, firm_member):
    project = ProjectFactory(firm=firm_member.firm, status=ProjectStatus.DRAFT, needs={})
    response = firm_client.post(
        reverse("projects:step", args=[project.pk, "needs"]), {"equity": "-5", "credit": "7000000"}
    )
    page = response.content.decode()
    assert "Enter a positive amount, in whole RMB." in page
    assert 'value="7000000"' in page
    assert not project.needs.exists()


def test_risks_step_saves_exposures_and_milestones(firm_client, firm_member):
    project = ProjectFactory(firm=firm_member.firm, status=ProjectStatus.DRAFT)
    data = {
        "exposures": ["launch_failure", "regulatory"],
        "collateral": ["ip"],
        "milestones-TOTAL_FORMS": "2",
        "milestones-INITIAL_FORMS": "0",
        "milestones-0-title": "First launch",
        "milestones-0-due_date": "2028-03-01",
        "milestones-1-title": "",
        "milestones-1-due_date": "",
    }
    response = firm_client.post(reverse("projects:step", args=[project.pk, "risks"]), data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.exposures == ["launch_failure", "regulatory"]
    assert list(project.milestones.values_list("title", flat=True)) == ["First launch"]


def test_save_draft_stays_on_the_step(firm_client, firm_member):
    project = ProjectFactory(firm=firm_member.firm, status=ProjectStatus.DRAFT)
    url = reverse("projects:step", args=[project.pk, "basics"])
    response = firm_client.post(url, {**BASICS, "stay": "1"})
    assert response.url == url


def test_submit_moves_a_complete_draft_to_submitted(firm_client, firm_member):
    project = ProjectFactory(firm=firm_member.firm, status=ProjectStatus.DRAFT, submitted_at=None)
    response = firm_client.post(reverse("projects:submit", args=[project.pk]), follow=True)
    project.refresh_from_db()
    assert project.status == ProjectStatus.SUBMITTED
    assert project.submitted_at is not None
    assert "matching engine is scoring your project" in response.content.decode()


def test_submit_without_needs_is_refused_with_the_reason(firm_client, firm_member):
    project = ProjectFactory(firm=firm_member.firm, status=ProjectStatus.DRAFT, needs={})
    response = firm_client.post(reverse("projects:submit", args=[project.pk]), follow=True)
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT
    assert "at least one instrument" in response.content.decode()


def test_editing_a_submitted_project_counts_a_revision(firm_client, firm_member):
    project = ProjectFactory(firm=firm_member.firm)
    firm_client.post(reverse("projects:step", args=[project.pk, "basics"]), {**BASICS, "trl": "7"})
    project.refresh_from_db()
    assert (project.trl, project.revision) == (7, 2)


def test_withdraw_hides_the_project_and_stops_edits(firm_client, firm_member):
    project = ProjectFactory(firm=firm_member.firm)
    firm_client.post(reverse("projects:withdraw", args=[project.pk]))
    project.refresh_from_db()
    assert project.status == ProjectStatus.WITHDRAWN
    response = firm_client.get(reverse("projects:step", args=[project.pk, "basics"]))
    assert response.url == reverse("projects:detail", args=[project.pk])


def test_every_step_renders_with_a_progress_bar(firm_client, firm_member):
    project = ProjectFactory(firm=firm_member.firm, status=ProjectStatus.DRAFT)
    for step in ["basics", "needs", "risks", "documents", "review"]:
        response = firm_client.get(reverse("projects:step", args=[project.pk, step]))
        assert response.status_code == 200, step
        assert "<progress" in response.content.decode()


def test_project_list_filters_by_status(firm_client, firm_member):
    ProjectFactory(firm=firm_member.firm, title="Visible draft", status=ProjectStatus.DRAFT)
    ProjectFactory(firm=firm_member.firm, title="Submitted one")
    response = firm_client.get(reverse("projects:list"), {"status": "draft"})
    page = response.content.decode()
    assert "Visible draft" in page
    assert "Submitted one" not in page


def test_project_list_runs_a_fixed_number_of_queries(
    firm_client, firm_member, django_assert_max_num_queries
):
    ProjectFactory.create_batch(15, firm=firm_member.firm)
    with django_assert_max_num_queries(10):
        firm_client.get(reverse("projects:list"))


def test_marking_funded_takes_the_project_out_of_matching(
    firm_client, firm_member, django_capture_on_commit_callbacks
):
    from matchmaker.matching import scoring
    from matchmaker.models import Match
    from tests.factories import OfferingFactory

    project = ProjectFactory(firm=firm_member.firm)
    OfferingFactory()
    scoring.score_project(project.pk)
    with django_capture_on_commit_callbacks(execute=True):
        firm_client.post(reverse("projects:funded", args=[project.pk]))
    project.refresh_from_db()
    assert project.status == ProjectStatus.FUNDED
    assert not Match.objects.filter(project=project).exists()
    draft = ProjectFactory(firm=firm_member.firm, status=ProjectStatus.DRAFT)
    response = firm_client.post(reverse("projects:funded", args=[draft.pk]), follow=True)
    assert "Only a submitted project" in response.content.decode()
