"""The columnar form every match write takes (`scoring.ScoredPairs`)."""

import json

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from matchmaker.matching.scoring import ScoredPairs

component_values = st.floats(min_value=0, max_value=100, allow_nan=False).map(
    lambda value: round(value, 4)
)


@given(st.lists(st.lists(component_values, min_size=8, max_size=8), max_size=30))
def test_components_are_written_as_the_json_of_their_values(rows):
    pairs = ScoredPairs(
        np.arange(len(rows), dtype=np.int64),
        np.zeros(len(rows), dtype=np.int64),
        np.zeros(len(rows)),
        np.array(rows, dtype=np.float64).reshape(len(rows), 8),
    )
    assert [json.loads(text) for text in pairs.components_json()] == rows


def test_unique_keeps_one_row_per_pair_in_pair_order():
    pairs = ScoredPairs(
        np.array([2, 1, 2, 1]),
        np.array([7, 9, 7, 3]),
        np.array([50.0, 60.0, 50.0, 70.0]),
        np.arange(32, dtype=np.float64).reshape(4, 8),
    )
    unique = pairs.unique()
    assert list(zip(unique.project_ids, unique.offering_ids, strict=True)) == [
        (1, 3),
        (1, 9),
        (2, 7),
    ]
    assert unique.scores.tolist() == [70.0, 60.0, 50.0]


def test_concat_and_slices_keep_columns_aligned():
    first = ScoredPairs(np.array([1]), np.array([2]), np.array([30.0]), np.full((1, 8), 0.5))
    both = ScoredPairs.concat(first, ScoredPairs.empty(), first)
    assert len(both) == 2
    assert both.slice(1, 2).components.tolist() == [[0.5] * 8]
