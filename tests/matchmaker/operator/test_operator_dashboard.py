"""The operator's market picture, verification queue and weights editor (staff only)."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from matchmaker.matching import scoring, stacks
from matchmaker.models import DEFAULT_WEIGHTS, EngineSettings, ScoringRun
from matchmaker.review.introductions import introduction_answer, introduction_request
from tests.factories import FirmFactory, InstitutionFactory, OfferingFactory, ProjectFactory
from tests.matchmaker.review.helpers import matched_pair

pytestmark = pytest.mark.django_db

OPERATOR_URLS = [
    reverse("operator:market"),
    reverse("operator:export", args=["funnel"]),
    reverse("operator:verification"),
    reverse("operator:weights"),
]


@pytest.fixture
def operator(client):
    client.force_login(get_user_model().objects.create_user("op", password="pw", is_staff=True))
    return client


def test_only_operators_open_the_dashboard(firm_client, institution_client, client):
    for url in OPERATOR_URLS:
        for signed_in in (firm_client, institution_client):
            assert signed_in.get(url).status_code == 403, url
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url


def test_funnel_counts_each_stage(operator):
    pair = matched_pair(segment="launch")
    introduction = introduction_request(match=pair.match, by=pair.institution_user, message="Hello")
    introduction_answer(introduction=introduction, by=pair.firm_user, accept=True)
    ProjectFactory(segment="launch")  # submitted, matched nowhere
    response = operator.get(reverse("operator:market"), {"by": "segment"})
    row = next(
        r for r in response.context["funnel"] if r["label"] == "Launch vehicles and launch services"
    )
    assert [
        row[s]
        for s in ["submitted", "matched", "shortlisted", "introductions", "accepted", "closed"]
    ] == [2, 1, 1, 1, 1, 0]
    page = response.content.decode()
    assert 'id="funnel-chart"' in page and 'id="funnel-table"' in page
    assert page.count("<rect") >= 6


def test_gap_lists_the_projects_no_offering_covers(operator):
    covered = ProjectFactory(title="Covered antenna", needs={"equity": 50_000_000})
    uncovered = ProjectFactory(title="Orphan antenna", needs={"equity": 80_000_000}, trl=2)
    OfferingFactory(trl_min=4, segments=["components"])
    for project in (covered, uncovered):
        scoring.score_project(project.pk)
        stacks.rebuild_packages(project.pk)
    response = operator.get(reverse("operator:market"))
    gap = next(
        g for g in response.context["gaps"] if (g.segment, g.instrument) == ("components", "equity")
    )
    assert gap.need == 130_000_000
    assert gap.uncovered == 80_000_000
    assert [title for _id, title, _amount in gap.projects] == ["Orphan antenna"]
    export = operator.get(reverse("operator:export", args=["gaps"])).content.decode()
    rows = list(csv.reader(io.StringIO(export)))
    orphan = next(row for row in rows[1:] if row[6] == "Orphan antenna")
    assert orphan[:3] == ["components", "equity", "130000000"]
    assert (orphan[4], orphan[7]) == ("80000000", "80000000")


def test_every_table_exports_as_csv(operator):
    ProjectFactory()
    for table in ["funnel", "capacity", "gaps"]:
        response = operator.get(reverse("operator:export", args=[table]))
        assert response["Content-Type"].startswith("text/csv")
        assert len(list(csv.reader(io.StringIO(response.content.decode())))) >= 2, table
    assert operator.get(reverse("operator:export", args=["secrets"])).status_code == 404


def test_verification_queue_verifies_firms_and_institutions(operator):
    firm, institution = (
        FirmFactory(verified=False, verified_at=None),
        InstitutionFactory(verified=False, verified_at=None),
    )
    page = operator.get(reverse("operator:verification")).content.decode()
    assert firm.name in page and institution.name in page
    for organization in (firm, institution):
        operator.post(reverse("operator:verify", args=[organization.pk]))
        organization.refresh_from_db()
        assert organization.verified


def test_weights_preview_changes_nothing_and_save_rescores(
    operator, django_capture_on_commit_callbacks
):
    project = ProjectFactory(needs={"equity": 50_000_000})
    OfferingFactory(
        # a tenor matching the project's 48 months to break-even (a far longer one now
        # costs a little, #25, which this test of the preview is not about)
        name="Small ticket",
        ticket_max=10_000_000,
        ticket_min=1_000_000,
        max_tenor_months=48,
    )
    OfferingFactory(name="Big ticket short tenor", ticket_max=100_000_000, max_tenor_months=12)
    scoring.score_project(project.pk)
    weights = {
        "segment": 1,
        "stage": 1,
        "trl": 1,
        "ticket": 10,
        "tenor": 0,
        "risk": 1,
        "geography": 1,
        "collateral": 1,
    }
    response = operator.post(
        reverse("operator:weights"), {"sample": project.pk, **weights, "preview": "1"}
    )
    assert response.context["form"].errors == {}
    preview = response.context["preview"]
    assert [(row.offering.name, row.current_rank, row.proposed_rank) for row in preview] == [
        ("Big ticket short tenor", 2, 1),
        ("Small ticket", 1, 2),
    ]
    assert EngineSettings.current().weights["ticket"] == DEFAULT_WEIGHTS["ticket"]
    with django_capture_on_commit_callbacks(execute=True):
        operator.post(reverse("operator:weights"), {**weights, "save": "1"})
    assert EngineSettings.current().weights["ticket"] == 10
    assert ScoringRun.objects.get().status == "done"


def test_dashboard_query_count_is_bounded(operator, django_assert_max_num_queries):
    for _ in range(10):
        ProjectFactory()
    OfferingFactory()
    with django_assert_max_num_queries(25):
        operator.get(reverse("operator:market"))


def test_csv_exports_carry_headers_in_the_readers_language_and_a_bom_for_excel(operator):
    ProjectFactory()
    response = operator.get(
        reverse("operator:export", args=["capacity"]), HTTP_ACCEPT_LANGUAGE="zh-CN"
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert next(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == [
        "融资工具",
        "需求（元）",
        "剩余额度（元）",
    ]
