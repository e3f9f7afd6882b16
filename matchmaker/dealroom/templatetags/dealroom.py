"""What a firm may read about a declined match: the condition the institution waits for."""

from django import template

from matchmaker.dealroom.revisit import describe, waiting_condition

register = template.Library()


@register.simple_tag
def waiting_for(match) -> str:
    """The condition's words ("when a first flight is recorded"), or "" (never the note)."""
    condition = waiting_condition(match)
    return describe(condition) if condition else ""
