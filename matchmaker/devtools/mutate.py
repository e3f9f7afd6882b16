"""`make mutate`: mutation testing (mutmut) on the modules where a wrong line costs most,
then one line per module with the share of mutants the suite killed, and every survivor.

mutmut copies the project into ./mutants, puts every mutant of the modules named in
`[tool.mutmut] only_mutate` (pyproject.toml) behind a switch, and runs for each mutant
only the tests that reach its function (it learns which from one traced run of the
selected tests, its "stats"). A mutant is *killed* when a test fails (or times out: an
endless loop is caught too); it *survives* when every test passes; "no tests" means no
test reaches it at all and counts as surviving here.

To stay well under an hour on a small machine, the modules are measured in GROUPS: each
group's traced run collects only the test directories that exercise it (no browser or
worker-process tests), so a group costs one pass of its own tests plus, per mutant, the
few tests that reach the mutated function. mutmut resets its cached verdicts when the
test selection changes, so each group's results are read right after its run. Mutants
are tested one per core at once (MUTATE_CHILDREN, by default the machine's cores), each
process on its own copy of the test database (`copy_test_database`, tests/conftest.py).

    make mutate                                  # every group, one after the other
    make mutate MUTANTS=programme                # one group (see GROUPS)
    make mutate MUTANTS=programme MUTATE_CHILDREN=1
    make mutate MUTANTS=learning MUTATE_ONLY="matchmaker.review.learning.x_describe__mutmut_6 …"

A group's share counts the mutants checked (a run cut short, or MUTATE_ONLY after a group's
test selection changed, leaves the others "not checked"; mutmut also resets every verdict
when `pytest_add_cli_args` or the test selection changes).

Not part of `make test`: it is a measurement of the tests, not a test.
"""

from __future__ import annotations

import os
import re
import resource
import sqlite3
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MUTMUT = [sys.executable, "-m", "mutmut"]
KILLED = {"killed", "timeout"}
LINE = re.compile(r"^\s*(?P<name>[\w.]+)__mutmut_\d+: (?P<status>.+)$")

# group → (the modules it mutates, the tests its traced run collects). Every module
# here is also in `[tool.mutmut] only_mutate`.
GROUPS: dict[str, tuple[list[str], list[str]]] = {
    "programme": (
        ["matchmaker.programme.ledger", "matchmaker.programme.rules"],
        ["tests/matchmaker/programme", "tests/api/test_programme_api.py"],
    ),
    # entitlements computed and paid, objections, claims: the services over the ledger
    "entitlements": (
        ["matchmaker.programme.services"],
        ["tests/matchmaker/programme", "tests/api/test_programme_api.py"],
    ),
    "review": (
        ["matchmaker.review.services", "matchmaker.review.introductions"],
        [
            "tests/matchmaker/review",
            "tests/api/test_matches_and_introductions_api.py",
        ],
    ),
    "runs": (
        ["matchmaker.matching.runs", "matchmaker.matching.outbox"],
        [
            "tests/matchmaker/matching",
            "tests/matchmaker/operator/test_scoring_runs.py",
            "--ignore=tests/matchmaker/matching/test_worker.py",
        ],
    ),
    # the engine's rules: the vectorised criteria every score comes from, and the syndicate
    # share rule both engines call (rules.py holds constants only: mutmut mutates code in
    # functions). Not reference.py, the oracle criteria is checked against: README.
    "engine": (
        ["matchmaker.engine.criteria", "matchmaker.engine.syndicate"],
        ["tests/matchmaker/engine"],
    ),
    "learning": (
        ["matchmaker.review.learning", "matchmaker.review.suggestions"],
        ["tests/matchmaker/review"],
    ),
    "money": (["matchmaker.money"], ["tests/matchmaker/test_formats.py"]),
}


def module_of(mutant: str) -> str:
    """`matchmaker.money.x_rmb__mutmut_3` → `matchmaker.money` (methods: `…ǁClassǁ…`)."""
    head = mutant.split("ǁ")[0]
    return head.rsplit(".", 1)[0] if ".x_" in head else head


def tally(results: str) -> dict[str, Counter]:
    per_module: dict[str, Counter] = defaultdict(Counter)
    for line in results.splitlines():
        found = LINE.match(line)
        if found and found["status"].strip() != "not checked":
            per_module[module_of(found["name"])][found["status"].strip()] += 1
    return per_module


def report(per_module: dict[str, Counter], survivors: list[str]) -> str:
    lines = ["module | mutants | killed | share", "--- | --- | --- | ---"]
    for module, counts in sorted(per_module.items()):
        total = sum(counts.values())
        killed = sum(counts[s] for s in KILLED)
        lines.append(f"{module} | {total} | {killed} | {killed / total:.0%}")
    lines += ["", "Survivors (mutmut show NAME):", *survivors]
    return "\n".join(lines)


