"""A signed-in request reads the user's firm, institution and saved language in one query
(the second factor's check, the navigation and the language each read one: three a page),
and an API request reads them with its token; what they find is unchanged."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from matchmaker.accounts.languages import language_save
from tests.conftest import logged_in_client
from tests.factories import FirmMemberFactory, InstitutionMemberFactory

pytestmark = pytest.mark.django_db
MEMBERSHIP_TABLES = (
    '"projects_firmmember"',
    '"investors_institutionmember"',
    '"matchmaker_profile"',
)


def reads_of_memberships(queries) -> list[str]:
    return [q["sql"] for q in queries if any(t in q["sql"] for t in MEMBERSHIP_TABLES)]


def test_a_page_reads_the_users_memberships_and_language_in_one_query():
    member = InstitutionMemberFactory()
    language_save(user=member.user, language="zh-hans")
    client = logged_in_client(member.user)
    with CaptureQueriesContext(connection) as page:
        response = client.get(reverse("institution:match_list"))
    assert response.status_code == 200  # (institution members only: it found the institution)
    assert len(reads_of_memberships(page.captured_queries)) == 1
    assert '<html lang="zh-hans"' in response.content.decode()  # the saved language holds


def test_a_firms_page_finds_its_firm_the_same_way():
    member = FirmMemberFactory()
    client = logged_in_client(member.user)
    with CaptureQueriesContext(connection) as page:
        response = client.get(reverse("projects:list"))
    assert response.status_code == 200  # (firm members only: it found the firm)
    assert len(reads_of_memberships(page.captured_queries)) == 1


def test_an_api_request_reads_the_memberships_with_its_token():
    member = InstitutionMemberFactory()
    client = APIClient()
    key = Token.objects.create(user=member.user).key
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    with CaptureQueriesContext(connection) as request:
        assert client.get("/api/v1/matches/").status_code == 200
    [read] = reads_of_memberships(request.captured_queries)
    assert '"authtoken_token"' in read  # with the token
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    refused = client.get("/api/v1/matches/")
    assert refused.status_code == 401 and refused.json()["detail"] == "Invalid token."
