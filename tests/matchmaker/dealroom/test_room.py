"""The deal room: opened on accept with the firm's consent, requests and answers on one
board, questions with receipts, withdrawn documents gone at once, read-only once closed."""

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from matchmaker.dealroom import selectors, services
from matchmaker.dealroom.models import (
    ChecklistItem,
    DealRoom,
    ItemRequest,
    RequestState,
    RoomEvent,
    RoomEventKind,
    ThreadRead,
)
from matchmaker.models import AccessLog, MatchStatus, Notification, Profile
from matchmaker.review.introductions import introduction_request
from matchmaker.review.services import match_move
from tests.matchmaker.dealroom.helpers import add_document, ensure_checklists, open_room, pdf
from tests.matchmaker.review.helpers import matched_pair

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bank_items(count: int):
    return list(ChecklistItem.objects.filter(kind="bank"))[:count]


def test_the_checklists_are_seeded_per_kind_in_both_languages():
    ChecklistItem.objects.all().delete()
    ensure_checklists()  # the migration's own seeding function
    ensure_checklists()  # twice adds nothing
    assert ChecklistItem.objects.count() == 9
    kinds = {item.kind for item in ChecklistItem.objects.all()}
    assert kinds == {"bank", "insurer", "fund"}
    item = ChecklistItem.objects.get(title_en="Launch manifest")
    assert item.title_zh == "发射任务清单"


def test_accepting_opens_one_room_showing_only_the_documents_the_firm_chose():
    world = open_room(documents="deck")
    assert DealRoom.objects.count() == 1
    assert [c.document for c in selectors.shared_documents(world.room)] == [world.deck]
    assert RoomEvent.objects.filter(room=world.room, kind=RoomEventKind.OPENED).count() == 1
    bank = client_of(world.institution_user)
    deck_url = reverse("dealroom:document", args=[world.room.pk, world.deck.pk])
    accounts_url = reverse("dealroom:document", args=[world.room.pk, world.accounts.pk])
    assert bank.get(deck_url).status_code == 200
    assert bank.get(accounts_url).status_code == 404
    old_address = reverse("institution:document", args=[world.match.pk, world.accounts.pk])
    assert bank.get(old_address).status_code == 404


def test_the_firm_ticks_documents_on_the_accept_page():
    pair = matched_pair()
    deck = add_document(pair.match.project, "deck.pdf")
    add_document(pair.match.project, "secret.pdf")
    introduction = introduction_request(match=pair.match, by=pair.institution_user, message="Hello")
    firm = client_of(pair.firm_user)
    page = firm.get(reverse("firm:introductions")).content.decode()
    assert "secret.pdf" in page and 'name="documents"' in page
    firm.post(
        reverse("firm:introduction_accept", args=[introduction.pk]),
        {"consent": "1", "documents": [deck.pk]},
    )
    room = DealRoom.objects.get(introduction=introduction)
    assert [c.document for c in selectors.shared_documents(room)] == [deck]


def test_withdrawing_a_document_ends_the_banks_access_at_once():
    world = open_room()
    bank = client_of(world.institution_user)
    url = reverse("dealroom:document", args=[world.room.pk, world.accounts.pk])
    old_address = reverse("institution:document", args=[world.match.pk, world.accounts.pk])
    assert bank.get(url).status_code == 200
    assert bank.get(old_address).status_code == 200
    response = client_of(world.firm_user).post(
        reverse("dealroom:document_withdraw", args=[world.room.pk, world.accounts.pk])
    )
    assert response.status_code == 302
    assert bank.get(url).status_code == 404
    assert bank.get(old_address).status_code == 404
    assert (
        bank.get(reverse("dealroom:document", args=[world.room.pk, world.deck.pk])).status_code
        == 200
    )
    assert Notification.objects.filter(user=world.institution_user, kind="room_withdrawn").exists()


def test_only_the_firm_withdraws():
    world = open_room()
    response = client_of(world.institution_user).post(
        reverse("dealroom:document_withdraw", args=[world.room.pk, world.accounts.pk])
    )
    assert response.status_code == 403
    assert selectors.shared_documents(world.room).count() == 2


def test_five_items_three_answered_one_not_applicable_one_overdue_on_one_board():
    world = open_room()
    today = timezone.localdate()
    items = services.item_requests_create(
        room=world.room,
        checklist_items=bank_items(3),
        titles=["Board minutes", "Order book"],
        due_on=today,
        by=world.institution_user,
    )
    assert len(items) == 5
    assert Notification.objects.filter(user=world.firm_user, kind="room_request").count() == 1
    services.item_request_answer(item=items[0], kind="upload", upload=pdf(), by=world.firm_user)
    services.item_request_answer(item=items[1], kind="text", text="See page 3.", by=world.firm_user)
    services.item_request_answer(item=items[2], kind="text", text="Signed.", by=world.firm_user)
    services.item_request_answer(
        item=items[3], kind="not_applicable", text="We have no board yet.", by=world.firm_user
    )
    board = selectors.board(world.room, today=today + dt.timedelta(days=1))
    assert board.counts() == {"open": 0, "overdue": 1, "answered": 4}
    assert board.overdue == [items[4]]
    assert selectors.board(world.room, today=today).counts()["open"] == 1
    for user in (world.firm_user, world.institution_user):
        page = client_of(user).get(reverse("dealroom:room", args=[world.room.pk]))
        assert page.status_code == 200
        assert "Order book" in page.content.decode()


