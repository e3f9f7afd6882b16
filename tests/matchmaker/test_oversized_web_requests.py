"""A web request over the size limit is a 413 page, whoever sends it, never a 500.

The size middleware answers before the session and authentication middleware run, so the
413 page is rendered for a request with no user yet."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode

from projects.models import Document, ProjectStatus
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

THREE_MB = "x" * 3_000_000


def post_form(client, url: str, data: dict):
    """As a browser posts a plain form: URL-encoded, with its length stated."""
    return client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")


def assert_413_page(response):
    assert response.status_code == 413
    assert "text/html" in response["Content-Type"]
    assert "Nothing was saved" in response.content.decode()


@pytest.mark.parametrize("url_name", ["login", "signup"])
def test_a_3_mb_form_to_log_in_or_sign_up_is_a_413_page(url_name):
    client = Client()
    response = post_form(client, reverse(url_name), {"username": THREE_MB, "password": "x"})
    assert_413_page(response)


def test_a_25_mb_upload_to_a_projects_documents_is_a_413_page(firm_client, firm_member):
    project = ProjectFactory(firm=firm_member.firm, status=ProjectStatus.DRAFT)
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * (25 * 1024 * 1024))
    response = firm_client.post(
        reverse("projects:step", args=[project.pk, "documents"]),
        {"kind": "pitch_deck", "file": big, "upload": "1"},
    )
    assert_413_page(response)
    assert not Document.objects.exists()


@pytest.mark.parametrize(("language", "words"), [("zh-hans", "内容过大"), ("en", "Too large")])
def test_the_413_page_speaks_the_visitors_language(language, words):
    client = Client(headers={"accept-language": language})
    response = post_form(client, reverse("login"), {"username": THREE_MB})
    assert response.status_code == 413
    assert words in response.content.decode()
