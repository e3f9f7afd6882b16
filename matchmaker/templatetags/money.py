"""Amounts are whole RMB; people read them with separators, and in Chinese as 万 / 亿."""

from django import template
from django.utils.translation import get_language

from matchmaker.vocabulary import Instrument

register = template.Library()

WAN = 10_000
YI = 100_000_000


@register.filter
def rmb(amount) -> str:
    """RMB 12,500,000 in English; 1,250万 or 3.5亿 in Chinese."""
    if amount is None or amount == "":
        return "—"
    amount = int(amount)
    if (get_language() or "").startswith("zh"):
        if abs(amount) >= YI:
            return f"{amount / YI:,.2f}".rstrip("0").rstrip(".") + "亿元"
        if abs(amount) >= WAN:
            return f"{amount / WAN:,.2f}".rstrip("0").rstrip(".") + "万元"
        return f"{amount:,}元"
    return f"RMB {amount:,}"


@register.filter
def percent(fraction) -> str:
    if fraction is None:
        return "—"
    return f"{100 * float(fraction):.0f}%"


@register.filter
def instrument_label(code: str) -> str:
    """“risk_cover” → “Risk cover”, in the reader's language."""
    return str(dict(Instrument.choices).get(code, code))
