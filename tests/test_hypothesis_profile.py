"""Property tests run the same examples on every CI run and never lean on examples a
previous run saved."""

import os

from hypothesis import settings


def test_no_run_relies_on_the_example_database():
    assert settings.default.database is None


def test_ci_runs_a_fixed_derandomised_profile():
    on_ci = os.environ.get("CI") == "true" and "HYPOTHESIS_PROFILE" not in os.environ
    profile = settings.get_profile("ci")
    assert profile.derandomize and profile.database is None and profile.max_examples >= 300
    if on_ci:
        assert settings.default.derandomize
