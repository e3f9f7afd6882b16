"""List pages and API lists cost a fixed number of queries, however many rows they show
(no N+1): each is measured with a few rows and with many, and must cost the same."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matchmaker.matching import scoring
from matchmaker.review.introductions import introduction_request
from tests.api.conftest import api_client_for
from tests.conftest import logged_in_client
from tests.factories import (
    FirmMemberFactory,
    InstitutionMemberFactory,
    OfferingFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

FIRM_PAGES = ["/projects/", "/firm/introductions/", "/api/v1/projects/", "/api/v1/introductions/"]
INSTITUTION_PAGES = [
    "/offerings/",
    "/institution/matches/",
    "/institution/pipeline/",
    "/api/v1/offerings/",
    "/api/v1/matches/",
    "/api/v1/introductions/",
]


def grow(firm_member, institution_member, count: int) -> None:
    """`count` more projects of the firm, offerings of the institution, matches between
    them, and an introduction on each new match."""
    offerings = [OfferingFactory(institution=institution_member.institution) for _ in range(count)]
    for _index in range(count):
        project = ProjectFactory(firm=firm_member.firm)
        scoring.score_project(project.pk)
        match = project.matches.filter(offering__in=offerings).first()
        introduction_request(match=match, by=institution_member.user, message="Hello")


def queries(user, url: str) -> int:
    """Queries of one request by a freshly loaded user, as every real request has."""
    fresh = get_user_model().objects.get(pk=user.pk)
    client = api_client_for(fresh) if url.startswith("/api/") else logged_in_client(fresh)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize(
    ("side", "url"),
    [("firm", u) for u in FIRM_PAGES] + [("institution", u) for u in INSTITUTION_PAGES],
)
def test_a_list_costs_the_same_queries_for_few_rows_and_many(side, url):
    firm_member, institution_member = FirmMemberFactory(), InstitutionMemberFactory()
    user = firm_member.user if side == "firm" else institution_member.user
    grow(firm_member, institution_member, 3)
    few = queries(user, url)
    grow(firm_member, institution_member, 20)
    many = queries(user, url)
    assert many == few, f"{url}: {few} queries for a few rows, {many} for many"


def test_a_project_page_costs_the_same_queries_with_more_milestones_and_matches():
    firm_member, institution_member = FirmMemberFactory(), InstitutionMemberFactory()
    project = ProjectFactory(firm=firm_member.firm)
    pages = [f"/projects/{project.pk}/", f"/firm/projects/{project.pk}/matches/"]
    OfferingFactory(institution=institution_member.institution)
    scoring.score_project(project.pk)
    few = [queries(firm_member.user, page) for page in pages]
    for index in range(15):
        OfferingFactory(institution=InstitutionMemberFactory().institution, name=f"Offer {index}")
        project.milestones.create(title=f"Milestone {index}", due_date="2030-01-01")
    scoring.score_project(project.pk)
    many = [queries(firm_member.user, page) for page in pages]
    assert many == few
