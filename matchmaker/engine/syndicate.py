"""Syndicates: the share of a need one financier can take, and the part that gives it.

A need larger than any one ticket is shared (a lead and co-investors, an arranger and
participating banks, a lead underwriter and a panel). These functions decide, from what an
offering can carry, whether its share is meaningful (a hard rule: `rules.
SYNDICATE_MIN_SHARE_PERCENT`) and which role that share gives it (`role`). Kept apart from
the other criteria so the rule can be read, and changed, in one place; `criteria.py`
(arrays), `reference.py` (one pair) and `blocks.py` (tables) all call it.
"""

import numpy as np

from . import rules
from .facts import CREDIT, EQUITY, RISK_COVER

# What a share makes a financier, for the words and the packages.
SOLE, LEAD, PARTICIPANT = "sole", "lead", "participant"
FOLLOW_ONLY = 2  # the offering role index of a fund that only follows (facts: N_OFFERING_ROLES)


def line_ok(line_share):
    """An insurer whose line is below the minimum share never joins a panel (a line share
    or an array of them; the tolerance keeps a line of exactly the minimum, which a float
    may hold a hair below it, on the right side)."""
    return line_share * 100 >= rules.SYNDICATE_MIN_SHARE_PERCENT - 1e-9


def share_ok(need: int, most: int, line_share: float, instrument: int) -> bool:
    """The hard rule, for one pair: what the offering can carry (its ticket and capacity,
    `most`) is a meaningful share of the need. Integer arithmetic, exact."""
    if instrument == RISK_COVER and not line_ok(line_share):
        return False
    return 100 * most >= rules.SYNDICATE_MIN_SHARE_PERCENT * need


def largest_need(most: np.ndarray, line_share: np.ndarray, instrument: np.ndarray) -> np.ndarray:
    """Per offering, the largest need it may join: the same rule as `share_ok`, tabulated
    once so a pair costs one comparison. `most` is int64 (the offerings' ticket and
    capacity), and so is the result; -1 for an insurer whose line is too small to join any
    panel."""
    largest = (100 * most) // rules.SYNDICATE_MIN_SHARE_PERCENT
    too_small = (instrument == RISK_COVER) & ~line_ok(line_share)
    return np.where(too_small, -1, largest)


def below_lead(amount, need):
    """What the offering puts in is less than the lead share of the need (integers, exact;
    arrays or scalars)."""
    return 100 * amount < rules.LEAD_SHARE_PERCENT * need


def largest_led(most: np.ndarray) -> np.ndarray:
    """Per offering, the largest need of which it can still take the lead share (int64):
    `below_lead` tabulated, so a pair costs one comparison (`most` int64, as the result)."""
    return (100 * most) // rules.LEAD_SHARE_PERCENT


def effective_role(amount, need, offering_role, instrument):
    """The offering's role for this pair: an equity fund or a lender that can put in less
    than the lead share of the need can only follow (join a round, participate in a loan),
    whatever it does elsewhere."""
    follower = ((instrument == EQUITY) | (instrument == CREDIT)) & below_lead(amount, need)
    return np.where(follower, FOLLOW_ONLY, offering_role)


def role(amount: int, need: int, offering_role: int, instrument: int) -> str:
    """Sole financier, lead (lead investor, arranger, lead underwriter) or participant."""
    if instrument == EQUITY and offering_role == FOLLOW_ONLY:
        return PARTICIPANT
    if amount >= need:
        return SOLE
    return PARTICIPANT if below_lead(amount, need) else LEAD
