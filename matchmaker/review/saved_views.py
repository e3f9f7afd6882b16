"""Saved views: a filter of the match list a person named to come back to."""

from matchmaker.models import SavedView


def saved_view_save(*, name: str, query: str, by) -> SavedView:
    """Name the match list's current filters; the same name again replaces them."""
    view, _created = SavedView.objects.update_or_create(
        user=by, name=name, defaults={"query": query}
    )
    return view


def saved_view_delete(*, view: SavedView, by) -> None:
    if view.user_id != by.pk:
        raise SavedView.DoesNotExist
    view.delete()
