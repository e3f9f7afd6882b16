"""The deal room, the access record and the response records through the v1 API: the same
rules as the pages (sides, consent, limits, read-only once closed, 404 for outsiders)."""

import datetime as dt

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from matchmaker.dealroom.models import ChecklistItem, ItemRequest
from matchmaker.models import AccessLog, MatchStatus
from matchmaker.review.introductions import introduction_request
from matchmaker.review.services import match_move
from tests.api.conftest import api_client_for
from tests.factories import FirmMemberFactory
from tests.matchmaker.dealroom.helpers import PDF, add_document, open_room
from tests.matchmaker.dealroom.test_deadlines import asked_by_firm, at
from tests.matchmaker.review.helpers import matched_pair

pytestmark = pytest.mark.django_db


def test_a_bank_and_a_firm_work_through_a_room_by_api():
    world = open_room()
    bank, firm = api_client_for(world.institution_user), api_client_for(world.firm_user)
    rooms = bank.get("/api/v1/rooms/").json()["results"]
    assert [room["id"] for room in rooms] == [world.room.pk]
    checklist = bank.get(f"/api/v1/rooms/{world.room.pk}/checklist/").json()
    assert {item["kind"] for item in checklist} == {"bank"}
    asked = bank.post(
        f"/api/v1/rooms/{world.room.pk}/requests/",
        {
            "checklist_items": [item["id"] for item in checklist],
            "titles": ["Order book", "Board minutes"],
            "due_on": timezone.localdate().isoformat(),
        },
        format="json",
    )
    assert asked.status_code == 201, asked.json()
    ids = [item["id"] for item in asked.json()]
    assert len(ids) == 5
    upload = firm.post(
        f"/api/v1/room-requests/{ids[0]}/answer/",
        {"kind": "upload", "file": SimpleUploadedFile("accounts.pdf", PDF)},
        format="multipart",
    )
    assert upload.status_code == 200, upload.json()
    assert upload.json()["has_file"] is True
    for item_id in ids[1:3]:
        answered = firm.post(
            f"/api/v1/room-requests/{item_id}/answer/", {"kind": "text", "text": "Done."}
        )
        assert answered.json()["state"] == "answered"
    not_applicable = firm.post(
        f"/api/v1/room-requests/{ids[3]}/answer/", {"kind": "not_applicable", "text": "No board."}
    )
    assert not_applicable.json()["state"] == "not_applicable"
    ItemRequest.objects.filter(pk=ids[4]).update(due_on=timezone.localdate() - dt.timedelta(1))
    board = firm.get(f"/api/v1/rooms/{world.room.pk}/").json()["board"]
    assert board == {"open": 0, "overdue": 1, "answered": 4}
    assert bank.get(f"/api/v1/room-requests/{ids[0]}/file/").status_code == 200
    assert AccessLog.objects.filter(kind="room_download", item_name="accounts.pdf").exists()

    thread = bank.post(
        f"/api/v1/rooms/{world.room.pk}/threads/",
        {"subject": "Collateral", "body": "Pledged elsewhere?"},
    ).json()
    reply = firm.post(f"/api/v1/room-threads/{thread['id']}/messages/", {"body": "No."})
    assert reply.status_code == 201
    read = bank.post(f"/api/v1/room-threads/{thread['id']}/read/").json()
    assert read["messages"][1]["read_by"] == [world.institution_user.username]
    assert read["messages"][0]["read_by"] == [world.firm_user.username]


def test_the_firm_withdraws_a_document_and_the_bank_gets_404_at_once():
    world = open_room()
    bank, firm = api_client_for(world.institution_user), api_client_for(world.firm_user)
    url = f"/api/v1/rooms/{world.room.pk}/documents/{world.accounts.pk}/"
    assert bank.get(url).status_code == 200
    assert bank.post(url + "withdraw/").status_code == 403  # only the firm
    withdrawn = firm.post(url + "withdraw/")
    assert withdrawn.status_code == 200 and withdrawn.json()["active"] is False
    assert bank.get(url).status_code == 404
    shown = bank.get(f"/api/v1/rooms/{world.room.pk}/").json()["documents"]
    assert [d["name"] for d in shown] == ["deck.pdf"]
    assert firm.post(url + "share/").json()["active"] is True
    assert bank.get(url).status_code == 200


