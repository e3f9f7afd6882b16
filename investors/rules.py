"""The rules an offering must keep, written once for the web form and the API."""

from django.utils.translation import gettext_lazy as _

from matchmaker.vocabulary import PRODUCT_INSTRUMENT, Instrument, OfferingRole, rmb


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
    if total and ticket_min and 0 < total < ticket_min:
        problems["capacity_total"] = capacity_below_ticket(total, ticket_min)
    start, end = values.get("active_from"), values.get("active_until")
    if start and end and start > end:
        problems["active_until"] = _("The window must end after it starts.")
    product, instrument = values.get("product_type"), values.get("instrument")
    if product and instrument and PRODUCT_INSTRUMENT[product] != instrument:
        problems["product_type"] = _("This product type does not belong to the chosen instrument.")
    problems.update(sweet_spot_problems(values))
    line_share, role = values.get("line_share"), values.get("round_role")
    if line_share is not None and line_share != 100 and instrument != Instrument.RISK_COVER:
        problems["line_share"] = _("Only risk cover takes a share of a risk; leave 100 %.")
    if role and role != OfferingRole.FLEXIBLE and instrument != Instrument.EQUITY:
        problems["round_role"] = _(
            "Only equity leads or follows rounds; leave “Leads or co-invests”."
        )
    return problems


def capacity_below_ticket(capacity: int, ticket_min: int) -> str:
    """Said the same way by the form, the API and the service that publishes."""
    return _(
        "The capacity (%(capacity)s) is below the smallest ticket (%(ticket)s): no project "
        "could be financed. Raise the capacity or lower the smallest ticket."
    ) % {"capacity": rmb(capacity), "ticket": rmb(ticket_min)}


def sweet_spot_problems(values: dict) -> dict[str, str]:
    """A preferred TRL, ticket or stage lies inside what the offering accepts."""
    problems = {}
    trl, trl_min, trl_max = (values.get(k) for k in ("preferred_trl", "trl_min", "trl_max"))
    if trl and trl_min and trl_max and not trl_min <= trl <= trl_max:
        problems["preferred_trl"] = _("The preferred TRL must lie within the TRL range.")
    ticket = values.get("preferred_ticket")
    ticket_min, ticket_max = values.get("ticket_min"), values.get("ticket_max")
    if ticket and ticket_min and ticket_max and not ticket_min <= ticket <= ticket_max:
        problems["preferred_ticket"] = _(
            "The preferred ticket must lie between the smallest and the largest ticket."
        )
    stage, stages = values.get("preferred_stage"), values.get("stages")
    if stage and stages and stage not in stages:
        problems["preferred_stage"] = _("The preferred stage must be one of the stages targeted.")
    return problems
