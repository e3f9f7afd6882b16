"""Every write to firms and projects, each in one transaction.

The project lifecycle runs draft → submitted → withdrawn / funded. Every change a
matching engine should see bumps the revision and announces itself with
`project_changed` inside the same transaction: a listener records its to-do atomically
with the change, and defers anything outside the database to ``transaction.on_commit``.
Web views and API views call these functions; forms and serializers only validate.
"""

import logging

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaker.vocabulary import Instrument, StateConflict

from .models import (
    PROJECT_EDITABLE_FIELDS,
    Document,
    Firm,
    FundingNeed,
    Milestone,
    Project,
    ProjectStatus,
)
from .signals import document_added, firm_verified, project_changed, written

logger = logging.getLogger(__name__)


def _audit(action: str, by, target: str, **detail) -> None:
    """The write's row in the audit trail, written by matchmaker inside this transaction."""
    written.send(sender=Project, action=action, by=by, target=target, detail=detail)


def _announce(project: Project) -> None:
    """Tell listeners inside this transaction, so what they record commits with it."""
    project_changed.send(sender=Project, project=project)


def _record_revision(project: Project) -> None:
    """Count an edit: a submitted project's matches must be re-scored."""
    Project.objects.filter(pk=project.pk).update(
        revision=F("revision") + 1, updated_at=timezone.now()
    )
    project.refresh_from_db(fields=["revision", "updated_at"])
    if project.status == ProjectStatus.SUBMITTED:
        _announce(project)


def _set_needs(project: Project, amounts: dict[str, int | None]) -> None:
    """Replace the project's needs by instrument; a blank or zero amount drops that need."""
    for instrument, amount in amounts.items():
        if amount:
            FundingNeed.objects.update_or_create(
                project=project, instrument=instrument, defaults={"amount": amount}
            )
        else:
            FundingNeed.objects.filter(project=project, instrument=instrument).delete()


def _set_milestones(project: Project, milestones: list[dict]) -> None:
    """Milestones are replaced as a whole: what the firm sends is the list."""
    project.milestones.all().delete()
    Milestone.objects.bulk_create(
        Milestone(project=project, title=item["title"], due_date=item["due_date"])
        for item in milestones
    )


def needs_by_instrument(*, needs: list[dict]) -> dict[str, int | None]:
    """[{instrument, amount}, …] as one amount per instrument (None: not sought)."""
    amounts: dict[str, int | None] = dict.fromkeys(Instrument.values)
    amounts.update({need["instrument"]: need["amount"] for need in needs})
    return amounts


