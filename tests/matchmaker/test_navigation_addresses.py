"""The navigation bar's addresses (base.html) are the pages' own, reversed once per URL
configuration instead of a `{% url %}` each on every page."""

import pytest
from django.urls import reverse

from matchmaker.context_processors import NAVIGATION
from tests.conftest import logged_in_client
from tests.factories import FirmMemberFactory, InstitutionMemberFactory

pytestmark = pytest.mark.django_db


def links(page: str, *names: str) -> list[str]:
    """The names whose address the page does not link or post to."""
    return [
        name
        for name in names
        if f'href="{reverse(name)}"' not in page and f'action="{reverse(name)}"' not in page
    ]


def test_an_institution_members_bar_links_its_pages(client):
    member = InstitutionMemberFactory()
    page = logged_in_client(member.user).get("/institution/matches/").content.decode()
    assert not links(
        page,
        "home",
        "institution:match_list",
        "institution:pipeline",
        "investors:list",
        "programme:financier",
        "dealroom:list",
        "notifications:list",
        "webhooks:list",
        "password_change",
        "logout",
        "set_language",
        "programme:public_list",
    )


def test_a_firm_members_bar_links_its_pages():
    member = FirmMemberFactory()
    page = logged_in_client(member.user).get("/projects/").content.decode()
    assert not links(page, "projects:list", "firm:introductions", "programme:firm")


def test_a_visitors_bar_links_log_in_and_sign_up(client):
    page = client.get(reverse("login")).content.decode()
    assert not links(page, "login", "signup", "home", "set_language")


def test_a_page_reverses_none_of_the_bars_addresses(reversed_addresses):
    bar = {reverse(name) for name in NAVIGATION}
    member = InstitutionMemberFactory()
    client = logged_in_client(member.user)
    client.get("/notifications/")
    reversed_addresses.clear()
    assert client.get("/notifications/").status_code == 200
    assert reversed_addresses  # (the page's own links are still reversed: counted)
    assert not bar & set(reversed_addresses)
