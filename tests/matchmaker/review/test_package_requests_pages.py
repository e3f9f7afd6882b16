"""A firm that asked a whole package sees its requests as waiting, never as its own to
answer; the institution asked reads one consistent story."""

import pytest
from django.urls import reverse

from matchmaker.models import Introduction
from tests.conftest import logged_in_client
from tests.matchmaker.matching.test_packages import stacked  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_the_firms_own_package_requests_show_waiting_not_accept_or_refuse(stacked):  # noqa: F811
    project, firm_user, _institutions = stacked
    client = logged_in_client(firm_user)
    client.post(reverse("firm:ask_package", args=[project.pk, 1]))
    introduction = Introduction.objects.filter(match__project=project).first()
    page = client.get(reverse("firm:introductions")).content.decode()
    assert "waiting for the institution to accept or refuse" in page
    assert reverse("firm:introduction_accept", args=[introduction.pk]) not in page
    assert reverse("firm:introduction_refuse", args=[introduction.pk]) not in page
    assert ">Accept<" not in page and "Refuse…" not in page


def test_the_insurer_asked_by_the_firm_is_told_to_accept_not_to_wait(stacked):  # noqa: F811
    project, firm_user, institutions = stacked
    logged_in_client(firm_user).post(reverse("firm:ask_package", args=[project.pk, 1]))
    introduction = Introduction.objects.get(
        match__project=project, match__offering__name="Launch cover"
    )
    insurer = logged_in_client(institutions["insurer"])
    page = insurer.get(reverse("institution:match_detail", args=[introduction.match_id]))
    text = page.content.decode()
    assert "The firm asks you for an introduction" in text
    assert "appear once you accept its request below" in text
    assert "appear once it accepts an introduction" not in text
