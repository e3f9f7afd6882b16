"""A pytest plugin for `make mutate` only (`-p tests.mutmut_fast_first` in
`[tool.mutmut] pytest_add_cli_args`): the tests that reach a mutant run quickest first.

mutmut runs a mutant's tests with `-x`, in no set order, so a mutant that a quick
hand-written test kills could wait behind a minute of property tests. The durations are
the ones mutmut measured in its traced run (`mutmut-stats.json`, in ./mutants, where it
runs the tests). pytest-django's own ordering (database tests by kind) still applies
after this one, so only the order within each kind changes.
"""

import json
from pathlib import Path

import pytest

STATS = Path("mutmut-stats.json")


def durations(stats: Path) -> dict[str, float]:
    try:
        return json.loads(stats.read_text())["duration_by_test"]
    except (OSError, ValueError, KeyError):
        return {}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    known = durations(STATS)
    if known:
        items.sort(key=lambda item: known.get(item.nodeid, 0.0))
