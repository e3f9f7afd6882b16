"""A pytest plugin for `make mutate` only (`-p tests.mutmut_fast_first` in
`[tool.mutmut] pytest_add_cli_args`): the tests that reach a mutant run quickest first,
and property tests run the `mutate` Hypothesis profile's few examples.

mutmut runs a mutant's tests with `-x`, in no set order, so a mutant that a quick
hand-written test kills could wait behind a minute of property tests. The durations are
the ones mutmut measured in its traced run (`mutmut-stats.json`, in ./mutants, where it
runs the tests). pytest-django's own ordering (database tests by kind) still applies
after this one, so only the order within each kind changes.

A test's own `@settings(max_examples=150)` outranks any profile, so under the `mutate`
profile (HYPOTHESIS_PROFILE=mutate, set by matchmaker/devtools/mutate.py) each property
test's settings are narrowed to the profile's examples and phases: the engine's property
tests take about a second each instead of up to 26 s.
"""

import json
import os
from pathlib import Path

import pytest
from hypothesis import settings

STATS = Path("mutmut-stats.json")


def durations(stats: Path) -> dict[str, float]:
    try:
        return json.loads(stats.read_text())["duration_by_test"]
    except (OSError, ValueError, KeyError):
        return {}


def few_examples(test, profile: settings) -> None:
    """Narrow one @given test's own settings to the profile's examples and phases."""
    own = getattr(test, "_hypothesis_internal_use_settings", None)
    if own is None:
        return
    test._hypothesis_internal_use_settings = settings(
        own,
        max_examples=min(own.max_examples, profile.max_examples),
        phases=profile.phases,
        derandomize=True,
        database=None,
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    known = durations(STATS)
    if known:
        items.sort(key=lambda item: known.get(item.nodeid, 0.0))
    if os.environ.get("HYPOTHESIS_PROFILE") == "mutate":
        for item in items:
            few_examples(getattr(item, "function", None), settings.default)
