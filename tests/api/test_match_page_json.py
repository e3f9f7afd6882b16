"""The API's match list is kept and sent as the bytes the JSON renderer writes, its rows
written once each (`MatchViewSet._page_json`, #26): byte for byte what rendering the
page's data gives, in every language and for every page, the same bytes again from the
cache, and a client that asks for another layout still gets it."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matchmaker.api.renderers import SafeJSONRenderer
from matchmaker.matching import scoring
from tests.api.conftest import api_client_for
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db
MATCHES = "/api/v1/matches/"


@pytest.fixture
def client():
    member = InstitutionMemberFactory()
    OfferingFactory(institution=member.institution, ticket_max=500_000_000)
    titles = ["星载终端 line", "Depot \u2028 with a line separator", 'Quoted "tracker"', "Plain"]
    for trl, title in zip((4, 5, 6, 7, 8, 6), titles * 2, strict=False):
        scoring.score_project(ProjectFactory(trl=trl, title=title).pk)
    return api_client_for(member.user)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    "query", ["", "?page_size=2", "?page_size=2&page=2", "?min_score=0&sort=score", "?page=9"]
)
def test_the_page_is_what_the_renderer_writes_of_its_data(client, query, language):
    response = client.get(MATCHES + query, HTTP_ACCEPT_LANGUAGE=language)
    if query == "?page=9":
        assert response.status_code == 404  # (no such page: the paginator's own answer)
        return
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert response.content == SafeJSONRenderer().render(data)
    assert list(data) == ["count", "next", "previous", "results"] and data["results"]


def test_the_rows_say_the_same_from_the_cache_and_afresh(client):
    first = client.get(MATCHES + "?page_size=3").content
    with CaptureQueriesContext(connection) as again:
        second = client.get(MATCHES + "?page_size=3").content
    other_size = json.loads(client.get(MATCHES + "?page_size=4").content)["results"][:3]
    assert second == first
    assert not [q for q in again.captured_queries if '"matchmaker_match"' in q["sql"]]
    assert other_size == json.loads(first)["results"]
    every_row = client.get(MATCHES + "?page_size=100").content.decode()
    assert "\u2028" not in every_row and "\\u2028" in every_row  # as DRF writes it
    assert "星载终端" in every_row  # kept, not escaped


def test_a_client_that_asks_for_an_indented_layout_gets_it(client):
    plain_bytes = client.get(MATCHES).content
    plain = json.loads(plain_bytes)
    assert client.get(MATCHES, HTTP_ACCEPT="*/*; q=0.8").content == plain_bytes  # no layout
    indented = client.get(MATCHES, HTTP_ACCEPT="application/json; indent=2")
    assert indented.status_code == 200
    assert indented.content.startswith(b'{\n  "count"')
    assert json.loads(indented.content) == plain


def test_the_browsable_api_still_shows_the_list(client):
    response = client.get(MATCHES + "?format=api")
    assert response.status_code == 200 and b"Depot" in response.content


def test_a_row_shown_before_is_not_rendered_again(client, monkeypatch):
    from matchmaker.api import matches

    client.get(MATCHES + "?page_size=4")
    rendered = []
    renderer = matches.ROW_JSON

    class Counting(type(renderer)):
        def render(self, data, *args):
            rendered.append(data)
            return renderer.render(data, *args)

    monkeypatch.setattr(matches, "ROW_JSON", Counting())
    page = json.loads(client.get(MATCHES + "?page_size=3").content)
    assert len(page["results"]) == 3
    assert [list(data) for data in rendered] == [["count", "next", "previous", "results"]]


def test_a_head_the_renderer_wrote_another_way_renders_the_whole_page(client, monkeypatch):
    """The renderer answers in ASCII (its other separators) when it cannot encode a
    character (`SafeJSONRenderer`): the rows are not spliced into such a head."""
    from rest_framework.renderers import JSONRenderer

    expected = json.loads(client.get(MATCHES + "?page_size=3").content)
    real = JSONRenderer.render

    def refuses_pages(self, data, *args, **kwargs):
        if isinstance(data, dict) and "count" in data:
            raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
        return real(self, data, *args, **kwargs)

    monkeypatch.setattr(JSONRenderer, "render", refuses_pages)
    response = client.get(MATCHES + "?page_size=3&sort=-score")
    assert response.status_code == 200
    assert response.content.startswith(b'{"count": ')  # the ASCII answer, whole
    assert json.loads(response.content)["results"] == expected["results"]
