"""The public draft list and its objections through /api/v1/programme/: the list and
the objection need no credentials; the office resolves through `objections/{id}/resolve/`
(upheld: the budget is released once); a firm reads objections against its own entries
without who objected; another tenant gets 404s; bad input is a 400 that writes nothing."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from matchmaker.programme.models import Entitlement, LedgerEntry, Objection, ToolBudget
from tests.api.conftest import api_client_for
from tests.factories import FirmMemberFactory, InstitutionMemberFactory
from tests.matchmaker.programme.test_objections import OBJECTION, published

pytestmark = pytest.mark.django_db


def test_anyone_reads_the_public_list_with_only_its_public_fields():
    entitlement, *_ = published()
    closed, *_ = published()
    Entitlement.objects.filter(pk=closed.pk).update(
        objection_until=timezone.localdate() - dt.timedelta(days=1)
    )
    response = api_client_for().get("/api/v1/programme/public-list/")
    assert response.status_code == 200
    [entry] = response.json()["results"]
    assert entry == {
        "id": entitlement.pk,
        "tool_name": entitlement.tool.name_en,
        "firm_name": entitlement.firm.name,
        "amount": 420_000,
        "objection_until": entitlement.objection_until.isoformat(),
    }


def test_anyone_objects_then_the_office_upholds_and_the_budget_is_released_once():
    entitlement, tool, _pair, office = published()
    lodged = api_client_for().post(
        f"/api/v1/programme/public-list/{entitlement.pk}/object/", OBJECTION, format="json"
    )
    assert lodged.status_code == 201, lodged.content
    objection_id = lodged.json()["id"]
    assert lodged.json()["state"] == "open" and "contact" not in lodged.json()
    staff = api_client_for(office)
    [listed] = staff.get("/api/v1/programme/objections/").json()["results"]
    assert listed["contact"] == OBJECTION["contact"]
    url = f"/api/v1/programme/objections/{objection_id}/resolve/"
    response = staff.post(url, {"uphold": True, "reason": "Repaid early."}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "upheld"
    assert response.json()["resolved_by"] == office.pk
    again = staff.post(url, {"uphold": True, "reason": "Again."}, format="json")
    assert again.status_code in (400, 409)
    assert ToolBudget.objects.get(tool=tool, year=entitlement.year).committed == 0
    assert LedgerEntry.objects.filter(entitlement=entitlement, kind="release").count() == 1
    assert Entitlement.objects.get(pk=entitlement.pk).state == "refused"


def test_the_office_dismisses_with_a_reason_through_the_api():
    entitlement, tool, _pair, office = published()
    objection = Objection.objects.create(entitlement=entitlement, **OBJECTION)
    staff = api_client_for(office)
    url = f"/api/v1/programme/objections/{objection.pk}/resolve/"
    assert [
        o["id"] for o in staff.get("/api/v1/programme/objections/?state=open").json()["results"]
    ] == [objection.pk]
    assert staff.post(url, {"uphold": False, "reason": ""}, format="json").status_code == 400
    assert staff.post(url, {"uphold": "no", "reason": "x"}, format="json").status_code == 400
    response = staff.post(url, {"uphold": False, "reason": "Unfounded."}, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "dismissed"
    assert Entitlement.objects.get(pk=entitlement.pk).state == "published"
    assert ToolBudget.objects.get(tool=tool, year=entitlement.year).committed == 420_000
    assert staff.get("/api/v1/programme/objections/?state=open").json()["results"] == []


def test_an_unknown_objection_state_is_a_400_not_every_objection():
    entitlement, _tool, _pair, office = published()
    Objection.objects.create(entitlement=entitlement, **OBJECTION)
    response = api_client_for(office).get("/api/v1/programme/objections/?state=AAA")
    assert response.status_code == 400
    assert "state" in response.json()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": "a", "contact": "b", "reason": "short"},
        {"name": 5, "contact": "b", "reason": "r" * 40},
        {"name": "a", "contact": "\ud800", "reason": "r" * 40},
        {"name": "a" * 101, "contact": "b", "reason": "r" * 40},
        {"name": "a", "contact": "b", "reason": "r" * 2001},
    ],
)
def test_a_bad_objection_is_a_400_that_writes_nothing(body):
    entitlement, *_ = published()
    response = api_client_for().post(
        f"/api/v1/programme/public-list/{entitlement.pk}/object/",
        json.dumps(body),  # a lone surrogate goes as the six characters \ud800
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Objection.objects.exists()


def test_after_the_window_an_objection_is_a_clear_error_and_a_draft_is_a_404():
    entitlement, *_ = published()
    Entitlement.objects.filter(pk=entitlement.pk).update(
        objection_until=timezone.localdate() - dt.timedelta(days=1)
    )
    client = api_client_for()
    response = client.post(
        f"/api/v1/programme/public-list/{entitlement.pk}/object/", OBJECTION, format="json"
    )
    assert response.status_code in (400, 409)
    assert "has closed" in response.content.decode()
    missing = client.post("/api/v1/programme/public-list/999999/object/", OBJECTION, format="json")
    assert missing.status_code == 404
    assert not Objection.objects.exists()


def test_a_firm_reads_its_own_objections_without_who_objected_and_no_one_else_does():
    entitlement, _tool, pair, _office = published()
    objection = Objection.objects.create(entitlement=entitlement, **OBJECTION)
    [seen] = api_client_for(pair.firm_user).get("/api/v1/programme/objections/").json()["results"]
    assert seen["reason"] == OBJECTION["reason"]
    assert "contact" not in seen and "name" not in seen
    other = api_client_for(FirmMemberFactory().user)
    assert other.get("/api/v1/programme/objections/").json()["results"] == []
    assert other.get(f"/api/v1/programme/objections/{objection.pk}/").status_code == 404
    bank = api_client_for(InstitutionMemberFactory().user)
    assert bank.get(f"/api/v1/programme/objections/{objection.pk}/").status_code in (403, 404)
    for client in (api_client_for(pair.firm_user), other):
        response = client.post(
            f"/api/v1/programme/objections/{objection.pk}/resolve/",
            {"uphold": True, "reason": "mine"},
            format="json",
        )
        assert response.status_code in (403, 404)
    assert Objection.objects.get(pk=objection.pk).state == "open"
    assert api_client_for().get("/api/v1/programme/objections/").status_code == 401


def test_one_client_lodges_a_bounded_number_of_objections(monkeypatch):
    from matchmaker.api import programme as programme_api

    monkeypatch.setattr(programme_api.ObjectionThrottle, "rate", "2/hour")
    entitlement, *_ = published()
    client = api_client_for()
    url = f"/api/v1/programme/public-list/{entitlement.pk}/object/"
    codes = [client.post(url, OBJECTION, format="json").status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    assert Objection.objects.count() == 2


def test_every_web_process_counts_a_client_objections_together(monkeypatch):
    """`settings.SHARED_CACHE`: in each process's memory (the embedded default), each of
    N web processes let one client lodge the hour's bound."""
    from matchmaker.api import programme as programme_api
    from tests.conftest import another_web_process

    monkeypatch.setattr(programme_api.ObjectionThrottle, "rate", "2/hour")
    entitlement, *_ = published()
    client = api_client_for()
    url = f"/api/v1/programme/public-list/{entitlement.pk}/object/"
    codes = []
    for _attempt in range(3):
        another_web_process()
        codes.append(client.post(url, OBJECTION, format="json").status_code)
    assert codes == [201, 201, 429]
