"""Under `make run` (DEBUG on) a missing page is the app's own 404, in the reader's
language, not Django's English debug page; the API keeps its JSON 404."""

import pytest
from django.test import override_settings

from matchmaker.models import Profile

pytestmark = pytest.mark.django_db

DEBUG_PAGE_MARKS = ("Using the URLconf", "Page not found at", "technical_404", "Raised by:")


@override_settings(DEBUG=True)
def test_an_unknown_address_under_debug_is_our_page_in_chinese(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = response.content.decode()
    assert response.status_code == 404
    assert not any(mark in text for mark in DEBUG_PAGE_MARKS)
    assert '<html lang="zh-hans">' in text
    assert "Not found" not in text and "There is nothing here" not in text


@override_settings(DEBUG=True)
def test_an_object_that_is_not_yours_under_debug_is_our_page(firm_client, firm_member):
    Profile.objects.create(user=firm_member.user, language="en")
    response = firm_client.get("/projects/999999/")
    text = response.content.decode()
    assert response.status_code == 404
    assert not any(mark in text for mark in DEBUG_PAGE_MARKS)
    assert "There is nothing here, or it is not yours to see." in text


@override_settings(DEBUG=True)
def test_the_api_keeps_its_json_404_under_debug(client):
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
