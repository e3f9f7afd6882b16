"""What every page of every role must never show again: Django's "---------" in a select,
a missing favicon, a doubled sign-up message; and Swagger UI runs under a CSP that lets
its styles in but no inline script."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.pages import pages, world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["anonymous", "firm", "institution", "operator"])
def test_no_select_on_any_page_offers_django_dashes(role):
    firm_member, institution_member, operator, project, offering, match = world(chinese=False)
    users = {"firm": firm_member.user, "institution": institution_member.user}
    client = Client()
    if role != "anonymous":
        client.force_login(users.get(role, operator))
    for url in pages(project, offering, match)[role]:
        html = client.get(url).content.decode()
        assert "---------" not in html, url
        assert 'rel="icon" href="/static/favicon.svg"' in html, url


def test_the_favicon_is_a_static_file():
    from django.contrib.staticfiles import finders

    assert finders.find("favicon.svg")


def test_signing_up_greets_once_and_the_banner_explains_verification(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "lina",
            "email": "lina@firm.test",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
            "full_name": "Li Na",
            "organization_name": "Songjiang Star Tech",
            "kind": "firm",
            "phone": "",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Welcome! Songjiang Star Tech is registered." in page
    assert page.count("until the programme office verifies it") == 1


def test_swagger_ui_may_style_itself_but_not_run_inline_scripts(operator_client):
    policy = operator_client.get("/api/v1/docs/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self';" in policy + ";"
    home_policy = operator_client.get("/")["Content-Security-Policy"]
    assert "'unsafe-inline'" not in home_policy
