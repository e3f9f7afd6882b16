"""The project form says its limits: a summary over the limit is refused with its count
and kept whole (never cut silently), huge or implausible amounts are named in words, and
an empty step 2 says its one message once."""

import pytest
from django.urls import reverse

from projects.models import Project, ProjectStatus
from tests.factories import ProjectFactory
from tests.projects.test_project_form import BASICS

pytestmark = pytest.mark.django_db


def test_a_pasted_summary_over_the_limit_is_refused_and_kept_whole(firm_client):
    pasted = "星" * 200_000
    response = firm_client.post(reverse("projects:create"), {**BASICS, "summary": pasted})
    page = response.content.decode()
    assert response.status_code == 200 and not Project.objects.exists()
    assert "The summary has 200,000 characters; at most 5,000 fit." in page
    assert pasted in page  # every character typed is still in the text area
    assert 'maxlength="5000"' not in page  # the browser no longer cuts a paste


def test_the_summary_shows_its_limit_and_carries_the_live_counter(firm_client):
    page = firm_client.get(reverse("projects:create")).content.decode()
    assert "At most 5,000 characters: the pitch deck carries the rest." in page
    assert 'data-count-words="%(count)s of %(limit)s characters"' in page
    assert "js/character-count.js" in page


def test_a_huge_prior_funding_is_named_in_words_not_the_column_range(firm_client):
    response = firm_client.post(
        reverse("projects:create"), {**BASICS, "prior_funding": "99999999999999999999"}
    )
    page = response.content.decode()
    assert "At most RMB 100 billion: check the number of digits." in page
    assert "9223372036854775807" not in page and not Project.objects.exists()


def test_five_trillion_for_a_trl_5_start_up_is_refused_in_chinese_words(firm_client, firm_member):
    from matchmaker.models import Profile

    Profile.objects.create(user=firm_member.user, language="zh-hans")
    response = firm_client.post(
        reverse("projects:create"), {**BASICS, "trl": "5", "prior_funding": "5000000000000"}
    )
    assert "不超过1,000亿元" in response.content.decode()
    assert not Project.objects.exists()


def test_an_implausible_but_possible_amount_is_saved_with_a_warning(firm_client):
    response = firm_client.post(
        reverse("projects:create"),
        {**BASICS, "trl": "5", "prior_funding": "30000000000"},
        follow=True,
    )
    page = response.content.decode()
    assert Project.objects.get().prior_funding == 30_000_000_000
    assert "Prior funding of RMB 30,000,000,000 is far more than projects at TRL 5" in page


def test_a_need_beyond_any_space_deal_is_saved_with_a_warning(firm_client, firm_member):
    project = ProjectFactory(firm=firm_member.firm, status=ProjectStatus.DRAFT, needs={})
    response = firm_client.post(
        reverse("projects:step", args=[project.pk, "needs"]),
        {"equity": "50000000000"},
        follow=True,
    )
    assert "would be one of the largest space financings ever" in response.content.decode()


def test_step_2_with_every_amount_empty_says_it_once(firm_client, firm_member):
    project = ProjectFactory(firm=firm_member.firm, status=ProjectStatus.DRAFT, needs={})
    response = firm_client.post(reverse("projects:step", args=[project.pk, "needs"]), {})
    page = response.content.decode()
    assert page.count("Enter an amount for at least one instrument") == 1


def test_the_api_returns_the_same_warnings_and_saves(firm_member):
    from tests.api.conftest import api_client_for

    body = {
        "title": "Reusable booster",
        "segment": "launch",
        "stage": "prototype",
        "trl": 5,
        "prior_funding": 30_000_000_000,
        "needs": [{"instrument": "equity", "amount": 50_000_000_000}],
    }
    response = api_client_for(firm_member.user).post("/api/v1/projects/", body, format="json")
    assert response.status_code == 201, response.json()
    warnings = response.json()["warnings"]
    assert len(warnings) == 2
    assert "far more than projects at TRL 5" in warnings[0]
    assert "largest space financings ever" in warnings[1]
    huge = api_client_for(firm_member.user).post(
        "/api/v1/projects/", {**body, "prior_funding": 99999999999999999999}, format="json"
    )
    assert huge.status_code == 400
    assert huge.json()["prior_funding"] == ["At most RMB 100 billion: check the number of digits."]
