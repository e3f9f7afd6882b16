"""The programme's scoring policy in numbers, shared by the fast and the reference engine.

Each criterion is a number in [0, 1], graded by distance to the offering's sweet spot;
an offering is never rewarded for merely being narrower (naming segments, stages or
places is a screen, not a bonus). The step sizes and default weights are calibrated on
the public deals in `matchmaker/evaluation/` (`make calibrate`: a seeded random search on
two thirds of the deals), not tuned by hand to single deals; the README gives the
rationale and the sources.
"""

# Stage and TRL: what one step away from the sweet spot costs.
STAGE_STEP = 0.48
TRL_STEP = 0.18

# Ticket: the share of the need the offering can carry, on a log scale (all → 1, a tenth →
# 0.5, a hundredth or less → 0), blended with how close what it would put in is to its
# preferred ticket (a factor of ten away costs TICKET_SPOT_SLOPE).
TICKET_LOG_SLOPE = 0.5
TICKET_SPOT_SLOPE = 0.4
TICKET_SPOT_SHARE = 0.65

# Equity rounds: how well what a fund does fits the part the project seeks, as
# ROUND_ROLE_FIT[project seeks: lead, follow-on, either][fund: leads, leads or follows,
# follows only]. A follow-only fund cannot lead; a lead-only fund rarely takes a follow-on
# ticket. Lenders and insurers have no round role (1).
ROUND_ROLE_FIT = (
    (1.0, 0.8, 0.1),
    (0.6, 1.0, 1.0),
    (1.0, 1.0, 0.8),
)

INSURANCE_POLICY_MONTHS = 12  # risk cover is written per policy year, not to break-even

# Tenor, both ways (#25): a loan or fund horizon shorter than the project needs scores the
# ratio (as before); one far longer than it needs loses up to TENOR_EXCESS_SLOPE, as
# 1 - slope × (1 - needed / offered): policy and export-credit money with 10-15-year
# tenors is for long-cycle projects, a commercial bank's 3-5 years for earning operators.
# Calibrated (`make calibrate`); 0 is the old one-sided fit.
TENOR_EXCESS_SLOPE = 0.1

# Risk for lenders and investors: the project's risk against the tolerance its appetite
# allows; beyond it, the fit falls RISK_FALL times as fast. The project's risk (0–1) is a
# blend of its exposures, its immaturity (TRL), its flight record and its revenue: public
# deals show loans and insurance follow flight heritage and revenue.
RISK_SHARES = {"exposures": 0.3, "trl": 0.3, "flight": 0.25, "revenue": 0.15}
APPETITE_TOLERANCE = (0.35, 0.6, 0.85)  # low, medium, high
RISK_FALL = 2.0
# ... and both ways (#25): a project far safer than the appetite aims at loses
# APPETITE_UNDERUSE per unit of risk below the tolerance. Venture funds and private credit
# price for risk and go to earlier firms; a low-appetite commercial bank is the natural
# lender of a proven, earning operator. Calibrated; 0 is the old one-sided fit.
APPETITE_UNDERUSE = 0.0
UNLISTED_COVER = 0.5  # an insurer that lists no exposures, or a project that lists none

# Insurers want a demonstrated vehicle: how much of the cover fit a project keeps by its
# flight record (not flown, the firm's earlier products flew, first flight, proven).
DEMONSTRATED = (0.4, 0.6, 0.8, 1.0)

# Geography: the project's work happens in a place the offering asks for (or it asks for
# none) → 1; only the firm's registration is there → REGISTERED_ONLY.
REGISTERED_ONLY = 0.7

MISSING_COLLATERAL = 0.2  # a loan that wants collateral the project does not have

# A credit guarantee (a financing guarantee company's product) lends its standing to a bank
# loan against what the firm lacks: assets to pledge. Guarantors serve small technology
# firms without fixed assets to pledge, which banks would not lend to unsecured; a firm
# that has collateral a bank takes borrows from the bank directly and needs no guarantee
# (the US SBA guarantees only loans the firm cannot get on reasonable terms without it).
# Sources: README, "Scores that separate kinds of financier". The mirror of
# MISSING_COLLATERAL: a guarantee for a project that lists collateral keeps this much.
GUARANTEE_NOT_NEEDED = 0.2

# Syndicates (#25): a need larger than one financier's ticket is shared, as insurers share
# a launch in a panel. A financier is eligible when what it can carry (ticket, capacity,
# an insurer's line) is at least SYNDICATE_MIN_SHARE_PERCENT of the need; below that it
# would be a token participant, not a member worth an introduction. From LEAD_SHARE_PERCENT of the
# need up it can lead the round or arrange the loan (an equity fund that only follows
# never leads); a share in between makes it a participant, and a firm that seeks a lead
# ranks a participant-only equity fund as a follower (ROUND_ROLE_FIT's last column).
SYNDICATE_MIN_SHARE_PERCENT = 5
LEAD_SHARE_PERCENT = 20
