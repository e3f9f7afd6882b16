"""Each write to a project, a document or an offering writes its audit row inside its
own transaction (`projects` and `investors` announce it with their `written` signal;
matchmaker records it): with who and when, and when the row cannot be written the write
is not made either."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.utils import timezone

from investors import services as offering_services
from investors.models import OFFERING_EDITABLE_FIELDS, Offering, OfferingStatus
from matchmaker.models import AuditAction, AuditEvent
from projects import services as project_services
from projects.models import PROJECT_EDITABLE_FIELDS, Document, Project, ProjectStatus
from tests.factories import (
    FirmFactory,
    InstitutionFactory,
    OfferingFactory,
    ProjectFactory,
    UserFactory,
)
from tests.matchmaker.accounts.test_audit_trail import refuse_audit_rows

pytestmark = pytest.mark.django_db


def rows(action) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def assert_by(found: list[AuditEvent], user, since, target: str) -> None:
    assert found, "no audit row"
    for row in found:
        assert row.by == user and since <= row.at <= timezone.now()
        assert row.target == target


def test_a_projects_writes_are_recorded_with_who_and_when():
    user, since = UserFactory(), timezone.now()
    model = ProjectFactory.build()
    fields = {name: getattr(model, name) for name in PROJECT_EDITABLE_FIELDS}
    project = project_services.project_create(firm=FirmFactory(), by=user, fields=fields)
    target = f"project:{project.pk}"
    project_services.project_update(project=project, by=user, fields={"title": "Renamed"})
    project_services.project_withdraw(project=project, by=user)
    assert_by(rows(AuditAction.PROJECT_CREATED), user, since, target)
    [updated] = rows(AuditAction.PROJECT_UPDATED)
    assert_by([updated], user, since, target)
    assert updated.detail == {"revision": Project.objects.get().revision}
    [moved] = rows(AuditAction.PROJECT_STATUS_CHANGED)
    assert_by([moved], user, since, target)
    assert moved.detail == {"status": ProjectStatus.WITHDRAWN}


def test_a_documents_upload_and_deletion_are_recorded():
    user, since, project = UserFactory(), timezone.now(), ProjectFactory()
    upload = SimpleUploadedFile("deck.pdf", b"%PDF-1.4\n")
    document = project_services.document_add(
        project=project, by=user, kind="pitch_deck", upload=upload
    )
    target = f"document:{document.pk}"
    project_services.document_delete(document=document, by=user)
    [added] = rows(AuditAction.DOCUMENT_ADDED)
    [deleted] = rows(AuditAction.DOCUMENT_DELETED)
    assert_by([added, deleted], user, since, target)
    assert added.detail == {"project": str(project.pk), "kind": "pitch_deck"}
    assert deleted.detail == {"project": str(project.pk), "name": "deck.pdf"}


def test_an_offerings_writes_are_recorded_with_who_and_when():
    user, since = UserFactory(), timezone.now()
    model = OfferingFactory.build()
    fields = {name: getattr(model, name) for name in OFFERING_EDITABLE_FIELDS}
    offering = offering_services.offering_create(
        institution=InstitutionFactory(), by=user, fields=fields
    )
    target = f"offering:{offering.pk}"
    offering_services.offering_update(offering=offering, by=user, fields={"name": "Renamed"})
    offering_services.offering_move(offering=offering, by=user, status=OfferingStatus.PAUSED)
    assert_by(rows(AuditAction.OFFERING_CREATED), user, since, target)
    assert_by(rows(AuditAction.OFFERING_UPDATED), user, since, target)
    [moved] = rows(AuditAction.OFFERING_STATUS_CHANGED)
    assert_by([moved], user, since, target)
    assert moved.detail == {"status": OfferingStatus.PAUSED}


def test_writes_whose_row_fails_are_not_made(monkeypatch):
    user, project, offering = UserFactory(), ProjectFactory(), OfferingFactory()
    document = project_services.document_add(
        project=project,
        by=user,
        kind="pitch_deck",
        upload=SimpleUploadedFile("deck.pdf", b"%PDF-1.4\n"),
    )
    refuse_audit_rows(monkeypatch)
    with pytest.raises(DatabaseError):
        project_services.project_withdraw(project=project, by=user)
    with pytest.raises(DatabaseError):
        project_services.document_delete(document=document, by=user)
    with pytest.raises(DatabaseError):
        offering_services.offering_move(offering=offering, by=user, status=OfferingStatus.PAUSED)
    assert Project.objects.get().status == ProjectStatus.SUBMITTED
    assert Document.objects.filter(pk=document.pk).exists()
    assert Offering.objects.get().status == OfferingStatus.ACTIVE
