"""#25: the basics step asks, for a firm outside China, its country and where the work
happens (ISO codes, optional); a country with a Chinese province is explained next to
the field, and the project page shows what was given."""

import pytest
from django.urls import reverse

from projects.models import Project
from tests.factories import ProjectFactory
from tests.projects.test_project_form import BASICS

pytestmark = pytest.mark.django_db

ABROAD = {"province": "abroad", "registered_province": "abroad", "region": "other_china"}


def post_basics(client, **changes):
    return client.post(reverse("projects:create"), {**BASICS, **changes})


def test_a_page_without_the_countries_leaves_them_blank(firm_client):
    post_basics(firm_client)
    assert (Project.objects.get().country, Project.objects.get().registered_country) == ("", "")


def test_a_foreign_firm_gives_its_countries(firm_client):
    post_basics(firm_client, **ABROAD, registered_country="AZ", country="FR")
    project = Project.objects.get()
    assert (project.registered_country, project.country) == ("AZ", "FR")


def test_a_country_for_work_in_china_is_explained_and_nothing_saved(firm_client):
    response = post_basics(firm_client, country="FR")
    assert response.status_code == 200
    assert "only outside China" in " ".join(response.context["form"].errors["country"])
    assert not Project.objects.exists()


def test_the_project_page_shows_the_countries(firm_client, firm_member):
    project = ProjectFactory(firm=firm_member.firm, **ABROAD, registered_country="JP", country="US")
    page = firm_client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "<dd>United States / Japan</dd>" in page
