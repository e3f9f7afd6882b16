"""A third tenant sees none of the programme's cases. The tenant-scoped URLs are a 404
for outsiders (tests/matchmaker/test_tenant_isolation.py walks every one); here: the
office's URLs that take an id answer an outsider exactly as for an id that does not
exist (refused before any lookup, so they reveal nothing), the lists are empty, the
outsiders' own pages name nothing of it, and nothing is written."""

import pytest
from django.test import Client
from django.urls import reverse

from matchmaker.programme import services as programme
from matchmaker.programme.models import (
    Claim,
    DealTerms,
    Enrolment,
    Entitlement,
    FirmListMembership,
    ProgrammeEvent,
    ToolBudget,
)
from tests.api.conftest import api_client_for
from tests.factories import FirmMemberFactory, InstitutionMemberFactory
from tests.matchmaker.programme.test_claims import pool_loan

pytestmark = pytest.mark.django_db

MISSING = 999_999


def case():
    """A confirmed pool loan with its interest-subsidy entitlement, a reported claim and
    a firm's list claim waiting for the office."""
    deal, pool, pair, _office = pool_loan()
    claim = programme.claim_report(
        deal=deal, outstanding=6_000_000, recoveries=0, by=pair.institution_user
    )
    membership = programme.membership_claim(
        firm=deal.match.project.firm,
        programme_list="high_tech",
        evidence="register 42",
        by=pair.firm_user,
    )
    return {
        "deal": deal,
        "pool": pool,
        "claim": claim,
        "membership": membership,
        "entitlement": Entitlement.objects.get(deal=deal),
        "enrolment": Enrolment.objects.filter(offering=deal.match.offering).first(),
        "pair": pair,
    }


def office_urls(ids: dict) -> list[tuple[str, str]]:
    """(method, path) of every office URL that takes an id, web and API."""
    tool, year = ids["tool"], 2026
    web = [
        ("get", reverse("programme:tool_edit", args=[tool])),
        ("post", reverse("programme:tool_edit", args=[tool])),
        ("get", reverse("programme:tool_year", args=[tool, year])),
        ("get", reverse("programme:tool_year_csv", args=[tool, year])),
        ("post", reverse("programme:membership_decide", args=[ids["membership"]])),
        ("post", reverse("programme:enrolment_decide", args=[ids["enrolment"]])),
        ("post", reverse("programme:entitlement_publish", args=[ids["entitlement"]])),
        ("post", reverse("programme:entitlement_refuse", args=[ids["entitlement"]])),
        ("post", reverse("programme:entitlement_pay", args=[ids["entitlement"]])),
        ("post", reverse("programme:claim_decide", args=[ids["claim"]])),
    ]
    api = [
        ("get", reverse("api:programme-tool-figures", args=[tool])),
        ("patch", reverse("api:programme-tool-detail", args=[tool])),
        ("post", reverse("api:programme-membership-decide", args=[ids["membership"]])),
        ("post", reverse("api:programme-enrolment-decide", args=[ids["enrolment"]])),
        ("post", reverse("api:programme-entitlement-publish", args=[ids["entitlement"]])),
        ("post", reverse("api:programme-entitlement-refuse", args=[ids["entitlement"]])),
        ("post", reverse("api:programme-entitlement-pay", args=[ids["entitlement"]])),
        ("post", reverse("api:programme-claim-decide", args=[ids["claim"]])),
    ]
    return web + api


def answers(user, ids: dict) -> list[int]:
    web, api = Client(), api_client_for(user)
    web.force_login(user)
    codes = []
    for method, path in office_urls(ids):
        client = api if path.startswith("/api/") else web
        body = {"approve": True, "reason": "yes", "yearly_budget": 1}
        kwargs = {"format": "json"} if client is api else {}
        codes.append(getattr(client, method)(path, body if method != "get" else None, **kwargs))
    return [response.status_code for response in codes]


def snapshot() -> tuple:
    return (
        ProgrammeEvent.objects.count(),
        list(Entitlement.objects.values_list("state", "amount")),
        list(Claim.objects.values_list("state", "compensation")),
        list(FirmListMembership.objects.values_list("state", flat=True)),
        list(Enrolment.objects.values_list("state", flat=True)),
        list(ToolBudget.objects.values_list("budget", "committed", "paid")),
        list(DealTerms.objects.values_list("state", flat=True)),
    )


def test_the_office_urls_answer_an_outsider_as_for_an_id_that_does_not_exist():
    c = case()
    real = {
        "tool": c["pool"].pk,
        "membership": c["membership"].pk,
        "enrolment": c["enrolment"].pk,
        "entitlement": c["entitlement"].pk,
        "claim": c["claim"].pk,
    }
    missing = dict.fromkeys(real, MISSING)
    before = snapshot()
    for outsider in (FirmMemberFactory().user, InstitutionMemberFactory().user):
        on_real, on_missing = answers(outsider, real), answers(outsider, missing)
        assert on_real == on_missing
        assert set(on_real) == {403}
    assert snapshot() == before


def test_an_outsiders_lists_and_pages_show_none_of_it():
    c = case()
    firm_name = c["deal"].match.project.firm.name
    project_title = c["deal"].match.project.title
    offering_name = c["deal"].match.offering.name
    for outsider in (FirmMemberFactory().user, InstitutionMemberFactory().user):
        api = api_client_for(outsider)
        for kind in ("memberships", "enrolments", "deals", "entitlements", "claims"):
            listed = api.get(f"/api/v1/programme/{kind}/")
            # a list for the other role is refused; one for its own role is empty
            assert listed.status_code == 403 or listed.json()["count"] == 0, (kind, listed.json())
        web = Client(HTTP_ACCEPT_LANGUAGE="en")
        web.force_login(outsider)
        page = "firm" if hasattr(outsider, "firm_membership") else "financier"
        text = web.get(reverse(f"programme:{page}")).content.decode()
        assert firm_name not in text
        assert project_title not in text
        assert offering_name not in text
        assert "RMB 6,000,000" not in text
