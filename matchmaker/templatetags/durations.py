"""How long something took, as a person says it: "under a minute", "3 minutes",
"1 hour 5 minutes" (Django's timesince says "0 minutes" for a 20-second run)."""

from datetime import datetime

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


def duration_words(seconds: float) -> str:
    seconds = max(int(seconds), 0)
    if seconds < 60:
        return _("under a minute")
    minutes = seconds // 60
    hours, minutes = divmod(minutes, 60)
    minutes_text = ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
    if not hours:
        return minutes_text
    hours_text = ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}
    if not minutes:
        return hours_text
    return _("%(hours)s %(minutes)s") % {"hours": hours_text, "minutes": minutes_text}


@register.filter
def took(start: datetime | None, end: datetime | None) -> str:
    """``{{ run.started_at|took:run.finished_at }}``"""
    if start is None or end is None:
        return ""
    return duration_words((end - start).total_seconds())
