"""The public draft list (公示) and objections to it: anyone sees the entries in their
objection window (tool, firm, amount, last day; nothing else about the deal), anyone may
object within the window, the office upholds (the entitlement is refused and its budget
released once) or dismisses with a reason, and no payment is made while one is open."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from matchmaker.programme import ledger
from matchmaker.programme import services as programme
from matchmaker.programme.models import (
    Entitlement,
    LedgerEntry,
    Objection,
    ProgrammeEvent,
    ToolBudget,
)
from tests.factories import FirmMemberFactory, InstitutionMemberFactory
from tests.matchmaker.programme.test_entitlements import closed_deal

pytestmark = pytest.mark.django_db

HOLIDAY_PUBLISH = dt.date(2026, 9, 30)  # 1–7 Oct 2026: National Day; Sat 10 Oct worked
LAST_DAY = dt.date(2026, 10, 13)  # 5 working days: 8, 9, 10 (make-up), 12, 13 Oct
OBJECTION = {
    "name": "Zhang Wei",
    "contact": "zhang.wei@example.cn",
    "reason": "The loan was repaid before the subsidy period began.",
}


def client_of(user=None, language="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


def published(today=None, terms=None):
    """An interest-subsidy entitlement (RMB 420,000 on RMB 20 M at 4.2 %) on the list."""
    today = today or timezone.localdate()
    # the tool is open on `today` whatever year the suite runs in
    opens = min(today, timezone.localdate()).replace(month=1, day=1)
    deal, tool, pair, office = closed_deal(tool_fields={"window_start": opens}, terms=terms)
    [entitlement] = programme.deal_confirm(deal=deal, by=pair.firm_user, today=today)
    entitlement = programme.entitlement_publish(entitlement=entitlement, by=office, today=today)
    return entitlement, tool, pair, office


def lodge(entitlement, today=None, **fields):
    return programme.objection_lodge(
        entitlement=entitlement, today=today or timezone.localdate(), **{**OBJECTION, **fields}
    )


# The public page --------------------------------------------------------------------


def test_the_public_page_lists_only_published_entries_in_their_window_without_log_in():
    listed, _tool, _pair, _office = published()
    closed, _t, _p, _o = published()
    Entitlement.objects.filter(pk=closed.pk).update(
        objection_until=timezone.localdate() - dt.timedelta(days=1)
    )
    draft_deal, _t, draft_pair, _o = closed_deal()
    [draft] = programme.deal_confirm(deal=draft_deal, by=draft_pair.firm_user)
    response = client_of().get("/programme/public/")
    assert response.status_code == 200
    ids = [e.pk for e in response.context["entries"]]
    assert ids == [listed.pk]
    html = response.content.decode()
    assert listed.firm.name in html and "RMB 420,000" in html
    assert closed.firm.name not in html and draft.firm.name not in html
    assert f"/programme/public/{listed.pk}/object/" in html


def test_the_public_page_shows_no_confidential_field_of_the_deal():
    entitlement, _tool, pair, _office = published(terms={"amount": 23_456_789, "rate_bp": 437})
    html = client_of().get("/programme/public/").content.decode()
    deal = entitlement.deal
    offering = deal.match.offering
    for secret in (
        "23,456,789",  # the loan's amount
        "23456789",
        "4.37",  # its rate
        offering.name,
        offering.institution.name,
        deal.match.project.title,
        pair.firm_user.username,
    ):
        assert secret not in html, secret
    assert entitlement.firm.name in html
    assert "Nothing else about the deal is published" in html


def test_the_public_page_reads_amounts_in_wan_in_chinese_and_is_linked_from_the_footer():
    published()
    html = client_of(language="zh-hans").get("/programme/public/").content.decode()
    assert "42万元" in html
    assert "公示" in html and "异议" in html
    home = client_of().get("/accounts/login/").content.decode()
    assert 'href="/programme/public/"' in home


# Lodging an objection ---------------------------------------------------------------


def test_anyone_objects_without_log_in_and_the_row_and_its_event_are_written():
    entitlement, *_ = published()
    response = client_of().post(f"/programme/public/{entitlement.pk}/object/", OBJECTION)
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert (objection.entitlement_id, objection.state, objection.lodged_by) == (
        entitlement.pk,
        "open",
        None,
    )
    assert objection.contact == OBJECTION["contact"]
    event = ProgrammeEvent.objects.get(action="objection_lodge")
    assert (event.objection_id, event.entitlement_id, event.by) == (
        objection.pk,
        entitlement.pk,
        None,
    )


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"name": "  "}, "name"),
        ({"contact": ""}, "contact"),
        ({"reason": "no"}, "reason"),
        ({"reason": "x" * 2001}, "reason"),
        ({"name": "n" * 101}, "name"),
        ({"contact": "c" * 201}, "contact"),
    ],
)
def test_a_bad_objection_is_refused_and_writes_nothing(fields, problem):
    entitlement, *_ = published()
    with pytest.raises(ValidationError) as error:
        lodge(entitlement, **fields)
    assert problem in error.value.message_dict
    response = client_of().post(
        f"/programme/public/{entitlement.pk}/object/", {**OBJECTION, **fields}
    )
    assert response.status_code == 400
    assert not Objection.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": "\x00", "contact": "a", "reason": "b" * 20},
        {"name": "a" * 100_000, "contact": "a", "reason": "b"},
    ],
)
def test_hostile_objection_input_is_a_400_never_a_5xx(body):
    entitlement, *_ = published()
    response = client_of().post(f"/programme/public/{entitlement.pk}/object/", body)
    assert response.status_code == 400
    assert not Objection.objects.exists()


def test_the_last_working_day_takes_an_objection_the_day_after_does_not():
    entitlement, *_ = published(today=HOLIDAY_PUBLISH)
    assert entitlement.objection_until == LAST_DAY
    assert lodge(entitlement, today=LAST_DAY).state == "open"
    with pytest.raises(programme.ProgrammeConflict, match=r"objection window .* has closed"):
        lodge(entitlement, today=LAST_DAY + dt.timedelta(days=1))
    assert Objection.objects.count() == 1


def test_after_the_window_the_page_says_it_closed_and_takes_nothing():
    entitlement, *_ = published()
    Entitlement.objects.filter(pk=entitlement.pk).update(
        objection_until=timezone.localdate() - dt.timedelta(days=1)
    )
    url = f"/programme/public/{entitlement.pk}/object/"
    page = client_of().get(url)
    assert page.status_code == 200
    assert "closed on" in page.content.decode()
    response = client_of().post(url, OBJECTION)
    assert response.status_code == 400
    assert "has closed" in response.content.decode()
    assert not Objection.objects.exists()


def test_an_entry_never_published_is_a_404_to_the_public():
    deal, _tool, pair, _office = closed_deal()
    [draft] = programme.deal_confirm(deal=deal, by=pair.firm_user)
    assert client_of().get(f"/programme/public/{draft.pk}/object/").status_code == 404
    assert client_of().post(f"/programme/public/{draft.pk}/object/", OBJECTION).status_code == 404
    with pytest.raises(programme.ProgrammeConflict):
        lodge(draft)


def test_one_address_lodges_a_bounded_number_of_objections_an_hour(monkeypatch):
    monkeypatch.setattr(programme, "OBJECTIONS_PER_HOUR", 2)
    entitlement, *_ = published()
    url = f"/programme/public/{entitlement.pk}/object/"
    codes = [client_of().post(url, OBJECTION).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert Objection.objects.count() == 2


def test_every_web_process_counts_an_address_objections_together(monkeypatch):
    """`settings.SHARED_CACHE`: in each process's memory (the embedded default), each of
    N web processes let one address lodge the hour's bound."""
    from tests.conftest import another_web_process

    monkeypatch.setattr(programme, "OBJECTIONS_PER_HOUR", 2)
    entitlement, *_ = published()
    url = f"/programme/public/{entitlement.pk}/object/"
    codes = []
    for _attempt in range(3):
        another_web_process()
        codes.append(client_of().post(url, OBJECTION).status_code)
    assert codes == [302, 302, 429]


