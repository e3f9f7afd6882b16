"""The engine's bitmask tables are sized by `engine/facts.py`; the codes come from
`vocabulary.py`. If the two disagree, scores would silently be wrong."""

from matchmaker.engine import facts
from matchmaker.matching import encoding
from matchmaker.vocabulary import Collateral, Criterion, Instrument, Segment, Stage


def test_engine_sizes_equal_the_vocabulary():
    assert encoding.engine_size_mismatches() == []
    assert (
        len(Segment),
        len(Stage),
        len(Instrument),
    ) == (facts.N_SEGMENTS, facts.N_STAGES, facts.N_INSTRUMENTS)
    assert len(Collateral) - 1 == facts.N_COLLATERAL  # "none" is the empty set
    assert tuple(Criterion.values) == facts.CRITERIA


def test_a_new_vocabulary_code_without_an_engine_size_is_reported(monkeypatch):
    monkeypatch.setattr(facts, "N_SEGMENTS", len(Segment) - 1)
    monkeypatch.setattr(facts, "CRITERIA", tuple(reversed(facts.CRITERIA)))
    problems = encoding.engine_size_mismatches()
    assert any("N_SEGMENTS" in problem for problem in problems)
    assert any("CRITERIA" in problem for problem in problems)


def test_every_bitmask_fits_its_integer_type():
    """The tables store sets of codes as int16 bitmasks: at most 15 codes per vocabulary."""
    for size in (facts.N_SEGMENTS, facts.N_STAGES, facts.N_REGIONS, facts.N_EXPOSURES):
        assert size <= 15