def _apply(
    project: Project,
    fields: dict,
    needs: dict[str, int | None] | None,
    milestones: list[dict] | None,
) -> None:
    unknown = set(fields) - set(PROJECT_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable through project_update: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(project, name, value)
    project.save()
    if needs is not None:
        _set_needs(project, needs)
    if milestones is not None:
        _set_milestones(project, milestones)


@transaction.atomic
def project_create(
    *,
    firm: Firm,
    by,
    fields: dict,
    needs: dict[str, int | None] | None = None,
    milestones: list[dict] | None = None,
) -> Project:
    """A new draft of the firm; nothing is matched until it is submitted."""
    project = Project(firm=firm)
    _apply(project, fields, needs, milestones)
    _audit("project_created", by, f"project:{project.pk}")
    logger.info("project %s created by user %s", project.pk, getattr(by, "pk", None))
    return project


@transaction.atomic
def project_update(
    *,
    project: Project,
    by,
    fields: dict | None = None,
    needs: dict[str, int | None] | None = None,
    milestones: list[dict] | None = None,
) -> Project:
    """Edit a draft or submitted project; a submitted one is re-scored after commit."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not project.is_editable:
        raise StateConflict(_("A withdrawn or funded project can no longer be edited."))
    _apply(project, fields or {}, needs, milestones)
    _record_revision(project)
    _audit("project_updated", by, f"project:{project.pk}", revision=project.revision)
    logger.info("project %s updated by user %s", project.pk, getattr(by, "pk", None))
    return project


def submission_problems(*, project: Project) -> list[str]:
    """What still stops a draft from being submitted, in words a firm can act on."""
    problems = []
    if not project.needs.exists():
        problems.append(_("Say how much you seek through at least one instrument (step 2)."))
    if not project.summary.strip():
        problems.append(_("Add a short summary of the project (step 1)."))
    return problems


def _change_status(project: Project, allowed_from: set[str], to: str, refusal: str, by) -> Project:
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status not in allowed_from:
        raise StateConflict(refusal)
    project.status = to
    update_fields = ["status", "updated_at"]
    if to == ProjectStatus.SUBMITTED:
        project.submitted_at = timezone.now()
        update_fields.append("submitted_at")
    project.save(update_fields=update_fields)
    _announce(project)
    _audit("project_status_changed", by, f"project:{project.pk}", status=to)
    logger.info("project %s now %s (user %s)", project.pk, to, getattr(by, "pk", None))
    return project


@transaction.atomic
def project_submit(*, project: Project, by) -> Project:
    """Put a complete draft up for matching."""
    problems = submission_problems(project=project)
    if problems and project.status == ProjectStatus.DRAFT:
        raise StateConflict(problems)
    return _change_status(
        project,
        {ProjectStatus.DRAFT},
        ProjectStatus.SUBMITTED,
        _("Only a draft can be submitted."),
        by,
    )


@transaction.atomic
def project_withdraw(*, project: Project, by) -> Project:
    """Institutions stop seeing the project; matches people acted on stay in history."""
    return _change_status(
        project,
        {ProjectStatus.DRAFT, ProjectStatus.SUBMITTED},
        ProjectStatus.WITHDRAWN,
        _("This project can no longer be withdrawn."),
        by,
    )


@transaction.atomic
def project_mark_funded(*, project: Project, by) -> Project:
    """The firm closed its round: the project leaves every match list, matches people
    acted on stay in their history."""
    return _change_status(
        project,
        {ProjectStatus.SUBMITTED},
        ProjectStatus.FUNDED,
        _("Only a submitted project can be marked as funded."),
        by,
    )


@transaction.atomic
def project_reopen(*, project: Project, by) -> Project:
    """Back up for matching: a withdrawn project at any time, one marked as funded by
    mistake within `rules.FUNDED_UNDO_WINDOW`."""
    locked = Project.objects.select_for_update().select_related("firm").get(pk=project.pk)
    if not locked.can_reopen:
        raise StateConflict(
            _("Only a withdrawn project, or one marked as funded in the last day, can be reopened.")
        )
    problems = submission_problems(project=locked)
    if problems:
        raise StateConflict(problems)
    return _change_status(
        locked,
        {ProjectStatus.WITHDRAWN, ProjectStatus.FUNDED},
        ProjectStatus.SUBMITTED,
        _("This project can no longer be reopened."),
        by,
    )


@transaction.atomic
def document_add(*, project: Project, by, kind: str, upload: UploadedFile) -> Document:
    """Store an upload (already validated by the form) under a random name."""
    document = Document(
        project=project,
        kind=kind,
        original_name=upload.name[:255],
        size=upload.size,
        uploaded_by=by,
    )
    document.file.save(upload.name, upload, save=False)
    document.save()
    _audit("document_added", by, f"document:{document.pk}", project=str(project.pk), kind=kind)
    document_added.send(sender=Document, document=document)
    return document


def document_delete(*, document: Document, by) -> None:
    """Remove the row, then the file once the row is surely gone."""
    document_id = document.pk
    with transaction.atomic():
        _audit(
            "document_deleted",
            by,
            f"document:{document_id}",
            project=str(document.project_id),
            name=document.original_name,
        )
        document.delete()
    document.file.delete(save=False)
    logger.info("document %s deleted by user %s", document_id, getattr(by, "pk", None))


@transaction.atomic
def firms_verify(*, firms, by=None) -> int:
    """Operator action: verified firms' submitted projects become matchable at once."""
    count = 0
    for firm in firms.select_for_update().filter(verified=False):
        firm.verified = True
        firm.verified_at = timezone.now()
        firm.save(update_fields=["verified", "verified_at"])
        for project in firm.projects.filter(status=ProjectStatus.SUBMITTED):
            _announce(project)
        firm_verified.send(sender=Firm, firm=firm, by=by)
        count += 1
    return count
