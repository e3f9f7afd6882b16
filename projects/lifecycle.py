"""The project lifecycle: draft → submitted → withdrawn / funded, with revisions.

Every change a matching engine should see bumps the revision and announces itself with
`project_changed` inside the same transaction: a listener records its to-do atomically
with the change, and defers anything outside the database to ``transaction.on_commit``.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import FundingNeed, Project, ProjectStatus
from .signals import project_changed


def announce_change(project: Project) -> None:
    """Tell listeners inside this transaction, so what they record commits with it."""
    project_changed.send(sender=Project, project=project)


def record_revision(project: Project) -> None:
    """Count an edit: a submitted project's matches must be re-scored."""
    Project.objects.filter(pk=project.pk).update(
        revision=F("revision") + 1, updated_at=timezone.now()
    )
    project.refresh_from_db(fields=["revision", "updated_at"])
    if project.status == ProjectStatus.SUBMITTED:
        announce_change(project)


def set_needs(project: Project, amounts: dict[str, int | None]) -> None:
    """Replace the project's needs by instrument; a blank or zero amount drops that need."""
    for instrument, amount in amounts.items():
        if amount:
            FundingNeed.objects.update_or_create(
                project=project, instrument=instrument, defaults={"amount": amount}
            )
        else:
            FundingNeed.objects.filter(project=project, instrument=instrument).delete()


def submission_problems(project: Project) -> list[str]:
    """What still stops a draft from being submitted, in words a firm can act on."""
    problems = []
    if not project.needs.exists():
        problems.append(_("Say how much you seek through at least one instrument (step 2)."))
    if not project.summary.strip():
        problems.append(_("Add a short summary of the project (step 1)."))
    return problems


@transaction.atomic
def submit(project: Project) -> Project:
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status != ProjectStatus.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    problems = submission_problems(project)
    if problems:
        raise ValidationError(problems)
    project.status = ProjectStatus.SUBMITTED
    project.submitted_at = timezone.now()
    project.save(update_fields=["status", "submitted_at", "updated_at"])
    announce_change(project)
    return project


@transaction.atomic
def withdraw(project: Project) -> Project:
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status not in {ProjectStatus.DRAFT, ProjectStatus.SUBMITTED}:
        raise ValidationError(_("This project can no longer be withdrawn."))
    project.status = ProjectStatus.WITHDRAWN
    project.save(update_fields=["status", "updated_at"])
    announce_change(project)
    return project


@transaction.atomic
def mark_funded(project: Project) -> Project:
    """The firm closed its round: the project leaves every match list, matches people
    acted on stay in their history."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status != ProjectStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted project can be marked as funded."))
    project.status = ProjectStatus.FUNDED
    project.save(update_fields=["status", "updated_at"])
    announce_change(project)
    return project


@transaction.atomic
def verify_firms(firms) -> int:
    """Operator action: verified firms' submitted projects become matchable at once."""
    count = 0
    for firm in firms.select_for_update().filter(verified=False):
        firm.verified = True
        firm.verified_at = timezone.now()
        firm.save(update_fields=["verified", "verified_at"])
        for project in firm.projects.filter(status=ProjectStatus.SUBMITTED):
            announce_change(project)
        count += 1
    return count
