"""Uploads: PDF/PPTX/XLSX only, size-limited, stored privately, served only to the firm."""

import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import Document, ProjectStatus
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def office_file(name: str, folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/workbook.xml", "<x/>")
    return buffer.getvalue()


@pytest.fixture
def project(firm_member):
    return ProjectFactory(firm=firm_member.firm, status=ProjectStatus.DRAFT)


def upload(client, project, name, content, kind="pitch_deck"):
    return client.post(
        reverse("projects:step", args=[project.pk, "documents"]),
        {"kind": kind, "file": SimpleUploadedFile(name, content), "upload": "1"},
        follow=True,
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("deck.pdf", b"%PDF-1.7\nbody"),
        ("model.xlsx", office_file("model.xlsx", "xl")),
        ("slides.pptx", office_file("slides.pptx", "ppt")),
    ],
)
def test_allowed_documents_are_stored_under_a_random_private_name(
    firm_client, project, name, content, settings
):
    upload(firm_client, project, name, content)
    document = Document.objects.get()
    assert document.original_name == name
    assert name not in document.file.name
    assert document.file.path.startswith(str(settings.MEDIA_ROOT))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ...", "Only PDF, PPTX and XLSX"),
        ("fake.pdf", b"MZ not a pdf", "not a valid PDF"),
        ("fake.xlsx", office_file("x", "ppt"), "not a valid XLSX"),
    ],
)
def test_other_files_are_refused_with_a_reason(firm_client, project, name, content, message):
    response = upload(firm_client, project, name, content)
    assert message in response.content.decode()
    assert not Document.objects.exists()


def test_a_file_name_cannot_disguise_itself_with_a_direction_override(firm_client, project):
    """Django's upload parser drops such characters; the stored name reads as it is."""
    upload(firm_client, project, "invoice\u202efdp.pdf", b"%PDF-1.7\nbody")
    assert Document.objects.get().original_name == "invoicefdp.pdf"


def test_oversized_documents_are_refused(firm_client, project, settings):
    settings.DOCUMENT_MAX_BYTES = 100
    response = upload(firm_client, project, "big.pdf", b"%PDF-" + b"x" * 200)
    assert "the limit is 100" in response.content.decode()
    assert not Document.objects.exists()


def test_the_firm_downloads_its_document_as_an_attachment(firm_client, project):
    upload(firm_client, project, "deck.pdf", b"%PDF-1.7\nbody")
    document = Document.objects.get()
    response = firm_client.get(reverse("projects:document", args=[project.pk, document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7\nbody"
    assert response["Content-Disposition"] == 'attachment; filename="deck.pdf"'


def test_no_url_serves_the_private_folder(client, firm_client, project):
    upload(firm_client, project, "deck.pdf", b"%PDF-1.7\nbody")
    stored = Document.objects.get().file.name
    assert client.get(f"/media/{stored}").status_code == 404
    assert client.get(f"/{stored}").status_code == 404


def test_deleting_a_document_removes_the_file(firm_client, project):
    upload(firm_client, project, "deck.pdf", b"%PDF-1.7\nbody")
    document = Document.objects.get()
    path = document.file.path
    firm_client.post(reverse("projects:document_delete", args=[project.pk, document.pk]))
    assert not Document.objects.exists()
    assert not os.path.exists(path)
