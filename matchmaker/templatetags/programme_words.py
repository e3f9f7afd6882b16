"""The programme's words (`matchmaker.programme.wording`) as template filters."""

from django import template

from matchmaker.money import listing
from matchmaker.programme import wording

register = template.Library()


@register.filter
def covered_terms(enrolment) -> str:
    """ "TRL 6, pre-revenue firms, tickets up to RMB 150,000,000" ("" when none)."""
    return listing(wording.covered_terms(enrolment))


@register.filter
def rate_bp(bp: int) -> str:
    """420 → "4.2 %", the number and its sign kept on one line."""
    return wording.rate(bp).replace(" ", "\u00a0")
