"""`make mutate`: mutation testing (mutmut) on the modules where a wrong line costs most,
then one line per module with the share of mutants the suite killed, and every survivor.

mutmut copies the project into ./mutants, puts every mutant of the modules named in
`[tool.mutmut] only_mutate` (pyproject.toml) behind a switch, and runs for each mutant
only the tests that reach its function. A mutant is *killed* when a test fails (or times
out: an endless loop is caught too); it *survives* when every test passes; "no tests"
means no test reaches it at all and counts as surviving here.

    make mutate                               # every listed module (about an hour)
    make mutate MUTANTS='matchmaker.money.*'  # one module, minutes

Not part of `make test`: it is a measurement of the tests, not a test.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MUTMUT = [sys.executable, "-m", "mutmut"]
KILLED = {"killed", "timeout"}
LINE = re.compile(r"^\s*(?P<name>[\w.]+)__mutmut_\d+: (?P<status>.+)$")


def module_of(mutant: str) -> str:
    """`matchmaker.money.x_rmb__mutmut_3` → `matchmaker.money` (methods: `…ǁClassǁ…`)."""
    head = mutant.split("ǁ")[0]
    return head.rsplit(".", 1)[0] if ".x_" in head else head


def tally(results: str) -> dict[str, Counter]:
    per_module: dict[str, Counter] = defaultdict(Counter)
    for line in results.splitlines():
        found = LINE.match(line)
        if found:
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


def main(patterns: list[str]) -> int:
    subprocess.run([*MUTMUT, "run", *patterns], cwd=ROOT, check=False)
    results = subprocess.run(
        [*MUTMUT, "results", "--all", "true"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    survivors = [
        line.strip()
        for line in results.splitlines()
        if line.strip().endswith((": survived", ": no tests"))
    ]
    print(report(tally(results), survivors))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
