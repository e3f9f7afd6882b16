"""The one writer of the audit trail (`AuditEvent`), for the writes that keep no history
of their own. Called by a service inside its transaction, so the change and its row are
committed, or rolled back, together."""

from django.db import transaction

from matchmaker.models import AuditAction, AuditEvent


class NotInATransaction(RuntimeError):
    """An audit row written outside a transaction could outlive a failed change."""


def audit_record(*, action: AuditAction, by, target: str = "", detail: dict | None = None):
    if not transaction.get_connection().in_atomic_block:
        raise NotInATransaction(f"{action} must be recorded inside its service's transaction")
    return AuditEvent.objects.create(
        action=action,
        by=by if getattr(by, "pk", None) else None,
        target=target,
        detail=detail or {},
    )