# Runs in its own interpreter, which must not import `matchmaker` (the tests must import
# the mutated copy under ./mutants): mutmut with this group's test selection, and with
# `only_mutate` narrowed to the group's files. The names given to `mutmut run` only choose
# which of the generated mutants are tested; what is generated (and what its progress line
# counts: every module of pyproject's `only_mutate`, 2,538 mutants) is `only_mutate`.
RUN_GROUP = """
import sys
from mutmut.__main__ import cli
from mutmut.configuration import config
children, rest = sys.argv[1], " ".join(sys.argv[2:])
tests, files, patterns = (part.split() for part in rest.split(" -- "))
config().pytest_add_cli_args_test_selection = tests
config().only_mutate = files
cli(["run", "--max-children", children, *patterns])
"""


def path_of(module: str) -> str:
    """`matchmaker.review.learning` → `matchmaker/review/learning.py`."""
    return module.replace(".", "/") + ".py"


def group_command(name: str, children: str, only: list[str] | None = None) -> list[str]:
    """The command that measures one group: its tests, its files, its mutants' names
    (`only` some of them: survivors re-checked after a test was added)."""
    modules, tests = GROUPS[name]
    files = [path_of(module) for module in modules]
    patterns = only or [f"{module}.*" for module in modules]
    return [sys.executable, "-c", RUN_GROUP, children, *tests, "--", *files, "--", *patterns]


def forget_mutated_copies(modules: list[str]) -> None:
    """Remove the group's files from ./mutants, so mutmut writes their mutants afresh.

    A file left out of a group's `only_mutate` is copied into ./mutants unmutated, newer
    than its source, which mutmut takes for "mutated and unchanged since": the next group
    that mutates it would then test mutants that are not there, and find them all alive.
    """
    for module in modules:
        (ROOT / "mutants" / path_of(module)).unlink(missing_ok=True)


def forget_traced_tests() -> None:
    """Remove mutmut's record of which tests reach which function (its "stats"), so the
    group's traced run is made afresh.

    mutmut re-traces only when the test selection changes. Two groups with one selection
    (`programme` and `entitlements`) would otherwise share the first one's record, made
    while the second's files were not mutated, so none of its functions would be reached
    by any test: every one of its mutants "no tests".
    """
    (ROOT / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)


def copy_test_database(template: str, pid: int) -> str:
    """A private copy of the (SQLite) test database for one mutant's process, made with
    SQLite's backup, which also takes what the write-ahead log holds. Returns its path."""
    copy = f"{template}.{pid}"
    with sqlite3.connect(template) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    source.close()
    target.close()
    return copy


def results_of(modules: list[str]) -> str:
    out = subprocess.run(
        [*MUTMUT, "results", "--all", "true"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return "\n".join(
        line
        for line in out.splitlines()
        if (found := LINE.match(line)) and module_of(found["name"]) in modules
    )


def survivors_in(results: str) -> list[str]:
    return [
        line.strip()
        for line in results.splitlines()
        if line.strip().endswith((": survived", ": no tests"))
    ]


def cpu_seconds() -> float:
    """CPU used so far by the groups' processes and the tests they ran (user + system):
    on a machine shared with other work the wall time says little, and one mutant at a
    time on a quiet machine takes about its CPU time."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def main(names: list[str]) -> int:
    names = names or list(GROUPS)
    unknown = [n for n in names if n not in GROUPS]
    if unknown:
        print(f"unknown group(s) {unknown}; the groups are {list(GROUPS)}")
        return 2
    children = os.environ.get("MUTATE_CHILDREN", str(os.cpu_count() or 1))
    only = os.environ.get("MUTATE_ONLY", "").split() or None
    # tests/conftest.py: the few examples of the `mutate` profile, and a copy of the test
    # database for each mutant's process (so children never share one)
    env = {**os.environ, "HYPOTHESIS_PROFILE": "mutate", "MUTATE_OWN_DATABASE": "1"}
    collected = []
    for name in names:
        modules = GROUPS[name][0]
        forget_mutated_copies(modules)  # MUTATE_ONLY too: another group may have run since
        forget_traced_tests()
        started, cpu = time.monotonic(), cpu_seconds()
        subprocess.run(group_command(name, children, only), cwd=ROOT, env=env, check=False)
        minutes = (time.monotonic() - started) / 60
        cpu_minutes = (cpu_seconds() - cpu) / 60
        print(f"\ngroup {name}: {minutes:.1f} minutes, {cpu_minutes:.1f} of CPU", flush=True)
        collected.append(results_of(modules))
        print(report(tally(collected[-1]), survivors_in(collected[-1])), flush=True)
    results = "\n".join(collected)
    print(report(tally(results), survivors_in(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
