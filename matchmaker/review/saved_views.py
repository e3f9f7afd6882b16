"""Saved views: a filter of the match list a person named to come back to."""

from django.db import transaction

from matchmaker.audit import audit_record
from matchmaker.models import AuditAction, SavedView


@transaction.atomic
def saved_view_save(*, name: str, query: str, by) -> SavedView:
    """Name the match list's current filters; the same name again replaces them."""
    view, created = SavedView.objects.update_or_create(
        user=by, name=name, defaults={"query": query}
    )
    audit_record(
        action=AuditAction.SAVED_VIEW_SAVED,
        by=by,
        target=f"saved_view:{view.pk}",
        detail={"name": name, "query": query, "new": created},
    )
    return view


@transaction.atomic
def saved_view_delete(*, view: SavedView, by) -> None:
    if view.user_id != by.pk:
        raise SavedView.DoesNotExist
    target = f"saved_view:{view.pk}"
    view.delete()
    audit_record(
        action=AuditAction.SAVED_VIEW_DELETED, by=by, target=target, detail={"name": view.name}
    )