def test_not_applicable_needs_a_reason_and_an_upload_keeps_the_document_limits(settings):
    world = open_room()
    (item,) = services.item_requests_create(
        room=world.room,
        titles=["Order book"],
        due_on=timezone.localdate(),
        by=world.institution_user,
    )
    firm = client_of(world.firm_user)
    url = reverse("dealroom:request_answer", args=[item.pk])
    response = firm.post(url, {f"item{item.pk}-kind": "not_applicable", f"item{item.pk}-text": ""})
    assert response.status_code == 400
    renamed = SimpleUploadedFile("tool.pdf", b"MZ\x90\x00", content_type="application/pdf")
    response = firm.post(url, {f"item{item.pk}-kind": "upload", f"item{item.pk}-file": renamed})
    assert response.status_code == 400
    settings.DOCUMENT_MAX_BYTES = 10
    response = firm.post(url, {f"item{item.pk}-kind": "upload", f"item{item.pk}-file": pdf()})
    assert response.status_code == 400
    assert "limit" in response.content.decode()
    item.refresh_from_db()
    assert item.state == RequestState.OPEN
    with pytest.raises(ValidationError):
        services.item_request_answer(item=item, kind="upload", upload=pdf(), by=world.firm_user)


def test_the_firm_answers_with_a_file_the_bank_downloads_and_the_download_is_logged():
    world = open_room()
    (item,) = services.item_requests_create(
        room=world.room,
        checklist_items=bank_items(1),
        due_on=timezone.localdate(),
        by=world.institution_user,
    )
    firm = client_of(world.firm_user)
    response = firm.post(
        reverse("dealroom:request_answer", args=[item.pk]),
        {f"item{item.pk}-kind": "upload", f"item{item.pk}-file": pdf("accounts-2025.pdf")},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == RequestState.ANSWERED and item.file_name == "accounts-2025.pdf"
    bank = client_of(world.institution_user)
    download = bank.get(reverse("dealroom:request_file", args=[item.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    entry = AccessLog.objects.get(kind=AccessLog.Kind.ROOM_DOWNLOAD)
    assert (entry.user, entry.item_name, entry.room) == (
        world.institution_user,
        "accounts-2025.pdf",
        world.room,
    )


def test_the_bank_asks_from_its_checklist_on_the_page():
    world = open_room()
    bank = client_of(world.institution_user)
    page = bank.get(reverse("dealroom:room", args=[world.room.pk])).content.decode()
    assert "Collateral ownership papers" in page and "Launch manifest" not in page
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    response = bank.post(
        reverse("dealroom:request_create", args=[world.room.pk]),
        {
            "checklist_items": [item.pk for item in bank_items(2)],
            "other_items": "Order book\n\nHedging policy",
            "due_on": due,
        },
    )
    assert response.status_code == 302
    assert ItemRequest.objects.filter(room=world.room).count() == 4
    past = bank.post(
        reverse("dealroom:request_create", args=[world.room.pk]),
        {"other_items": "Late item", "due_on": "2020-01-01"},
    )
    assert past.status_code == 400
    assert "Late item" in past.content.decode()  # what was typed is kept
    assert not ItemRequest.objects.filter(title_text="Late item").exists()


def test_the_firm_cannot_ask_for_items():
    world = open_room()
    response = client_of(world.firm_user).post(
        reverse("dealroom:request_create", args=[world.room.pk]),
        {"other_items": "x", "due_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 403


def test_a_question_is_asked_answered_and_read_with_receipts():
    world = open_room()
    bank, firm = client_of(world.institution_user), client_of(world.firm_user)
    response = bank.post(
        reverse("dealroom:thread_create", args=[world.room.pk]),
        {"subject": "Collateral", "body": "Is the line pledged elsewhere?"},
    )
    thread = world.room.threads.get()
    assert response.url == reverse("dealroom:thread", args=[thread.pk])
    page = bank.get(response.url).content.decode()
    assert "Not read by the other side yet" in page
    room_page = firm.get(reverse("dealroom:room", args=[world.room.pk])).content.decode()
    assert "Unread" in room_page
    firm.get(reverse("dealroom:thread", args=[thread.pk]))
    firm.post(
        reverse("dealroom:thread_reply", args=[thread.pk]),
        {"body": "No, it is free.", "file": pdf("register.pdf")},
    )
    page = bank.get(reverse("dealroom:thread", args=[thread.pk])).content.decode()
    assert "Read by " + world.firm_user.username in page
    assert "No, it is free." in page and "register.pdf" in page
    assert ThreadRead.objects.filter(thread=thread).count() == 2
    assert Notification.objects.filter(user=world.firm_user, kind="room_message").count() == 1
    assert (
        Notification.objects.filter(user=world.institution_user, kind="room_message").count() == 1
    )
    message = thread.messages.get(file_name="register.pdf")
    assert bank.get(reverse("dealroom:message_file", args=[message.pk])).status_code == 200
    assert AccessLog.objects.filter(kind="room_download", item_name="register.pdf").count() == 1
    assert AccessLog.objects.filter(kind="room_view", item_name="Collateral").count() == 1


def test_a_closed_match_leaves_a_read_only_room_with_its_record():
    world = open_room()
    (item,) = services.item_requests_create(
        room=world.room,
        titles=["Order book"],
        due_on=timezone.localdate(),
        by=world.institution_user,
    )
    match_move(match=world.match, to_status=MatchStatus.CLOSED_LOST, by=world.institution_user)
    world.room.refresh_from_db()
    assert world.room.read_only
    with pytest.raises(services.RoomClosed):
        services.item_request_answer(item=item, kind="text", text="late", by=world.firm_user)
    with pytest.raises(services.RoomClosed):
        services.thread_start(room=world.room, subject="x", body="y", by=world.institution_user)
    page = client_of(world.firm_user).get(reverse("dealroom:room", args=[world.room.pk]))
    assert "read-only" in page.content.decode()
    assert (
        'action="' + reverse("dealroom:request_answer", args=[item.pk]) not in page.content.decode()
    )
    assert RoomEvent.objects.filter(room=world.room).exists()


def test_the_banks_views_of_the_room_are_logged_once_an_hour_and_the_firms_not():
    world = open_room()
    url = reverse("dealroom:room", args=[world.room.pk])
    client_of(world.institution_user).get(url)
    client_of(world.institution_user).get(url)
    client_of(world.firm_user).get(url)
    assert AccessLog.objects.filter(kind=AccessLog.Kind.ROOM_VIEW).count() == 1


def test_existing_accepted_introductions_get_a_room_with_all_their_documents_by_migration():
    """Before rooms, accepting opened every document: the migrated room keeps that."""
    world = open_room(documents="none")
    introduction = world.room.introduction
    RoomEvent.objects.filter(room=world.room).delete()
    world.room.shared.all().delete()
    world.room.delete()
    migration = import_module(
        "matchmaker.dealroom.migrations.0003_rooms_for_accepted_introductions"
    )
    migration.open_rooms(apps, None)
    migration.open_rooms(apps, None)  # a second run adds nothing
    room = DealRoom.objects.get(introduction=introduction)
    assert {c.document for c in room.shared.all()} == {world.deck, world.accounts}


def test_the_firm_is_mailed_once_for_a_batch_of_requests_in_its_own_language(
    django_capture_on_commit_callbacks, mailoutbox
):
    world = open_room()
    Profile.objects.create(user=world.firm_user, language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        services.item_requests_create(
            room=world.room,
            checklist_items=bank_items(3),
            due_on=timezone.localdate(),
            by=world.institution_user,
        )
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [world.firm_user.email]
    assert "提出了3项资料需求" in mailoutbox[0].body
    assert f"/rooms/{world.room.pk}/" in mailoutbox[0].body


def test_the_room_page_costs_the_same_queries_with_more_requests_threads_and_documents():
    world = open_room()

    def grow(count: int) -> None:
        items = services.item_requests_create(
            room=world.room,
            checklist_items=bank_items(3),
            titles=[f"Item {n}" for n in range(count)],
            due_on=timezone.localdate(),
            by=world.institution_user,
        )
        services.item_request_answer(item=items[0], kind="text", text="Done", by=world.firm_user)
        for n in range(count):
            thread = services.thread_start(
                room=world.room, subject=f"Q{n}", body="?", by=world.institution_user
            )
            services.message_post(thread=thread, body="!", by=world.firm_user)
            document = add_document(world.match.project, f"extra-{n}-{count}.pdf")
            services.document_share(room=world.room, document=document, by=world.firm_user)

    def queries(user) -> int:
        client = client_of(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("dealroom:room", args=[world.room.pk])).status_code == 200
        return len(captured)

    grow(2)
    for user in (world.firm_user, world.institution_user):
        queries(user)  # the bank's first visit within the hour writes its log line
    few = {user: queries(user) for user in (world.firm_user, world.institution_user)}
    grow(8)
    many = {user: queries(user) for user in (world.firm_user, world.institution_user)}
    assert many == few
