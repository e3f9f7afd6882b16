"""The institution's match list page's project cards, written in Python.

The cards were a template loop: some sixty template-tag and variable lookups per card made
them about half of an uncached list page's CPU time (≈ 30 ms of 65 at the benchmark's
size). Here each card is one `_html` (Django's `format_html`, see there) over values
read once. The words are the
template's own messages (same msgids, so the same 简体中文 translations), and the HTML is
the template's, byte for byte (`tests/matchmaker/review/test_match_cards.py`).
`templates/institution/match_list.html` shows `group.card` where the loop was.
"""

import html
from decimal import ROUND_HALF_UP, Decimal

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from matchmaker.models import Match
from matchmaker.money import rmb, rmb_short
from matchmaker.review.selectors import CardMatch, ProjectGroup
from matchmaker.vocabulary import choice_label
from projects.models import FundingNeed, Project

# A card: its start, its best match's address, its head (the project's facts: the same on
# every list, kept per language), its rows (the list's matches), its end.
CARD_START = '\n<article class="card match-group">\n  <h2><a href="'
CARD_HEAD = """\
">{}</a></h2>
  <p class="facts-line">{} · {} · {} · {} · {}</p>
  <p class="facts-line"><span class="muted">{}:</span> {}</p>
  <ul class="group-matches">"""
CARD_END = """
  </ul>
</article>
"""

ROW = """
    <li><strong class="score" title="{}">{}</strong>
      <a href="{}">{}</a>
      <span class="badge {}">{}</span>{}
      {}
    </li>"""

NEED = '{} <span title="{}">{}</span>'
NO_LONGER_ELIGIBLE = ' <span class="badge withdrawn">{}</span>'
SHORTLIST = (
    '<button type="submit" form="list-decisions" formaction="{}" class="secondary small">'
    "{}</button>"
)


def group_cards(groups: list[ProjectGroup]) -> None:
    """Set `card` (safe HTML) on each group; the matches carry `detail_url` and
    `shortlist_url` (`institution_views._with_addresses`)."""
    words = {
        "language": get_language(),
        "score": gettext("Score"),
        "needs": gettext("Needs"),
        "shortlist": gettext("Shortlist"),
        "no_longer_eligible": _html(NO_LONGER_ELIGIBLE, gettext("no longer eligible")),
        "labels": Labels(),
    }
    for group in groups:
        group.card = project_card(group, words)


class Labels(dict):
    """Each choice's label translated once per page of cards: a page shows the same few
    segments, stages, regions, instruments and statuses again and again (some 140
    translations a page, one lazy label at a time)."""

    def of(self, field, value: str) -> str:
        key = (field, value)
        if key not in self:
            self[key] = choice_label(field, value)
        return self[key]


# The choice fields a card labels, as the models declare them.
SEGMENT = Project._meta.get_field("segment")
STAGE = Project._meta.get_field("stage")
REGION = Project._meta.get_field("region")
INSTRUMENT = FundingNeed._meta.get_field("instrument")
STATUS = Match._meta.get_field("status")


def project_card(group: ProjectGroup, words: dict) -> SafeString:
    """The group's card: its head written once per language for the project (kept in
    `group.heads`, which the process keeps with the project's facts:
    `card_projects`), its rows for this list."""
    head = group.heads.get(words["language"])
    if head is None:
        head = group.heads[words["language"]] = project_head(group, words)
    rows = "".join(match_row(match, words) for match in group.matches)
    return SafeString(CARD_START + _escaped(group.best.detail_url) + head + rows + CARD_END)


def project_head(group: ProjectGroup, words: dict) -> str:
    """The card's HTML between its link's address and its rows: the project's title,
    facts and needs."""
    project, label = group.project, words["labels"].of
    needs = mark_safe(
        " · ".join(
            _html(
                NEED, label(INSTRUMENT, need.instrument), rmb(need.amount), rmb_short(need.amount)
            )
            for need in group.needs
        )
    )
    return _html(
        CARD_HEAD,
        project.title,
        label(SEGMENT, project.segment),
        label(STAGE, project.stage),
        gettext("TRL %(trl)s") % {"trl": project.trl},
        label(REGION, project.region),
        ngettext(
            "%(counter)s month to revenue",
            "%(counter)s months to revenue",
            project.months_to_revenue,
        )
        % {"counter": project.months_to_revenue},
        words["needs"],
        needs,
    )


def match_row(match: CardMatch, words: dict) -> SafeString:
    return _html(
        ROW,
        words["score"],
        _whole(match.score),
        match.detail_url,
        match.offering_name,
        match.status,
        words["labels"].of(STATUS, match.status),
        "" if match.eligible else words["no_longer_eligible"],
        _html(SHORTLIST, match.shortlist_url, words["shortlist"])
        if match.eligible and not match.acted_on
        else "",
    )


def _html(template: str, *values) -> SafeString:
    """`django.utils.html.format_html`, each value escaped as its `conditional_escape`
    escapes it, without the lazy-string check Django's `escape` makes around each value:
    some 640 values a page made that check a tenth of the cards' time."""
    return SafeString(template.format(*map(_escaped, values)))


def _escaped(value) -> str:
    """`conditional_escape`: safe HTML as it is (a lazy safe string answers `__html__`
    too), anything else through `html.escape` (which `django.utils.html.escape` calls)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _whole(score: float) -> str:
    """`floatformat(score, 0)` for a score of 0 to 100: rounded half up from its decimal
    digits, no separators (Django's filter localises and handles every number)."""
    rounded = Decimal(str(score)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return str(int(rounded))
