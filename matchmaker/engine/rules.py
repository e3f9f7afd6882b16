"""The programme's scoring policy in numbers, shared by the fast and the reference engine.

Each criterion is a number in [0, 1]; these constants say what earns what.
"""

# An offering that names no segments (stages) is a generalist: it fits, but less sharply
# than one whose thesis names the project's segment.
GENERALIST_SEGMENT = 0.6
FOCUS_STEP = 0.05  # each extra targeted segment blunts the thesis a little

# Without a stage list, how well each instrument suits each stage (concept … commercial):
# lenders want late stages, equity peaks around qualification, insurers around first flight.
STAGE_PREFERENCE = (
    (0.5, 0.7, 0.9, 1.0, 0.9, 0.8, 0.6),  # equity
    (0.1, 0.2, 0.35, 0.5, 0.7, 0.9, 1.0),  # credit
    (0.3, 0.4, 0.6, 0.8, 1.0, 0.9, 0.8),  # risk cover
)

TRL_FLOOR = 0.5  # a project at the bottom of an offering's TRL range

# Ticket: share of the need the offering can carry, on a log scale: all → 1, a tenth → 0.5,
# a hundredth or less → 0.
TICKET_LOG_SLOPE = 0.5

INSURANCE_POLICY_MONTHS = 12  # risk cover is written per policy year, not to break-even

# Risk for lenders and investors: the project's risk (exposures and immaturity) against
# the tolerance its appetite allows; beyond it, the fit falls twice as fast.
EXPOSURE_SHARE = 0.5
APPETITE_TOLERANCE = (0.35, 0.6, 0.85)  # low, medium, high
RISK_FALL = 2.0
UNLISTED_COVER = 0.5  # an insurer that lists no exposures, or a project that lists none

# Geography for offerings open everywhere: the programme's cluster priorities
# (songjiang, pudong, lingang, minhang, jiading, other Shanghai, elsewhere in China).
REGION_PRIORITY = (0.9, 0.8, 0.85, 0.75, 0.75, 0.7, 0.5)

MISSING_COLLATERAL = 0.2  # a loan that wants collateral the project does not have
