"""After an accepted introduction: the deal room (requests, questions, consented documents),
the programme's response window, and "not now" declines that come back by themselves.

Every write goes through `services.py` (or `revisit.py`), one transaction each, and writes
a `RoomEvent` for what happened in a room.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from matchmaker.models import MatchStatus
from matchmaker.vocabulary import FastChoiceDisplay, InstitutionType, PlainCharField, PlainTextField


def private_storage():
    return storages["private"]


def room_file_path(instance, filename: str) -> str:
    """Random names on disk, as for project documents: the name people gave stays in the row."""
    return f"dealroom/{instance.room_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class ChecklistKind(models.TextChoices):
    """Which checklist a financier asks from: its kind of institution, broadly."""

    BANK = "bank", _("Bank or guarantor")
    INSURER = "insurer", _("Insurer")
    FUND = "fund", _("Fund")


CHECKLIST_OF_INSTITUTION_TYPE = {
    InstitutionType.BANK: ChecklistKind.BANK,
    InstitutionType.GUARANTOR: ChecklistKind.BANK,
    InstitutionType.INSURER: ChecklistKind.INSURER,
    InstitutionType.VC_FUND: ChecklistKind.FUND,
    InstitutionType.GUIDANCE_FUND: ChecklistKind.FUND,
}


def in_language(english: str, chinese: str) -> str:
    """The Chinese text on a Chinese page when there is one, else the English."""
    language = translation.get_language() or ""
    return chinese if language.startswith("zh") and chinese else english


class ChecklistItem(FastChoiceDisplay, models.Model):
    """One thing a kind of financier usually asks for; data, edited by the programme office
    in the admin in both languages (seeded by a migration)."""

    kind = models.CharField(_("checklist"), max_length=16, choices=ChecklistKind.choices)
    title_en = PlainCharField(_("title (English)"), max_length=200)
    title_zh = PlainCharField(_("title (Chinese)"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["kind", "position", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ChecklistKind.values), name="checklist_kind_known"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_language(self.title_en, self.title_zh)


class DealRoom(FastChoiceDisplay, models.Model):
    """One per accepted introduction: where the financier's requests, the firm's answers,
    the questions both ways and the documents the firm consented to show live. It is
    read-only once the match is closed (won or lost); nothing in it is ever deleted."""

    introduction = models.OneToOneField(
        "matchmaker.Introduction", on_delete=models.PROTECT, related_name="room"
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("deal room")
        verbose_name_plural = _("deal rooms")

    def __str__(self) -> str:
        return f"Deal room {self.pk}"

    @property
    def match(self):
        return self.introduction.match

    @property
    def read_only(self) -> bool:
        return self.match.status in (MatchStatus.CLOSED_WON, MatchStatus.CLOSED_LOST)


class SharedDocument(FastChoiceDisplay, models.Model):
    """The firm's consent for the room to show one of its project's documents; withdrawn
    consent ends the financier's access at once (the row stays, for the record)."""

    room = models.ForeignKey(DealRoom, on_delete=models.PROTECT, related_name="shared")
    document = models.ForeignKey(
        "projects.Document", on_delete=models.CASCADE, related_name="room_consents"
    )
    shared_at = models.DateTimeField(default=timezone.now)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["document__kind", "document__uploaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["room", "document"], name="one_consent_per_document")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} in room {self.room_id}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class RequestState(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class AnswerKind(models.TextChoices):
    UPLOAD = "upload", _("A file")
    TEXT = "text", _("A written answer")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class BoardColumn(models.TextChoices):
    """What both sides see on the board: a request is open, answered or overdue."""

    OPEN = "open", _("Open")
    OVERDUE = "overdue", _("Overdue")
    ANSWERED = "answered", _("Answered")


class ItemRequest(FastChoiceDisplay, models.Model):
    """Something the financier asks the firm for, by a date: an item of its checklist or
    its own words; the firm answers with a file, in writing, or "not applicable" with why."""

    room = models.ForeignKey(DealRoom, on_delete=models.PROTECT, related_name="requests")
    checklist_item = models.ForeignKey(
        ChecklistItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title_text = PlainCharField(_("what you need"), max_length=200, blank=True)
    due_on = models.DateField(_("due date"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=16, choices=RequestState.choices, default=RequestState.OPEN)
    answer_text = PlainTextField(_("answer"), blank=True)
    file = models.FileField(upload_to=room_file_path, storage=private_storage, blank=True)
    file_name = PlainCharField(max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(checklist_item__isnull=False) | ~Q(title_text=""),
                name="item_request_says_what",
            ),
            models.CheckConstraint(
                condition=Q(state__in=RequestState.values), name="item_request_state_known"
            ),
            models.CheckConstraint(
                condition=Q(state=RequestState.OPEN, answered_at__isnull=True)
                | ~Q(state=RequestState.OPEN) & Q(answered_at__isnull=False),
                name="item_request_answered_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state=RequestState.NOT_APPLICABLE) | ~Q(answer_text=""),
                name="item_request_not_applicable_says_why",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.checklist_item.title if self.checklist_item_id else self.title_text

    def column(self, today=None) -> str:
        if self.state != RequestState.OPEN:
            return BoardColumn.ANSWERED
        today = today or timezone.localdate()
        return BoardColumn.OVERDUE if self.due_on < today else BoardColumn.OPEN

    @property
    def column_now(self) -> str:
        return self.column()


class Thread(FastChoiceDisplay, models.Model):
    """A question and its answers, in one room."""

    room = models.ForeignKey(DealRoom, on_delete=models.PROTECT, related_name="threads")
    subject = PlainCharField(_("subject"), max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_message_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class Message(FastChoiceDisplay, models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="messages")
    room = models.ForeignKey(DealRoom, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_firm = models.BooleanField()
    body = PlainTextField(_("message"))
    file = models.FileField(upload_to=room_file_path, storage=private_storage, blank=True)
    file_name = PlainCharField(max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"Message {self.pk} in thread {self.thread_id}"


class ThreadRead(FastChoiceDisplay, models.Model):
    """Until when one person has read a thread: the read receipts under each message."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    from_firm = models.BooleanField()
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="one_read_mark_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id} at {self.read_at}"


class RoomEventKind(models.TextChoices):
    OPENED = "opened", _("Room opened")
    REQUESTED = "requested", _("Item requested")
    ANSWERED = "answered", _("Item answered")
    NOT_APPLICABLE = "not_applicable", _("Item marked not applicable")
    SHARED = "shared", _("Document shared")
    WITHDRAWN = "withdrawn", _("Document withdrawn")
    ASKED = "asked", _("Question asked")
    REPLIED = "replied", _("Reply posted")


class RoomEvent(FastChoiceDisplay, models.Model):
    """The room's history: each service writes one row in its own transaction."""

    room = models.ForeignKey(DealRoom, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=16, choices=RoomEventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = PlainCharField(max_length=255, blank=True)
    item = models.ForeignKey(
        ItemRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.room_id}: {self.kind}"

    @property
    def what(self) -> str:
        """What the event was about, in the reader's language when it is a checklist item."""
        return self.item.title if self.item_id else self.subject


class ResponseWindow(FastChoiceDisplay, models.Model):
    """The programme's rule for answering an introduction request in time; one row, edited
    by the office in the admin."""

    working_days = models.PositiveSmallIntegerField(
        _("working days to answer an introduction request"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind this many working days before the deadline"),
        default=2,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("response window")
        verbose_name_plural = _("response window")
        constraints = [
            models.CheckConstraint(
                condition=Q(working_days__gte=1), name="response_window_at_least_a_day"
            )
        ]

    def __str__(self) -> str:
        return str(_("Response window"))

    @classmethod
    def current(cls) -> "ResponseWindow":
        """The office's row, or the defaults until it saves one (a read never writes)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class RevisitKind(models.TextChoices):
    TRL = "trl", _("When the TRL reaches a level")
    FIRST_FLIGHT = "first_flight", _("When a first flight is recorded")
    REVENUE = "revenue", _("When revenue starts")
    DATE = "date", _("After a date")


class RevisitCondition(FastChoiceDisplay, models.Model):
    """ "Not now": what would make the institution look again at a declined match. When the
    project's facts meet it (or the date comes), the match returns to the institution's
    list by itself. The firm sees the condition, never the decline's private note."""

    match = models.ForeignKey(
        "matchmaker.Match", on_delete=models.CASCADE, related_name="revisit_conditions"
    )
    kind = models.CharField(_("look again"), max_length=16, choices=RevisitKind.choices)
    trl = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    on_date = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    met_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=RevisitKind.TRL, trl__gte=1, trl__lte=9, on_date__isnull=True)
                | Q(kind=RevisitKind.DATE, trl__isnull=True, on_date__isnull=False)
                | Q(
                    kind__in=[RevisitKind.FIRST_FLIGHT, RevisitKind.REVENUE],
                    trl__isnull=True,
                    on_date__isnull=True,
                ),
                name="revisit_condition_has_its_value",
            ),
            models.UniqueConstraint(
                fields=["match"],
                condition=Q(met_at__isnull=True, cancelled_at__isnull=True),
                name="one_waiting_condition_per_match",
            ),
        ]
        indexes = [models.Index(fields=["kind", "met_at"])]

    def __str__(self) -> str:
        return f"{self.match_id}: {self.kind}"

    @property
    def waiting(self) -> bool:
        return self.met_at is None and self.cancelled_at is None