def test_answers_keep_the_upload_limits_and_need_their_words(settings):
    world = open_room()
    (item,) = ItemRequest.objects.bulk_create(
        [ItemRequest(room=world.room, title_text="Order book", due_on=timezone.localdate())]
    )
    firm = api_client_for(world.firm_user)
    url = f"/api/v1/room-requests/{item.pk}/answer/"
    fake = SimpleUploadedFile("tool.pdf", b"MZ\x90\x00")
    assert firm.post(url, {"kind": "upload", "file": fake}, format="multipart").status_code == 400
    assert firm.post(url, {"kind": "not_applicable", "text": ""}).status_code == 400
    assert firm.post(url, {"kind": "upload"}).status_code == 400
    settings.DOCUMENT_MAX_BYTES = 10
    big = SimpleUploadedFile("big.pdf", PDF)
    assert firm.post(url, {"kind": "upload", "file": big}, format="multipart").status_code == 400
    item.refresh_from_db()
    assert item.state == "open"
    bank = api_client_for(world.institution_user)
    assert bank.post(url, {"kind": "text", "text": "x"}).status_code == 403


def test_a_closed_room_answers_409_to_writes_and_still_reads():
    world = open_room()
    match_move(match=world.match, to_status=MatchStatus.CLOSED_LOST, by=world.institution_user)
    bank = api_client_for(world.institution_user)
    response = bank.post(
        f"/api/v1/rooms/{world.room.pk}/requests/",
        {"titles": ["Late"], "due_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 409
    room = bank.get(f"/api/v1/rooms/{world.room.pk}/").json()
    assert room["read_only"] is True


def test_the_bank_cannot_ask_for_another_kinds_checklist():
    world = open_room()
    insurer_item = ChecklistItem.objects.filter(kind="insurer").first()
    response = api_client_for(world.institution_user).post(
        f"/api/v1/rooms/{world.room.pk}/requests/",
        {"checklist_items": [insurer_item.pk], "due_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400


def test_the_access_record_is_the_offices_with_its_filters():
    world = open_room()
    bank = api_client_for(world.institution_user)
    bank.get(f"/api/v1/rooms/{world.room.pk}/")
    bank.get(f"/api/v1/rooms/{world.room.pk}/documents/{world.deck.pk}/")
    other = open_room()
    api_client_for(other.institution_user).get(f"/api/v1/rooms/{other.room.pk}/")
    staff = get_user_model().objects.create_user("office", password="pw", is_staff=True)
    office = api_client_for(staff)
    firm_id = world.match.project.firm_id
    body = office.get("/api/v1/access-log/", {"firm": str(firm_id)}).json()
    assert {row["kind"] for row in body["results"]} == {"room_view", "room_download"}
    assert {row["firm"] for row in body["results"]} == {world.match.project.firm.name}
    assert office.get("/api/v1/access-log/", {"since": "yesterday"}).status_code == 400
    assert office.get("/api/v1/access-log/?until=").status_code == 400  # empty is no date
    assert api_client_for(world.firm_user).get("/api/v1/access-log/").status_code == 403
    assert bank.get("/api/v1/access-log/").status_code == 403


def test_overdue_requests_and_response_times_by_api():
    introduction = asked_by_firm(at(2020, 3, 2))
    staff = get_user_model().objects.create_user("office", password="pw", is_staff=True)
    office = api_client_for(staff)
    overdue = office.get("/api/v1/overdue-introductions/").json()["results"]
    assert [(row["id"], row["waiting_for"]) for row in overdue] == [
        (introduction.pk, "institution")
    ]
    records = office.get("/api/v1/response-times/").json()
    assert [row["name"] for row in records] == [introduction.match.offering.institution.name]
    firm = api_client_for(introduction.pair.firm_user)
    assert firm.get("/api/v1/response-times/").json()[0]["received"] == 1
    stranger = api_client_for(FirmMemberFactory().user)
    assert stranger.get("/api/v1/response-times/").json() == []
    assert firm.get("/api/v1/overdue-introductions/").status_code == 403
    assert office.get("/api/v1/overdue-introductions/?who=AAA").status_code == 400
    assert len(office.get("/api/v1/overdue-introductions/?who=all").json()["results"]) >= 1


def test_the_schema_documents_the_deal_room(api):
    schema = yaml.safe_load(api.get("/api/v1/schema/").content)
    for path in [
        "/api/v1/rooms/",
        "/api/v1/rooms/{id}/",
        "/api/v1/rooms/{id}/requests/",
        "/api/v1/rooms/{id}/threads/",
        "/api/v1/rooms/{id}/documents/{document_pk}/withdraw/",
        "/api/v1/room-requests/{id}/answer/",
        "/api/v1/room-threads/{id}/messages/",
        "/api/v1/access-log/",
        "/api/v1/overdue-introductions/",
        "/api/v1/response-times/",
    ]:
        assert path in schema["paths"], path


def test_an_api_upload_may_be_as_large_as_a_document_not_only_an_api_body(settings):
    settings.API_MAX_BODY_BYTES = 200
    world = open_room()
    (item,) = ItemRequest.objects.bulk_create(
        [ItemRequest(room=world.room, title_text="Order book", due_on=timezone.localdate())]
    )
    firm = api_client_for(world.firm_user)
    large = SimpleUploadedFile("book.pdf", PDF + b"0" * 1000)
    response = firm.post(
        f"/api/v1/room-requests/{item.pk}/answer/",
        {"kind": "upload", "file": large},
        format="multipart",
    )
    assert response.status_code == 200
    too_long = firm.post(f"/api/v1/room-requests/{item.pk}/answer/", {"text": "x" * 500})
    assert too_long.status_code == 413


def test_not_now_by_api_and_the_firm_reads_the_condition_never_the_note():
    pair = matched_pair()
    bank = api_client_for(pair.institution_user)
    missing = bank.post(
        f"/api/v1/matches/{pair.match.pk}/decline/",
        {"reason": "other", "note": "CFO evasive", "revisit": {"kind": "trl"}},
    )
    assert missing.status_code == 400
    met = bank.post(
        f"/api/v1/matches/{pair.match.pk}/decline/",
        {"reason": "other", "note": "CFO evasive", "revisit": {"kind": "trl", "trl": 5}},
    )
    assert met.status_code == 400  # TRL 6 already
    declined = bank.post(
        f"/api/v1/matches/{pair.match.pk}/decline/",
        {"reason": "other", "note": "CFO evasive", "revisit": {"kind": "first_flight"}},
    )
    assert declined.status_code == 200
    assert declined.json()["revisit"]["kind"] == "first_flight"
    firm = api_client_for(pair.firm_user)
    response = firm.get(f"/api/v1/projects/{pair.match.project_id}/matches/")
    assert "CFO evasive" not in response.content.decode()
    (row,) = [m for m in response.json()["results"] if m["id"] == pair.match.pk]
    assert row["status"] == "declined"
    assert row["revisit"]["words"] == "when a first flight is recorded"
    plain = api_client_for(pair.institution_user).post(
        f"/api/v1/matches/{pair.match.pk}/decline/", {"reason": "other", "note": "x"}
    )
    assert plain.status_code == 409  # already declined: older clients' body still parses


def test_accepting_by_api_chooses_the_documents_and_says_when_to_answer():
    pair = matched_pair()
    deck = add_document(pair.match.project, "deck.pdf")
    add_document(pair.match.project, "secret.pdf")
    introduction = introduction_request(match=pair.match, by=pair.institution_user, message="Hello")
    firm = api_client_for(pair.firm_user)
    listed = firm.get(f"/api/v1/introductions/{introduction.pk}/").json()
    assert listed["respond_by"] is not None and listed["room"] is None
    wrong = firm.post(f"/api/v1/introductions/{introduction.pk}/accept/", {"documents": [999999]})
    assert wrong.status_code == 400
    accepted = firm.post(
        f"/api/v1/introductions/{introduction.pk}/accept/", {"documents": [deck.pk]}
    ).json()
    assert accepted["respond_by"] is None
    room = api_client_for(pair.institution_user).get(f"/api/v1/rooms/{accepted['room']}/").json()
    assert [d["name"] for d in room["documents"]] == ["deck.pdf"]


def test_accepting_by_api_without_a_body_shares_every_document_as_before():
    pair = matched_pair()
    add_document(pair.match.project, "deck.pdf")
    add_document(pair.match.project, "plan.pdf")
    introduction = introduction_request(match=pair.match, by=pair.institution_user, message="Hello")
    accepted = (
        api_client_for(pair.firm_user)
        .post(f"/api/v1/introductions/{introduction.pk}/accept/")
        .json()
    )
    room = api_client_for(pair.institution_user).get(f"/api/v1/rooms/{accepted['room']}/").json()
    assert sorted(d["name"] for d in room["documents"]) == ["deck.pdf", "plan.pdf"]
