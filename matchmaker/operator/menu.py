"""The programme office's work, listed once: its menu and its landing page both read it.

A page whose address does not exist (yet) is left out, so a view being built elsewhere
(the audit log) has its entry here already and appears the moment its URL is added.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class OfficePage:
    url_name: str
    label: str  # the menu's word
    description: str  # the landing page's line


OFFICE_PAGES = (
    OfficePage(
        "operator:verification",
        _("Verification"),
        _("Organisations waiting for verification: nothing of theirs is matched until then."),
    ),
    OfficePage(
        "operator:market",
        _("Market"),
        _("Needs against capacity, the funnel and the funding gaps, with CSV exports."),
    ),
    OfficePage(
        "operator:weights",
        _("Weights"),
        _("The engine's default weights, previewed on real projects before they apply."),
    ),
    OfficePage(
        "operator:declines",
        _("Declines"),
        _("Why institutions decline, by reason, with the projects most declined."),
    ),
    OfficePage(
        "operator:scoring_runs",
        _("Re-scores"),
        _("Full re-scores: start one, and follow the runs and how long they took."),
    ),
    OfficePage(
        "operator:audit",
        _("Audit log"),
        _("Who did what and when: decisions, verifications, changes of weights."),
    ),
    OfficePage(
        "admin:index",
        _("Admin"),
        _("Organisations, members, projects and offerings, record by record."),
    ),
)


def office_pages() -> list[dict]:
    """The pages that exist, with their addresses, in menu order."""
    pages = []
    for page in OFFICE_PAGES:
        try:
            url = reverse(page.url_name)
        except NoReverseMatch:
            continue
        pages.append({"url": url, "label": page.label, "description": page.description})
    return pages
