"""The operator's tables as rows: what the market page's CSV links and the API's
`operator/exports/{table}/` write, header first, in the reader's language."""

import csv
import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matchmaker.models import DeclineReason
from matchmaker.operator import selectors as dashboard

GROUPINGS = {
    "month": gettext_lazy("Month"),
    "segment": gettext_lazy("Segment"),
    "instrument": gettext_lazy("Instrument"),
}
TABLES = ("funnel", "capacity", "gaps", "declines")


def grouping(by: str | None, default: str) -> str:
    return by if by in GROUPINGS else default


def _funnel(by: str) -> list[list]:
    rows = dashboard.funnel(by)
    header = [GROUPINGS[by], *(label for _s, label in dashboard.FunnelStage.choices)]
    return [header, *([row["label"], *(row[s] for s in dashboard.FUNNEL_STAGES)] for row in rows)]


def _capacity(by: str) -> list[list]:
    header = [_("Instrument"), _("Need (RMB)"), _("Capacity left (RMB)")]
    rows = dashboard.capacity_by_instrument()
    return [header, *([r["label"], r["need"], r["capacity"]] for r in rows)]


def _gaps(by: str) -> list[list]:
    header = [
        _("Segment (code)"),
        _("Instrument (code)"),
        _("Need (RMB)"),
        _("Capacity open to it (RMB)"),
        _("Uncovered (RMB)"),
        _("Project id"),
        _("Project"),
        _("Uncovered in this project (RMB)"),
    ]
    rows = [
        [gap.segment, gap.instrument, gap.need, gap.capacity, gap.uncovered, pid, title, amount]
        for gap in dashboard.funding_picture()
        for pid, title, amount in gap.projects or [(None, "", 0)]
    ]
    return [header, *rows]


def _declines(by: str) -> list[list]:
    reasons = list(DeclineReason.choices)
    header = [GROUPINGS[by], *(label for _code, label in reasons), _("Total")]
    rows = [
        [group.label, *(group.counts.get(code, 0) for code, _l in reasons), group.total]
        for group in dashboard.declines(by)
    ]
    return [header, *rows]


BUILDERS = {"funnel": _funnel, "capacity": _capacity, "gaps": _gaps, "declines": _declines}
DEFAULT_GROUPING = {"funnel": "month", "declines": "segment"}


def market_table(table: str, by: str | None = None) -> list[list] | None:
    """The table's header and rows, or None for a table that does not exist."""
    builder = BUILDERS.get(table)
    if builder is None:
        return None
    return builder(grouping(by, DEFAULT_GROUPING.get(table, "month")))


def as_csv(rows: list[list]) -> str:
    """CSV text with a byte-order mark, so Excel reads the UTF-8 (and Chinese)."""
    out = io.StringIO()
    out.write("\ufeff")
    csv.writer(out).writerows(rows)
    return out.getvalue()
