"""The undo button inside a decision's confirmation: the message carries the match id in
its tags (``undo-match undo-match-12``), so the button appears where the eye already is."""

from django import template

register = template.Library()


@register.filter
def undo_match_id(message) -> int | None:
    """The match a confirmation can undo, or None for any other message."""
    for tag in str(getattr(message, "extra_tags", "") or "").split():
        if tag.startswith("undo-match-") and tag.removeprefix("undo-match-").isdigit():
            return int(tag.removeprefix("undo-match-"))
    return None
