"""The rules a decision must keep, written once for the web form, the API and the service."""

from django.utils.translation import gettext as _

from matchmaker.models import DeclineReason


def decline_note_problem(reason: str, note: str) -> str | None:
    """“Other” is the one reason that says nothing by itself, so it needs a few words."""
    if reason == DeclineReason.OTHER and not (note or "").strip():
        return _("Say in a few words why, when the reason is “Other”.")
    return None
