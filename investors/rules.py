"""The rules an offering must keep, written once for the web form and the API."""

from django.utils.translation import gettext_lazy as _

from matchmaker.vocabulary import PRODUCT_INSTRUMENT


def offering_problems(values: dict) -> dict[str, str]:
    """Field → plain-words problem, for cross-field rules the database also enforces."""
    problems = {}
    ticket_min, ticket_max = values.get("ticket_min"), values.get("ticket_max")
    if ticket_min and ticket_max and ticket_min > ticket_max:
        problems["ticket_max"] = _("The largest ticket must be at least the smallest.")
    trl_min, trl_max = values.get("trl_min"), values.get("trl_max")
    if trl_min and trl_max and trl_min > trl_max:
        problems["trl_max"] = _("The highest TRL must be at least the lowest.")
    total, left = values.get("capacity_total"), values.get("capacity_left")
    if total and left is not None and left > total:
        problems["capacity_left"] = _("Capacity left cannot exceed the total capacity.")
    start, end = values.get("active_from"), values.get("active_until")
    if start and end and start > end:
        problems["active_until"] = _("The window must end after it starts.")
    product, instrument = values.get("product_type"), values.get("instrument")
    if product and instrument and PRODUCT_INSTRUMENT[product] != instrument:
        problems["product_type"] = _("This product type does not belong to the chosen instrument.")
    return problems