def test_one_entry_takes_a_bounded_number_of_open_objections(monkeypatch):
    monkeypatch.setattr(programme, "MAX_OPEN_OBJECTIONS", 2)
    entitlement, *_ = published()
    lodge(entitlement)
    lodge(entitlement)
    with pytest.raises(programme.ProgrammeConflict):
        lodge(entitlement)
    assert Objection.objects.count() == 2


# The office resolves ----------------------------------------------------------------


def test_upholding_refuses_the_entitlement_and_releases_its_budget_exactly_once():
    entitlement, tool, _pair, office = published()
    first, second = lodge(entitlement), lodge(entitlement, name="Li Na")
    budget = ToolBudget.objects.get(tool=tool, year=entitlement.year)
    assert budget.committed == 420_000
    client = client_of(office)
    response = client.post(
        f"/programme/office/objections/{first.pk}/resolve/",
        {"approve": "on", "reason": "The loan was repaid early."},
    )
    assert response.status_code == 302
    programme.objection_resolve(objection=second, uphold=True, reason="Same facts.", by=office)
    budget.refresh_from_db()
    assert budget.committed == 0 == ledger.balances(budget)["committed"]
    releases = LedgerEntry.objects.filter(entitlement=entitlement, kind="release")
    assert [r.amount for r in releases] == [420_000]
    entitlement.refresh_from_db()
    assert entitlement.state == "refused"
    first.refresh_from_db()
    assert (first.state, first.resolved_by, first.resolution) == (
        "upheld",
        office,
        "The loan was repaid early.",
    )
    assert first.resolved_at is not None
    actions = list(
        ProgrammeEvent.objects.filter(objection=first).values_list("action", "by", "detail")
    )
    assert actions[-1] == ("objection_uphold", office.pk, {"reason": "The loan was repaid early."})


