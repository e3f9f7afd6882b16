"""The record of who opened what: append-only (no update or delete path), and the office's
search across all firms, paginated and as CSV."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.admin.sites import site
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from matchmaker.models import AccessLog, AppendOnly
from matchmaker.review.access import access_record_download
from tests.factories import FirmMemberFactory, InstitutionMemberFactory
from tests.matchmaker.dealroom.helpers import open_room

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    world = open_room()
    access_record_download(
        by=world.institution_user,
        institution=world.match.offering.institution,
        document=world.deck,
    )
    return AccessLog.objects.get(kind="download")


def test_a_logged_line_cannot_be_changed(entry):
    entry.kind = AccessLog.Kind.VIEW
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        AccessLog.objects.filter(pk=entry.pk).update(kind="view")
    entry.refresh_from_db()
    assert entry.kind == AccessLog.Kind.DOWNLOAD


def test_a_logged_line_cannot_be_deleted(entry):
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AccessLog.objects.all().delete()
    assert AccessLog.objects.filter(pk=entry.pk).exists()


def test_the_admin_shows_the_record_read_only(entry, admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    model_admin = site._registry[AccessLog]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)


def test_the_line_keeps_the_file_name(entry):
    assert entry.item_name == "deck.pdf"


def _rooms_with_views():
    """Two rooms of two firms with two banks; each bank opens its room and a file."""
    worlds = [open_room(), open_room()]
    for world in worlds:
        client = Client()
        client.force_login(world.institution_user)
        client.get(reverse("dealroom:room", args=[world.room.pk]))
        client.get(reverse("dealroom:document", args=[world.room.pk, world.deck.pk]))
    return worlds


def test_the_office_finds_every_view_of_one_firms_documents(operator_client):
    first, second = _rooms_with_views()
    firm = first.match.project.firm
    page = operator_client.get(reverse("operator:access_audit"), {"firm": firm.pk})
    rows = page.context["page"].object_list
    assert {entry.project.firm for entry in rows} == {firm}
    assert {entry.kind for entry in rows} == {"room_view", "room_download"}
    body = page.content.decode()
    assert first.institution_user.username in body
    assert second.institution_user.username not in body


def test_the_office_searches_by_institution_person_and_dates(operator_client):
    first, second = _rooms_with_views()
    url = reverse("operator:access_audit")
    by_institution = operator_client.get(url, {"institution": second.match.offering.institution.pk})
    assert {e.user for e in by_institution.context["page"].object_list} == {second.institution_user}
    by_person = operator_client.get(url, {"person": first.institution_user.username})
    assert {e.user for e in by_person.context["page"].object_list} == {first.institution_user}
    today = timezone.localdate()
    assert len(operator_client.get(url, {"since": today}).context["page"].object_list) == 4
    tomorrow = today + dt.timedelta(days=1)
    assert not operator_client.get(url, {"since": tomorrow}).context["page"].object_list
    assert (
        not operator_client.get(url, {"until": today - dt.timedelta(days=1)})
        .context["page"]
        .object_list
    )
    wrong = operator_client.get(url, {"since": tomorrow, "until": today})
    assert wrong.status_code == 200 and "before the start date" in wrong.content.decode()


def test_the_record_is_paginated(operator_client):
    world = open_room()
    institution = world.match.offering.institution
    AccessLog.objects.bulk_create(
        AccessLog(
            kind="download",
            user=world.institution_user,
            institution=institution,
            project=world.match.project,
            item_name=f"file-{n}.pdf",
        )
        for n in range(60)
    )
    first = operator_client.get(reverse("operator:access_audit"))
    assert len(first.context["page"].object_list) == 50
    second = operator_client.get(reverse("operator:access_audit"), {"page": 2})
    assert len(second.context["page"].object_list) == 10


def test_the_search_downloads_as_csv(operator_client):
    first, _second = _rooms_with_views()
    response = operator_client.get(
        reverse("operator:access_audit_csv"), {"firm": first.match.project.firm.pk}
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["When", "Firm", "Project"]
    assert len(rows) == 3
    assert {row[1] for row in rows[1:]} == {first.match.project.firm.name}
    assert "deck.pdf" in {row[6] for row in rows[1:]}


def test_firms_and_institutions_cannot_open_the_record(client):
    for member in (FirmMemberFactory(), InstitutionMemberFactory()):
        client.force_login(member.user)
        assert client.get(reverse("operator:access_audit")).status_code == 403
        assert client.get(reverse("operator:access_audit_csv")).status_code == 403
