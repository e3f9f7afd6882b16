"""`make mutate MUTANTS=<group>` mutates and tests the group's modules only."""

import os
import re
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

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


def test_a_mutants_copy_of_the_test_database_holds_what_its_log_holds(tmp_path):
    template = tmp_path / "test-db.sqlite3"
    writer = sqlite3.connect(template)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")  # the row stays in the log only
    writer.execute("CREATE TABLE t (x INTEGER)")
    writer.execute("INSERT INTO t VALUES (42)")
    writer.commit()

    copy = mutate.copy_test_database(str(template), 4242)

    assert copy == f"{template}.4242"
    assert sqlite3.connect(copy).execute("SELECT x FROM t").fetchall() == [(42,)]
    writer.close()


@pytest.mark.django_db
def test_the_test_database_answers():
    """Run by the test below in a mutant's process; on its own, a plain database test."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations")
        assert cursor.fetchone()[0] > 0
    print(f"DATABASE {connection.settings_dict['NAME']}")


def test_a_mutants_tests_run_on_their_own_copy_of_the_test_database(tmp_path):
    """`make mutate` forks a process per mutant: its tests use a copy of the test
    database (tests/conftest.py), which goes when they end."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env |= {
        "VAR_DIR": str(tmp_path),  # no test database there yet: it is made, then copied
        "MUTATE_OWN_DATABASE": "1",
        "MUTANT_UNDER_TEST": "matchmaker.money.x_probe__mutmut_1",
    }
    probe = f"{Path(__file__).relative_to(mutate.ROOT)}::test_the_test_database_answers"
    command = [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", probe]

    ran = subprocess.run(
        command, cwd=mutate.ROOT, env=env, capture_output=True, text=True, timeout=600
    )

    assert ran.returncode == 0, ran.stdout + ran.stderr
    used = re.search(r"^DATABASE (\S+)$", ran.stdout, re.MULTILINE)[1]
    assert re.fullmatch(re.escape(str(tmp_path / "test-db.sqlite3")) + r"\.\d+", used)
    assert (tmp_path / "test-db.sqlite3").is_file()
    assert not list(tmp_path.glob("test-db.sqlite3.*"))  # the copy is gone


def test_each_group_traces_which_tests_reach_its_functions_afresh(monkeypatch, tmp_path):
    # `programme` and `entitlements` select the same tests: the second used to reuse the
    # first's record, made before its own file was mutated, and found "no tests" for all
    monkeypatch.setattr(mutate, "ROOT", tmp_path)
    stats = tmp_path / "mutants" / "mutmut-stats.json"
    stats.parent.mkdir(parents=True)
    stats.write_text("{}")
    ran = []
    monkeypatch.setattr(mutate.subprocess, "run", lambda *a, **k: ran.append(stats.exists()))
    monkeypatch.setattr(mutate, "results_of", lambda modules: "")

    mutate.main(["programme", "entitlements"])

    assert ran == [False, False]
