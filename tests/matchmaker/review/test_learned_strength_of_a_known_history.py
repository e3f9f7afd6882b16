"""What a fixed decision history teaches, to the third decimal: the learned strength of
each criterion is a calibration the institution sees (in words on its offering and match
pages, and in every score of the offering), so a change of the regularisation, of the
bounds or of the rounding must be noticed, not slip through as "still within bounds"."""

import numpy as np

from matchmaker.review import learning
from matchmaker.vocabulary import Criterion

DECISIONS = 40  # evidence 40 / (40 + 20) = 2/3


def _history():
    """40 hand-built decisions, two of every five shortlisted; per criterion (in
    `Criterion` order) a value that goes with them in a known way."""
    decisions = np.array([1 if i % 5 in (0, 2) else 0 for i in range(DECISIONS)])
    values = np.array(
        [
            [
                (i * 7 % 10) / 10,  # segment: unrelated to the decisions
                0.2 + 0.4 * shortlisted + (i * 3 % 5) / 10,  # stage: goes with shortlisting
                (i * 3 % 4) / 4 + 0.2 * shortlisted,  # TRL: a little
                0.5,  # ticket: the same for every project, so it says nothing
                1.0 - shortlisted,  # tenor: every decline had it, no shortlist did
                (i * 11 % 7) / 7 - 0.1 * shortlisted,  # risk: a little against
                1.0 if i % 2 else 0.6,  # geography: unrelated
                (i * 5 % 9) / 9,  # collateral: unrelated
            ]
            for i, shortlisted in enumerate(decisions)
        ]
    )
    return values, decisions


def test_a_known_history_teaches_exactly_these_multipliers():
    """Tenor, perfectly against the decisions, would fall to ×0.236: it stops at the
    bound, 1/3. The others are the regression's own (C = 1), rounded to 3 decimals."""
    values, decisions = _history()
    assert learning.fit_multipliers(values, decisions) == {
        Criterion.SEGMENT: 0.958,
        Criterion.STAGE: 1.805,
        Criterion.TRL: 1.244,
        Criterion.TICKET: 1.0,
        Criterion.TENOR: round(1 / learning.MAX_MULTIPLIER, 3),
        Criterion.RISK: 0.84,
        Criterion.GEOGRAPHY: 0.947,
        Criterion.COLLATERAL: 1.048,
    }
