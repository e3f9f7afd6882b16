"""A deal room between a bank and a firm, with two project documents."""

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from matchmaker.dealroom.models import DealRoom
from matchmaker.review.introductions import introduction_answer, introduction_request
from projects.models import Document
from tests.matchmaker.review.helpers import matched_pair

PDF = b"%PDF-1.4\n%test\n"


def pdf(name: str = "answer.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def add_document(project, name: str, kind: str = "financials") -> Document:
    document = Document(project=project, kind=kind, original_name=name, size=len(PDF))
    document.file.save(name, ContentFile(PDF), save=True)
    return document


@dataclass
class Room:
    room: DealRoom
    firm_user: object
    institution_user: object
    deck: Document
    accounts: Document

    @property
    def match(self):
        return self.room.introduction.match


def ensure_checklists() -> None:
    """The checklists the migration seeds (a transactional test elsewhere in the session
    empties every table, seeded rows included)."""
    import_module("matchmaker.dealroom.migrations.0002_seed_checklists").seed(apps, None)


def open_room(documents: str = "all", **project_fields) -> Room:
    """The bank asks, the firm accepts sharing ``documents`` ("all", "deck" or "none")."""
    ensure_checklists()
    pair = matched_pair(**project_fields)
    institution = pair.match.offering.institution
    institution.institution_type = "bank"
    institution.save()
    deck = add_document(pair.match.project, "deck.pdf", "pitch_deck")
    accounts = add_document(pair.match.project, "accounts.pdf")
    introduction = introduction_request(match=pair.match, by=pair.institution_user, message="Hello")
    chosen = {"all": None, "deck": [deck], "none": []}[documents]
    introduction_answer(introduction=introduction, by=pair.firm_user, accept=True, documents=chosen)
    room = DealRoom.objects.get(introduction=introduction)
    return Room(room, pair.firm_user, pair.institution_user, deck, accounts)
