"""Each side's best k, found fast (`blocks.top_k_by_group`, `OfferingCandidates`), is what
a plain sort per group would keep, ties included."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.engine.blocks import (
    PREFILTER_FROM,
    OfferingCandidates,
    top_k_by_group,
    within_kth_bin,
)

# Scores closer than this are ties to the sort key (group × 256 + score, in float64).
TIE = 1e-6
# Few distinct scores, so ties at the k-th place are common.
scores = st.sampled_from([0.0, 0.5, 12.5, 50.0, 50.0, 63.9, 64.0, 99.99, 100.0]) | st.floats(0, 100)
entries = st.lists(st.tuples(st.integers(0, 6), scores), max_size=80)


def kth_best_by_group(groups, values, k):
    kth = {}
    for group in set(groups.tolist()):
        ranked = sorted(values[groups == group], reverse=True)
        kth[group] = ranked[min(k, len(ranked)) - 1]
    return kth


def assert_each_groups_best_k(groups, values, kept, k):
    kth = kth_best_by_group(groups, values, k)
    for group, bar in kth.items():
        mine = values[kept][groups[kept] == group]
        assert len(mine) == min(k, int((groups == group).sum()))
        assert mine.min() >= bar - TIE


@settings(max_examples=300, deadline=None)
@given(entries, st.integers(1, 5))
def test_the_kth_bin_holds_every_entry_that_can_be_among_the_best_k(rows, k):
    if not rows:
        return
    groups = np.array([group for group, _ in rows])
    values = np.array([value for _, value in rows])
    kept = set(within_kth_bin(groups, values, k).tolist())
    for group, bar in kth_best_by_group(groups, values, k).items():
        better_or_tied = np.flatnonzero((groups == group) & (values >= bar))
        assert set(better_or_tied.tolist()) <= kept


@settings(max_examples=300, deadline=None)
@given(entries, st.integers(1, 5))
def test_top_k_keeps_each_groups_best_k_on_small_inputs(rows, k):
    groups = np.array([group for group, _ in rows], dtype=np.int64)
    values = np.array([value for _, value in rows], dtype=np.float64)
    assert_each_groups_best_k(groups, values, top_k_by_group(groups, values, k), k)


def test_top_k_keeps_each_groups_best_k_when_the_histogram_cuts_first():
    rng = np.random.default_rng(7)
    size = 3 * PREFILTER_FROM
    groups = rng.integers(0, 400, size)
    values = np.round(rng.uniform(0, 100, size), 1)  # many ties
    assert_each_groups_best_k(groups, values, top_k_by_group(groups, values, 50), 50)


@settings(max_examples=200, deadline=None)
@given(st.lists(entries, min_size=1, max_size=6), st.integers(1, 4), st.integers(0, 3))
def test_offering_candidates_across_blocks_keep_each_offerings_best_k(blocks, k, slack):
    import matchmaker.engine.blocks as module

    original, module.CANDIDATE_SLACK = module.CANDIDATE_SLACK, slack
    try:
        candidates = OfferingCandidates(7, k)
        all_rows, all_columns, all_values, start = [], [], [], 0
        for block in blocks:
            columns = np.array([column for column, _ in block], dtype=np.int64)
            values = np.array([value for _, value in block], dtype=np.float64)
            rows = np.arange(start, start + len(block), dtype=np.int64)
            start += len(block)
            candidates.add(rows, columns, values)
            all_rows.append(rows), all_columns.append(columns), all_values.append(values)
        kept_rows, kept_columns = candidates.best()
    finally:
        module.CANDIDATE_SLACK = original
    columns, values = np.concatenate(all_columns), np.concatenate(all_values)
    assert (columns[kept_rows] == kept_columns).all()
    assert_each_groups_best_k(columns, values, kept_rows, k)
