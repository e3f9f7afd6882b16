"""The scoring outbox (`PendingScoring`): which requests the sweeper sends again.

A request row is written with the change; its task is published after commit and the row
is stamped `enqueued_at`; the worker stamps `started_at` when the task begins, and the
scoring deletes the row in its write transaction. So the sweeper can tell apart:
- never sent (publishing failed: the broker was down): send it;
- started long ago and still there (its worker died mid-task): send it again;
- sent and not started: a message is waiting for a worker. Leave it: a copy would only
  queue behind it (a busy worker once saw its queue grow from 2 to 190 messages this way).
  Only when it has waited `stale_after()` and no message at all waits in the queue (the
  embedded broker loses what a killed worker had prefetched) is it sent again.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from matchmaker.models import PendingScoring

# A request the broker refused is sent again after this long.
UNSENT_AFTER = timedelta(seconds=30)
SWEEP_LIMIT = 5000


def _stale() -> timedelta:
    return timedelta(seconds=settings.SCORING_STALE_AFTER_SECONDS)


@transaction.atomic  # the row lock below needs a transaction (PostgreSQL insists)
def request_record(kind: str, object_id: int) -> bool:
    """Record a scoring request; True when a task must be published for it (False when
    one is already waiting unstarted: it will read the change when it runs)."""
    now = timezone.now()
    row, created = PendingScoring.objects.select_for_update().get_or_create(
        kind=kind, object_id=object_id, defaults={"requested_at": now, "enqueued_at": now}
    )
    if created:
        return True
    waiting = row.enqueued_at is not None and row.started_at is None
    row.requested_at = now
    if not waiting:
        row.enqueued_at, row.started_at = now, None
    row.save(update_fields=["requested_at", "enqueued_at", "started_at"])
    return not waiting


def request_unsent(kind: str, object_id: int) -> None:
    """Publishing failed: the row waits for the sweeper."""
    PendingScoring.objects.filter(kind=kind, object_id=object_id).update(enqueued_at=None)


def request_started(kind: str, object_id: int) -> None:
    """A worker began this request's task."""
    PendingScoring.objects.filter(kind=kind, object_id=object_id).update(started_at=timezone.now())


def has_requests_waiting_long() -> bool:
    return PendingScoring.objects.filter(_waiting_long(timezone.now())).exists()


def _waiting_long(now) -> Q:
    return Q(started_at__isnull=True, enqueued_at__lt=now - _stale())


def requests_to_send(*, queue_empty: bool = False) -> list[tuple[str, int]]:
    """(kind, object id) of the requests to send now, marked as sent."""
    now = timezone.now()
    due = Q(enqueued_at__isnull=True, requested_at__lt=now - UNSENT_AFTER) | Q(
        started_at__lt=now - _stale()
    )
    if queue_empty:
        due |= _waiting_long(now)
    rows = list(
        PendingScoring.objects.filter(due)
        .order_by("requested_at")
        .values_list("pk", "kind", "object_id")[:SWEEP_LIMIT]
    )
    PendingScoring.objects.filter(pk__in=[pk for pk, _kind, _id in rows]).update(
        enqueued_at=now, started_at=None
    )
    return [(kind, object_id) for _pk, kind, object_id in rows]
