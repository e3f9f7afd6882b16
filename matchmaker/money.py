"""How amounts and lists read in each language. Amounts are whole RMB; people read them
with separators, and in Chinese as 万 / 亿; Chinese lists use the enumeration comma 、.

Plain functions for any text the domain writes (package reasons, explanations, e-mails);
`templatetags/money.py` offers the same functions to templates.
"""

from django.utils.translation import get_language

from matchmaker.vocabulary import Instrument

WAN = 10_000
YI = 100_000_000


def _chinese() -> bool:
    return (get_language() or "").startswith("zh")


def listing(items) -> str:
    """Labels one after another: "a, b" in English, "a、b" in Chinese."""
    return ("、" if _chinese() else ", ").join(str(item) for item in items)


def rmb(amount) -> str:
    """RMB 12,500,000 in English; 1,250万 or 3.5亿 in Chinese."""
    if amount is None or amount == "":
        return "—"
    amount = int(amount)
    if _chinese():
        if abs(amount) >= YI:
            return f"{amount / YI:,.2f}".rstrip("0").rstrip(".") + "亿元"
        if abs(amount) >= WAN:
            return f"{amount / WAN:,.2f}".rstrip("0").rstrip(".") + "万元"
        return f"{amount:,}元"
    return f"RMB {amount:,}"


def rmb_in_words(amount: int) -> str:
    """A round limit as people say it: "RMB 100 billion" / "1,000亿元"."""
    if _chinese():
        return rmb(amount)
    for size, word in ((1_000_000_000_000, "trillion"), (1_000_000_000, "billion")):
        if amount >= size and amount % size == 0:
            return f"RMB {amount // size:,} {word}"
    for size, word in ((1_000_000, "million"),):
        if amount >= size and amount % size == 0:
            return f"RMB {amount // size:,} {word}"
    return rmb(amount)


def rmb_short(amount) -> str:
    """RMB 120M / RMB 1.5B in English (lists and tables, where full digits wrap); in
    Chinese 万 / 亿 are already short, so the same as `rmb`."""
    if amount is None or amount == "" or _chinese():
        return rmb(amount)
    amount = int(amount)
    for size, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if abs(amount) >= size:
            return f"RMB {amount / size:,.1f}".rstrip("0").rstrip(".") + suffix
    return f"RMB {amount:,}"


def percent(fraction) -> str:
    if fraction is None:
        return "—"
    return f"{100 * float(fraction):.0f}%"


def instrument_label(code: str) -> str:
    """“risk_cover” → “Risk cover”, in the reader's language."""
    return str(dict(Instrument.choices).get(code, code))
