"""Criteria that tell kinds of financier apart (#25): national content for export credit,
a tenor far longer than needed, both said in words and stored through the API."""

import pytest
from django.utils import translation

from matchmaker.matching import scoring, selectors, why
from matchmaker.matching.explain import explain
from matchmaker.models import Match
from tests.api.conftest import api_client_for
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db

CHINA = ["shanghai", "beijing", "jiangsu", "zhejiang", "guangdong", "hubei", "sichuan"]
EXPORT_CREDIT = {
    "instrument": "credit",
    "product_type": "term_loan",
    "ticket_min": 10_000_000,
    "ticket_max": 2_000_000_000,
    "trl_min": 6,
    "trl_max": 9,
    "max_tenor_months": 180,
    "presence": ["abroad"],
}


def test_export_credit_finances_a_foreign_buyer_of_work_done_in_china_only():
    OfferingFactory(**EXPORT_CREDIT, content=CHINA)
    buyer = ProjectFactory(
        trl=7, needs={"credit": 500_000_000}, registered_province="abroad", province="shanghai"
    )
    elsewhere = ProjectFactory(
        trl=7,
        needs={"credit": 500_000_000},
        registered_province="abroad",
        province="abroad",
        region="other_china",
    )
    for project in (buyer, elsewhere):
        scoring.score_project(project.pk)
    assert Match.objects.filter(project=buyer).exists()
    assert not Match.objects.filter(project=elsewhere).exists()
    with translation.override("en"):
        (need,) = why.unmatched_needs(elsewhere, selectors.matched_instruments(elsewhere))
        assert need.reasons[0].startswith("1 finances work done in Beijing, Guangdong, Hubei")
        assert need.reasons[0].endswith(
            "only (national content); this project's work happens in Outside China."
        )
        geography = explain(Match.objects.get(project=buyer), {})[6].reason
    assert "(national content); it happens in Shanghai." in geography


def test_a_tenor_far_longer_than_needed_says_so():
    OfferingFactory(**EXPORT_CREDIT)
    project = ProjectFactory(
        trl=8,
        needs={"credit": 500_000_000},
        registered_province="abroad",
        months_to_revenue=0,
        months_to_break_even=24,
    )
    scoring.score_project(project.pk)
    with translation.override("en"):
        tenor = explain(Match.objects.get(project=project), {})[4]
    assert tenor.value < 1
    assert tenor.reason == (
        "A 180-month horizon is far longer than the 24 months to break-even: long-tenor money "
        "suits longer projects."
    )


def test_national_content_is_an_optional_api_field():
    member = InstitutionMemberFactory()
    client = api_client_for(member.user)
    body = {
        "name": "Export buyer's credit",
        "instrument": "credit",
        "ticket_min": 10_000_000,
        "ticket_max": 500_000_000,
        "capacity": 2_000_000_000,
    }
    assert client.post("/api/v1/offerings/", body, format="json").json()["content"] == []
    created = client.post("/api/v1/offerings/", {**body, "content": ["jiangsu"]}, format="json")
    assert created.status_code == 201 and created.json()["content"] == ["jiangsu"]
    bad = client.post("/api/v1/offerings/", {**body, "content": ["mars"]}, format="json")
    assert bad.status_code == 400 and "content" in bad.json()
