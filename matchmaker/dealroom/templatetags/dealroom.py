"""What a firm may read about a declined match: the condition the institution waits for."""

from django import template

from matchmaker.dealroom.conditions import describe, waiting_condition
from matchmaker.dealroom.deadlines import responsiveness_of

register = template.Library()


@register.simple_tag
def waiting_for(match) -> str:
    """The condition's words ("when a first flight is recorded"), or "" (never the note)."""
    condition = waiting_condition(match)
    return describe(condition) if condition else ""


@register.simple_tag
def response_record(institution):
    """How the institution answers firms' introduction requests (None before any answer)."""
    record = responsiveness_of(institution)
    return record if record and record.median_working_days is not None else None
