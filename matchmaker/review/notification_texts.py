"""What each notification says, kept as a message key and its parameters so that it is
written in the reader's language when it is shown (or mailed), not in the language of
the moment it was created. Rows from before this (no key) show the text they stored."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from matchmaker.dealroom.words import revisit_words
from matchmaker.money import listing

MESSAGES = {
    "intro_requested": _("%(institution)s asks for an introduction about “%(project)s”."),
    "intro_asked_by_firm": _(
        "A firm asks your institution for an introduction about “%(project)s”."
    ),
    "intro_accepted": _(
        "%(who)s accepted the introduction about “%(project)s”: contacts are now visible."
    ),
    "intro_refused": _("%(who)s refused the introduction about “%(project)s”."),
    "verified_firm": _(
        "%(name)s is verified: your submitted projects are now matched with "
        "institutions' offerings."
    ),
    "verified_institution": _(
        "%(name)s is verified: your active offerings are now matched with firms' projects."
    ),
    "new_matches": _("New matched offerings for “%(project)s”: %(count)s."),
    "shortlisted": _("%(institution)s shortlisted “%(project)s”."),
    "digest": _("%(count)s new matches scored %(threshold)s or more: %(best)s"),
    "intro_reminder": _(
        "Please answer the introduction request about “%(project)s” by "
        "%(deadline)s (the programme's window: %(days)s working days)."
    ),
    "room_request": _("%(institution)s asks for %(count)s items about “%(project)s”."),
    "room_answer": _("%(firm)s answered “%(item)s” in the deal room of “%(project)s”."),
    "room_message": _("%(who)s wrote in “%(subject)s” (deal room of “%(project)s”)."),
    "room_withdrawn": _("%(firm)s no longer shares “%(document)s” in the deal room."),
    "match_revisited": _("“%(project)s” is back on your list: you asked to look again %(when)s."),
    "webhook_paused": _(
        "Deliveries to %(url)s are paused: it kept failing. Fix the receiver, then resume "
        "it; the events it missed are waiting."
    ),
}

# One project of the digest and its score, e.g. "Star tracker (84)" / "Star tracker（84分）".
SCORED_TITLE = pgettext_lazy("digest entry", "%(title)s (%(score)s)")


def _formatted(params: dict) -> dict:
    """Parameters as the current language writes them: a list of [title, score] pairs
    (the digest's best matches) becomes a list in that language's punctuation."""
    out = {}
    for name, value in params.items():
        if isinstance(value, dict) and "revisit_kind" in value:
            value = revisit_words(value["revisit_kind"], value.get("trl"), value.get("on_date"))
        elif isinstance(value, list):
            value = listing(str(SCORED_TITLE) % {"title": t, "score": s} for t, s in value)
        out[name] = value
    return out


def text_of(message_key: str, params: dict, fallback: str = "") -> str:
    """The notification in the active language; ``fallback`` (the stored text) for a key
    this version does not know, or parameters that no longer fit it."""
    message = MESSAGES.get(message_key)
    if message is None:
        return fallback
    try:
        return str(message) % _formatted(params or {})
    except (KeyError, TypeError, ValueError):
        return fallback
