"""The web form and the API keep one limit on milestones: thirty, counted on the rows a
firm keeps, with the same words; more writes nothing."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from projects.rules import MAX_MILESTONES
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

LATER = datetime.date.today() + datetime.timedelta(days=400)


def risks_step_data(count: int, blank_rows: int = 0) -> dict:
    data = {
        "exposures": ["launch_failure"],
        "collateral": ["equipment"],
        "milestones-TOTAL_FORMS": str(count + blank_rows),
        "milestones-INITIAL_FORMS": "0",
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": str(MAX_MILESTONES),
    }
    for index in range(count):
        data[f"milestones-{index}-title"] = f"Batch {index + 1} in orbit"
        data[f"milestones-{index}-due_date"] = (LATER + datetime.timedelta(days=index)).isoformat()
    return data


def post_risks(client, project, data):
    return client.post(reverse("projects:step", args=[project.pk, "risks"]), data)


def test_the_web_form_refuses_one_milestone_over_the_limit_and_keeps_none(firm_client, firm_member):
    project = ProjectFactory(firm=firm_member.firm, status="draft")
    response = post_risks(firm_client, project, risks_step_data(MAX_MILESTONES + 1))
    assert response.status_code == 200
    assert "A project keeps at most 30 milestones; you gave 31." in response.content.decode()
    assert not project.milestones.exists()


def test_the_web_form_takes_exactly_the_limit_with_blank_rows_beside_it(firm_client, firm_member):
    project = ProjectFactory(firm=firm_member.firm, status="draft")
    response = post_risks(firm_client, project, risks_step_data(MAX_MILESTONES, blank_rows=2))
    assert response.status_code == 302
    assert project.milestones.count() == MAX_MILESTONES


def api_for(firm_member) -> APIClient:
    api = APIClient()
    api.force_authenticate(firm_member.user)
    return api


def milestones(count: int) -> list[dict]:
    return [
        {"title": f"Batch {i + 1}", "due_date": (LATER + datetime.timedelta(days=i)).isoformat()}
        for i in range(count)
    ]


def test_the_api_refuses_one_milestone_over_the_limit_with_the_same_words(firm_member):
    project = ProjectFactory(firm=firm_member.firm)
    url = f"/api/v1/projects/{project.pk}/"
    response = api_for(firm_member).patch(
        url, {"milestones": milestones(MAX_MILESTONES + 1)}, format="json"
    )
    assert response.status_code == 400
    assert "A project keeps at most 30 milestones; you gave 31." in str(response.json())
    assert not project.milestones.exists()


def test_the_api_takes_exactly_the_limit(firm_member):
    project = ProjectFactory(firm=firm_member.firm)
    url = f"/api/v1/projects/{project.pk}/"
    response = api_for(firm_member).patch(
        url, {"milestones": milestones(MAX_MILESTONES)}, format="json"
    )
    assert response.status_code == 200
    assert project.milestones.count() == MAX_MILESTONES
