"""`make mutate` runs the tests that reach a mutant quickest first."""

import json
from types import SimpleNamespace

from tests import mutmut_fast_first


def test_the_quickest_tests_run_first_and_unmeasured_ones_before_slow_ones(monkeypatch, tmp_path):
    stats = tmp_path / "mutmut-stats.json"
    stats.write_text(json.dumps({"duration_by_test": {"slow": 30.0, "quick": 0.1, "mid": 2.0}}))
    monkeypatch.setattr(mutmut_fast_first, "STATS", stats)
    items = [SimpleNamespace(nodeid=name) for name in ("slow", "mid", "new", "quick")]

    mutmut_fast_first.pytest_collection_modifyitems(items)

    assert [item.nodeid for item in items] == ["new", "quick", "mid", "slow"]


def test_without_measured_durations_the_order_is_left_alone(monkeypatch, tmp_path):
    monkeypatch.setattr(mutmut_fast_first, "STATS", tmp_path / "absent.json")
    items = [SimpleNamespace(nodeid=name) for name in ("b", "a")]

    mutmut_fast_first.pytest_collection_modifyitems(items)

    assert [item.nodeid for item in items] == ["b", "a"]
