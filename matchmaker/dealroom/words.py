"""The words of a "not now" condition, from its plain values: a leaf module, so the
notification texts (written when read, in the reader's language) can word a condition
without importing the deal room's services."""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def revisit_words(kind: str, trl: int | None = None, on_date: str | dt.date | None = None) -> str:
    """What the institution is waiting for, in the active language (never its note)."""
    if kind == "trl":
        return _("when the project reaches TRL %(trl)s") % {"trl": trl}
    if kind == "first_flight":
        return _("when a first flight is recorded")
    if kind == "revenue":
        return _("when revenue starts")
    date = on_date.isoformat() if isinstance(on_date, dt.date) else on_date
    return pgettext("revisit", "after %(date)s") % {"date": date}