def test_upholding_after_the_firm_confirmed_still_refuses_and_releases():
    entitlement, tool, pair, office = published()
    objection = lodge(entitlement)
    programme.entitlement_confirm(entitlement=entitlement, by=pair.firm_user)
    programme.objection_resolve(objection=objection, uphold=True, reason="Upheld.", by=office)
    assert Entitlement.objects.get(pk=entitlement.pk).state == "refused"
    assert ToolBudget.objects.get(tool=tool, year=entitlement.year).committed == 0


def test_dismissing_needs_a_reason_keeps_the_entitlement_and_its_budget():
    entitlement, tool, _pair, office = published()
    objection = lodge(entitlement)
    with pytest.raises(ValidationError):
        programme.objection_resolve(objection=objection, uphold=False, reason=" ", by=office)
    response = client_of(office).post(
        f"/programme/office/objections/{objection.pk}/resolve/", {"reason": ""}
    )
    assert response.status_code == 302
    assert Objection.objects.get(pk=objection.pk).state == "open"
    programme.objection_resolve(
        objection=objection, uphold=False, reason="Repaid after the period.", by=office
    )
    objection.refresh_from_db()
    assert (objection.state, objection.resolution, objection.resolved_by) == (
        "dismissed",
        "Repaid after the period.",
        office,
    )
    assert Entitlement.objects.get(pk=entitlement.pk).state == "published"
    assert ToolBudget.objects.get(tool=tool, year=entitlement.year).committed == 420_000
    assert ProgrammeEvent.objects.filter(objection=objection, action="objection_dismiss").exists()
    with pytest.raises(programme.ProgrammeConflict):
        programme.objection_resolve(objection=objection, uphold=True, reason="Again.", by=office)


def test_the_office_sees_open_objections_with_the_contact_on_its_page():
    entitlement, _tool, _pair, office = published()
    lodge(entitlement)
    html = client_of(office).get("/programme/office/").content.decode()
    assert OBJECTION["reason"] in html and OBJECTION["contact"] in html
    assert "/programme/office/objections/" in html
    assert "1 open objection: not payable until resolved" in html


# Payment is blocked while an objection is open ---------------------------------------


def test_an_open_objection_blocks_payment_until_it_is_dismissed():
    entitlement, tool, pair, office = published(today=HOLIDAY_PUBLISH)
    objection = lodge(entitlement, today=LAST_DAY)
    programme.entitlement_confirm(
        entitlement=entitlement, by=pair.firm_user, today=entitlement.confirm_by
    )
    after = LAST_DAY + dt.timedelta(days=1)
    with pytest.raises(programme.ProgrammeConflict, match=r"objection .* still open"):
        programme.entitlement_pay(entitlement=entitlement, by=office, today=after)
    assert ToolBudget.objects.get(tool=tool, year=entitlement.year).paid == 0
    programme.objection_resolve(objection=objection, uphold=False, reason="Unfounded.", by=office)
    paid = programme.entitlement_pay(entitlement=entitlement, by=office, today=after)
    assert paid.state == "paid"


def test_the_office_page_says_why_payment_is_refused_while_an_objection_is_open():
    entitlement, _tool, pair, office = published()
    lodge(entitlement)
    programme.entitlement_confirm(entitlement=entitlement, by=pair.firm_user)
    Entitlement.objects.filter(pk=entitlement.pk).update(
        objection_until=timezone.localdate() - dt.timedelta(days=1)
    )
    response = client_of(office).post(
        f"/programme/office/entitlements/{entitlement.pk}/pay/", follow=True
    )
    assert "An objection against this entitlement is still open" in response.content.decode()
    assert Entitlement.objects.get(pk=entitlement.pk).state == "confirmed"


# Who sees what ----------------------------------------------------------------------


def test_the_firm_sees_objections_against_its_entry_without_who_objected():
    entitlement, _tool, pair, _office = published()
    lodge(entitlement)
    html = client_of(pair.firm_user).get("/programme/firm/").content.decode()
    assert OBJECTION["reason"] in html
    assert OBJECTION["contact"] not in html and OBJECTION["name"] not in html


def test_another_firm_or_a_bank_cannot_see_or_resolve_an_objection():
    entitlement, _tool, pair, _office = published()
    objection = lodge(entitlement)
    other_firm = FirmMemberFactory().user
    html = client_of(other_firm).get("/programme/firm/").content.decode()
    assert OBJECTION["reason"] not in html
    for user in (other_firm, pair.firm_user, InstitutionMemberFactory().user):
        response = client_of(user).post(
            f"/programme/office/objections/{objection.pk}/resolve/",
            {"approve": "on", "reason": "mine"},
        )
        assert response.status_code == 403
        assert Objection.objects.get(pk=objection.pk).state == "open"
    assert programme.selectors.objections_visible_to(other_firm).count() == 0


def test_an_unknown_objection_is_a_404_to_the_office():
    office = published()[3]
    response = client_of(office).post(
        "/programme/office/objections/999999/resolve/", {"reason": "x"}
    )
    assert response.status_code == 404
