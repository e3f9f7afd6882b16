"""The browser and the server refuse the same values, a district is chosen (never
assumed), a past milestone date is refused, and errors are listed at the top."""

import datetime

import pytest
from django.urls import reverse

from projects.models import Project
from tests.factories import ProjectFactory
from tests.projects.test_project_form import BASICS

pytestmark = pytest.mark.django_db


def test_number_inputs_carry_the_models_limits(firm_client):
    page = firm_client.get(reverse("projects:create")).content.decode()
    assert 'name="trl" min="1" max="9"' in page
    assert 'name="prior_funding" value="0" min="0" max="100000000000"' in page
    assert 'data-max-length="5000"' in page and 'maxlength="5000"' not in page


def test_the_server_refuses_what_the_browser_would(firm_client):
    for field, value in [("trl", "0"), ("prior_funding", "-5"), ("summary", "x" * 5001)]:
        response = firm_client.post(reverse("projects:create"), {**BASICS, field: value})
        assert response.status_code == 200, field
        assert Project.objects.count() == 0, field


def test_the_district_starts_empty_and_must_be_chosen(firm_client):
    page = firm_client.get(reverse("projects:create")).content.decode()
    assert '<option value="" selected>Choose the district…</option>' in page
    response = firm_client.post(reverse("projects:create"), {**BASICS, "region": ""})
    assert Project.objects.count() == 0
    assert "This field is required." in response.content.decode()


def test_the_review_step_shows_the_city_typed(firm_client, firm_member):
    project = ProjectFactory(firm=firm_member.firm, status="draft", city="Jiaxing")
    page = firm_client.get(reverse("projects:step", args=[project.pk, "review"]))
    assert "<dt>City</dt><dd>Jiaxing</dd>" in page.content.decode()


def test_errors_are_listed_at_the_top_with_links_to_their_fields(firm_client):
    response = firm_client.post(
        reverse("projects:create"), {**BASICS, "trl": "0", "title": "", "region": ""}
    )
    page = response.content.decode()
    summary = page[
        page.index('id="error-summary"') : page.index("</ul>", page.index("error-summary"))
    ]
    assert '<a href="#id_title">Title: This field is required.</a>' in summary
    assert '<a href="#id_trl">' in summary and '<a href="#id_region">' in summary
    assert page.index('id="error-summary"') < page.index('name="title"')


def test_a_milestone_in_the_past_is_refused_in_the_form(firm_client, firm_member):
    project = ProjectFactory(firm=firm_member.firm, status="draft")
    data = {
        "exposures": ["launch_failure"],
        "collateral": ["equipment"],
        "milestones-TOTAL_FORMS": "1",
        "milestones-INITIAL_FORMS": "0",
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "30",
        "milestones-0-title": "First launch",
        "milestones-0-due_date": "2020-03-01",
    }
    response = firm_client.post(reverse("projects:step", args=[project.pk, "risks"]), data)
    assert "A milestone is a plan: choose a date from today on." in response.content.decode()
    assert not project.milestones.exists()


def test_a_milestone_in_the_past_is_refused_by_the_api_but_an_old_one_may_stay(
    firm_member,
):
    from rest_framework.test import APIClient

    project = ProjectFactory(firm=firm_member.firm)
    project.milestones.create(title="Prototype flown", due_date=datetime.date(2024, 5, 1))
    api = APIClient()
    api.force_authenticate(firm_member.user)
    url = f"/api/v1/projects/{project.pk}/"
    kept = [{"title": "Prototype flown", "due_date": "2024-05-01"}]
    assert api.patch(url, {"milestones": kept}, format="json").status_code == 200
    typo = [*kept, {"title": "First launch", "due_date": "2020-03-01"}]
    response = api.patch(url, {"milestones": typo}, format="json")
    assert response.status_code == 400
    assert "choose a date from today on" in str(response.json())
