"""The basics step asks for the facts that decide real deals: what has flown, revenue,
the round sought and where the firm works; disagreements are explained next to the field,
and a page opened before these existed still saves with the cautious defaults."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from projects.models import Project
from tests.factories import ProjectFactory
from tests.projects.test_project_form import BASICS

pytestmark = pytest.mark.django_db


def post_basics(client, **changes):
    return client.post(reverse("projects:create"), {**BASICS, **changes})


def test_a_page_without_the_new_fields_saves_the_cautious_defaults(firm_client):
    post_basics(firm_client)
    project = Project.objects.get()
    assert (project.flight_record, project.revenue_status, project.province) == (
        "not_flown",
        "pre_revenue",
        "shanghai",
    )


def test_a_first_flight_counts_one_flight_without_asking(firm_client):
    post_basics(firm_client, flight_record="first_flight", successful_flights="0")
    assert Project.objects.get().successful_flights == 1


def test_a_proven_earning_project_elsewhere_in_china_is_saved(firm_client):
    post_basics(
        firm_client,
        flight_record="flight_proven",
        successful_flights="12",
        revenue_status="profitable",
        last_year_revenue="450000000",
        province="hubei",
        region="other_china",
        registered_province="beijing",
        round_role="follow",
    )
    project = Project.objects.get()
    assert (project.successful_flights, project.registered_province) == (12, "beijing")


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"successful_flights": "4"}, "successful_flights", "You counted 4 successful flights"),
        (
            {"flight_record": "flight_proven", "successful_flights": "1"},
            "successful_flights",
            "at least 2",
        ),
        ({"last_year_revenue": "1000000"}, "last_year_revenue", "A pre-revenue firm"),
        ({"province": "jiangsu"}, "region", "Outside Shanghai"),
    ],
)
def test_facts_that_disagree_are_explained_and_the_typing_kept(firm_client, change, field, words):
    response = post_basics(firm_client, **change)
    assert response.status_code == 200
    assert words in " ".join(response.context["form"].errors[field])
    assert 'value="Laser inter-satellite terminal"' in response.content.decode()
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"flight_record": "first_flight", "successful_flights": 0},
        {"revenue_status": "pre_revenue", "last_year_revenue": 10},
        {"province": "beijing", "region": "songjiang"},
    ],
)
def test_the_database_holds_the_facts_together(changes):
    with pytest.raises(IntegrityError):
        ProjectFactory(**changes)


def test_the_project_page_shows_the_track_record(firm_client, firm_member):
    project = ProjectFactory(
        firm=firm_member.firm,
        flight_record="flight_proven",
        successful_flights=6,
        revenue_status="revenue",
        last_year_revenue=80_000_000,
        registered_province="beijing",
    )
    page = firm_client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Several successful flights or units in orbit (6 successful flights" in page
    assert "Earning revenue (RMB 80,000,000 last year)" in page
    assert "Registered in</dt><dd>Beijing" in page
