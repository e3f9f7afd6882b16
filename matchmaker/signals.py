"""Listens to the changes `projects` and `investors` announce, and asks for scoring.

The request is written in the same transaction as the change (an outbox row), and the
Celery task is published only after commit. If publishing fails, the row stays and the
sweeper publishes it later.
"""

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from investors.signals import offering_changed
from projects.signals import project_changed

from .models import PendingScoring


def request_scoring(kind: str, object_id: int) -> None:
    from . import tasks

    PendingScoring.objects.update_or_create(
        kind=kind, object_id=object_id, defaults={"requested_at": timezone.now()}
    )
    task = tasks.score_project if kind == PendingScoring.Kind.PROJECT else tasks.score_offering
    transaction.on_commit(lambda: tasks.enqueue(task, object_id))


@receiver(project_changed)
def score_changed_project(sender, project, **kwargs) -> None:
    request_scoring(PendingScoring.Kind.PROJECT, project.pk)


@receiver(offering_changed)
def score_changed_offering(sender, offering, **kwargs) -> None:
    request_scoring(PendingScoring.Kind.OFFERING, offering.pk)
