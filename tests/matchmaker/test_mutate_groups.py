"""`make mutate MUTANTS=<group>` mutates and tests the group's modules only."""

import sys
import tomllib

import mutmut.__main__
import mutmut.configuration
import pytest
from mutmut.utils.file_utils import walk_mutatable_files

from matchmaker.devtools import mutate


def _run_the_group_program(monkeypatch, name: str) -> list[str]:
    """Run the program a group's subprocess runs, with mutmut's `run` recorded, not run."""
    monkeypatch.chdir(mutate.ROOT)
    monkeypatch.setattr(mutmut.configuration, "_config", None)
    ran: list[str] = []
    monkeypatch.setattr(mutmut.__main__, "cli", ran.extend)
    command = mutate.group_command(name, "1")
    assert command[:2] == [sys.executable, "-c"]
    monkeypatch.setattr(sys, "argv", ["-c", *command[3:]])
    exec(command[2], {})  # the program a group runs, ours
    return ran


def test_a_group_generates_only_its_own_modules_mutants(monkeypatch):
    _run_the_group_program(monkeypatch, "learning")

    # what mutmut writes mutants for (and counts in its progress line): not all of
    # pyproject's only_mutate (2,538 mutants), only the group's two files
    assert sorted(str(path) for path in walk_mutatable_files()) == [
        "matchmaker/review/learning.py",
        "matchmaker/review/suggestions.py",
    ]


def test_a_group_tests_only_its_mutants_with_its_own_tests(monkeypatch):
    ran = _run_the_group_program(monkeypatch, "engine")

    assert ran == [
        "run",
        "--max-children",
        "1",
        "matchmaker.engine.criteria.*",
        "matchmaker.engine.syndicate.*",
    ]
    selection = mutmut.configuration.config().pytest_add_cli_args_test_selection
    assert selection == ["tests/matchmaker/engine"]


@pytest.mark.parametrize("name", list(mutate.GROUPS))
def test_every_group_mutates_files_that_exist_and_are_declared(name):
    declared = tomllib.loads((mutate.ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    for module in mutate.GROUPS[name][0]:
        assert (mutate.ROOT / mutate.path_of(module)).is_file()
        assert mutate.path_of(module) in declared["only_mutate"]


def test_a_groups_stale_copies_are_removed_before_it_runs(monkeypatch, tmp_path):
    # a file another group left unmutated in ./mutants, newer than its source, would be
    # taken by mutmut for already mutated: the group's mutants would all "survive"
    monkeypatch.setattr(mutate, "ROOT", tmp_path)
    copy = tmp_path / "mutants" / "matchmaker" / "money.py"
    copy.parent.mkdir(parents=True)
    copy.write_text("unmutated")

    mutate.forget_mutated_copies(["matchmaker.money", "matchmaker.engine.criteria"])

    assert not copy.exists()


def test_survivors_can_be_checked_again_by_name_alone(monkeypatch):
    monkeypatch.chdir(mutate.ROOT)
    monkeypatch.setattr(mutmut.configuration, "_config", None)
    ran: list[str] = []
    monkeypatch.setattr(mutmut.__main__, "cli", ran.extend)
    name = "matchmaker.review.learning.x_describe__mutmut_6"
    command = mutate.group_command("learning", "1", only=[name])
    monkeypatch.setattr(sys, "argv", ["-c", *command[3:]])
    exec(command[2], {})

    assert ran == ["run", "--max-children", "1", name]


def test_a_groups_share_counts_only_the_mutants_checked():
    results = "\n".join(
        [
            "    matchmaker.money.x_rmb__mutmut_1: killed",
            "    matchmaker.money.x_rmb__mutmut_2: survived",
            "    matchmaker.money.x_rmb__mutmut_3: not checked",
            "    matchmaker.money.x_rmb__mutmut_4: timeout",
        ]
    )
    assert mutate.tally(results)["matchmaker.money"] == {"killed": 1, "survived": 1, "timeout": 1}
