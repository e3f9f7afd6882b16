"""No query string gives a web page a 5xx (#26): every page the resolver knows that takes
no id, and each role's pages that take one (`tests.pages`), asked by each role with every
query parameter a page or filter reads set at once to a hostile value (a NUL, a lone
surrogate's bytes, numbers no field holds, a lone "%", a long string, a full-width digit).
A value a form cannot take is its error or its default; the API's answers are the
schemathesis run's and `tests/api/test_hostile_input.py`'s.

Probed from outside with each parameter alone on the benchmark's world (27,040 requests
as an institution and a firm member, 2026-12-03) this found no 5xx; the test keeps it so.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from investors.filters import OfferingFilter
from matchmaker.review.filters import MatchFilter
from projects.filters import ProjectFilter
from tests.pages import pages, world

pytestmark = pytest.mark.django_db

# What the views read from `request.GET` besides their filters (grep "request.GET").
READ_BY_VIEWS = {"page", "page_size", "by", "who", "next", "year", "unread", "sort", "q"}
PARAMETERS = sorted(
    READ_BY_VIEWS
    | set(MatchFilter.base_filters)
    | set(ProjectFilter.base_filters)
    | set(OfferingFilter.base_filters)
)
HOSTILE = {
    "nul": "%00",
    "lone surrogate": "%ED%A0%80",
    "huge": "9" * 25,
    "overflowing float": "1e309",
    "nan": "nan",
    "lone percent": "%",
    "long": "x" * 3000,
    "full-width digit": "%EF%BC%90",
}


# Its 503 is its answer when a part is down (no worker runs in tests), not a failure.
HEALTH = "/health/"


def pages_without_ids() -> list[str]:
    """Every non-admin, non-API address that takes no argument, but the health check."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return sorted(
        "/" + route
        for route in walk(get_resolver().url_patterns)
        if "<" not in route
        and not route.startswith(("admin", "api/", "^", "static"))
        and "/" + route != HEALTH
    )


@pytest.fixture
def roles():
    """Each role signed in on the shared world of every page (`tests.pages`), with the
    pages to ask: every page without an id, and the role's pages that take one."""
    firm_member, institution_member, operator, project, offering, match = world(chinese=False)
    own_pages = pages(project, offering, match)
    without_ids = pages_without_ids()
    roles = {}
    for role, user in (
        ("firm", firm_member.user),
        ("institution", institution_member.user),
        ("operator", operator),
    ):
        client = Client()
        client.force_login(user)
        asked = {page.split("?")[0] for page in own_pages[role]} | set(without_ids)
        roles[role] = (client, sorted(asked))
    return roles


def test_the_walk_covers_the_pages_people_filter():
    pages = pages_without_ids()
    assert {"/institution/matches/", "/projects/", "/offerings/"} <= set(pages)
    assert len(pages) > 40
    assert {"min_score", "segment", "instrument", "page"} <= set(PARAMETERS)


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_no_page_answers_a_hostile_query_string_with_a_5xx(roles, value):
    query = "&".join(f"{name}={value}" for name in PARAMETERS)
    failures, answered = [], 0
    for role, (client, asked) in roles.items():
        for page in asked:
            response = client.get(f"{page}?{query}")
            if response.status_code >= 500:
                failures.append((role, page, response.status_code))
            answered += response.status_code < 300
    assert not failures
    assert answered > 30  # pages rendered, not only redirects to a sign-in
