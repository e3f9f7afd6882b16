"""Capital stacks: which eligible offerings, together, cover a project's needs.

A package picks at most one offering per institution and an amount for each member within
its [ticket_min, min(ticket_max, capacity_left)], so that per instrument the amounts never
exceed the need. When the project carries launch or in-orbit exposure and some candidate
insurer covers it, the package must include one such insurer: that cover is what makes
the loans possible. Packages rank by coverage, then summed weighted score, then fewest
institutions; a package's score is its members' scores weighted by the share of the need
each carries.

Exact: a mixed-integer programme (scipy's HiGHS) over the best candidates per instrument,
solved lexicographically (coverage first, then score and size). Candidates are cut to the
best `per_instrument` by score plus the best `per_instrument` by amount they can carry, a
bound measured in `make bench`; past the solver's time limit the greedy rule below answers.
"""

import time
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from . import syndicate
from .facts import N_INSTRUMENTS, RISK_COVER

SIZE_PENALTY = 1e-3  # per member: among equal coverage and score, fewer institutions


@dataclass(frozen=True)
class Candidate:
    key: int  # the caller's id for this offering (a match id)
    institution: int  # any hashable id mapped to an int by the caller
    instrument: int
    ticket_min: int
    carry: int  # most it can put in: min(ticket_max, capacity_left), an insurer's line of it
    score: float  # 0–100
    covers_critical: bool = False  # an insurer covering launch / in-orbit failure
    can_lead: bool = True  # False: an equity fund that only follows another's lead


@dataclass
class Package:
    members: list[tuple[Candidate, int]]  # (candidate, amount)
    coverage: list[float]  # per instrument, 0–1 (1 where nothing is needed)
    uncovered: list[int]
    score: float
    exact: bool = True
    notes: list[str] = field(default_factory=list)

    @property
    def mean_coverage(self) -> float:
        return float(np.mean(self.coverage))

    def sort_key(self):
        return (-round(self.mean_coverage, 9), -round(self.score, 6), len(self.members))


def shortlist(
    candidates: list[Candidate], needs: list[int], per_instrument: int
) -> list[Candidate]:
    """The best candidates per instrument by score and by amount, plus every critical insurer
    among the best by score; a project's package is almost always built from these."""
    chosen: dict[int, Candidate] = {}
    for instrument in range(N_INSTRUMENTS):
        pool = [c for c in candidates if c.instrument == instrument and needs[instrument] > 0]
        need = needs[instrument]
        pool = [c for c in pool if c.ticket_min <= need]
        for ranking in (lambda c: -c.score, lambda c, need=need: -min(c.carry, need)):
            for candidate in sorted(pool, key=ranking)[:per_instrument]:
                chosen[candidate.key] = candidate
        critical = sorted((c for c in pool if c.covers_critical), key=lambda c: -c.score)
        for candidate in critical[:per_instrument]:
            chosen[candidate.key] = candidate
    return list(chosen.values())


def can_lead(candidate: Candidate, need: int) -> bool:
    """A syndicate's possible lead: it may lead and can take the lead share of the need."""
    amount = min(candidate.carry, need)
    return candidate.can_lead and not syndicate.below_lead(amount, need)


def lead_required(candidates: list[Candidate], needs: list[int], wanted) -> list[int]:
    """The instruments whose package must hold a member able to lead: those the firm asks
    a lead for (`wanted`), where a candidate able to lead exists."""
    return [
        i
        for i in range(N_INSTRUMENTS)
        if wanted[i]
        and needs[i] > 0
        and any(c.instrument == i and can_lead(c, needs[i]) for c in candidates)
    ]


def syndicate_roles(package: Package, needs: list[int]) -> dict[int, str]:
    """Each member's part, by candidate key: the whole need (sole), the lead (the largest
    member able to lead: lead investor, arranger, lead underwriter) or a participant."""
    roles = {}
    for i in range(N_INSTRUMENTS):
        members = sorted(
            (m for m in package.members if m[0].instrument == i), key=lambda m: (-m[1], m[0].key)
        )
        lead = next((c.key for c, amount in members if can_lead(c, needs[i])), None)
        for c, amount in members:
            if len(members) == 1 and amount >= needs[i] and c.can_lead:
                roles[c.key] = syndicate.SOLE
            else:
                roles[c.key] = syndicate.LEAD if c.key == lead else syndicate.PARTICIPANT
    return roles


def _solve(candidates, needs, require_critical, exclusions, time_limit, leads=()) -> Package | None:
    """One MILP, two lexicographic stages. Per candidate: x (selected, 0/1) and s (its
    amount as a share of its instrument's need, so every coefficient is of order one)."""
    n = len(candidates)
    if n == 0:
        return None
    needed = [i for i in range(N_INSTRUMENTS) if needs[i] > 0]
    share_max = np.array(
        [min(c.carry, needs[c.instrument]) / needs[c.instrument] for c in candidates]
    )
    share_min = np.array([c.ticket_min / needs[c.instrument] for c in candidates])
    rows, lower, upper = [], [], []

    def add(columns, values, low, high):
        row = np.zeros(2 * n)
        row[columns] = values
        rows.append(row)
        lower.append(low)
        upper.append(high)

    for j in range(n):  # share_min x ≤ s ≤ share_max x
        add([n + j, j], [1.0, -share_max[j]], -np.inf, 0.0)
        add([n + j, j], [1.0, -share_min[j]], 0.0, np.inf)
    for institution in {c.institution for c in candidates}:  # one offering per institution
        add(
            [j for j, c in enumerate(candidates) if c.institution == institution], 1.0, -np.inf, 1.0
        )
    for i in needed:  # never more than the need
        add([n + j for j, c in enumerate(candidates) if c.instrument == i], 1.0, -np.inf, 1.0)
    if require_critical:
        add([j for j, c in enumerate(candidates) if c.covers_critical], 1.0, 1.0, np.inf)
    for i in leads:  # a syndicate the firm wants led holds a member able to lead it
        add(
            [j for j, c in enumerate(candidates) if c.instrument == i and can_lead(c, needs[i])],
            1.0,
            1.0,
            np.inf,
        )
    for excluded in exclusions:  # a real alternative to each earlier package
        members = [j for j, c in enumerate(candidates) if c.key in excluded]
        add(members, 1.0, -np.inf, float(shared_at_most(len(excluded))))
    constraints = [LinearConstraint(np.array(rows), lower, upper)]
    integrality = np.r_[np.ones(n), np.zeros(n)]
    bounds = Bounds(np.zeros(2 * n), np.r_[np.ones(n), share_max])
    options = {"time_limit": time_limit}

    coverage = np.r_[np.zeros(n), np.full(n, 1.0 / len(needed))]  # mean share of the needs
    first = milp(
        -coverage, constraints=constraints, integrality=integrality, bounds=bounds, options=options
    )
    if first.x is None:
        return None
    keep_coverage = LinearConstraint(coverage, coverage @ first.x - 1e-6, np.inf)
    scores = np.array([c.score for c in candidates])
    value = np.r_[np.full(n, -SIZE_PENALTY), scores / len(needed)]
    second = milp(
        -value,
        constraints=[*constraints, keep_coverage],
        integrality=integrality,
        bounds=bounds,
        options=options,
    )
    solution = second.x if second.x is not None else first.x
    exact = first.status == 0 and second.status == 0
    chosen = [j for j in range(n) if solution[j] > 0.5]
    return _package([(candidates[j], solution[n + j]) for j in chosen], needs, exact)


def shared_at_most(size: int) -> int:
    """How many members of an earlier package of `size` a later one may keep: at most
    half of them, and at least two must differ (swapping one insurer of an otherwise
    identical stack is not a choice worth showing)."""
    return min(size // 2, max(size - 2, 0))


def _package(shares, needs, exact: bool) -> Package | None:
    """Whole-RMB amounts from shares, kept inside each ticket range and under each need."""
    members = []
    for c, share in shares:
        amount = int(np.rint(share * needs[c.instrument]))
        members.append([c, min(min(c.carry, needs[c.instrument]), max(c.ticket_min, amount))])
    for i in range(N_INSTRUMENTS):
        excess = sum(a for c, a in members if c.instrument == i) - needs[i]
        for member in sorted((m for m in members if m[0].instrument == i), key=lambda m: -m[1]):
            if excess <= 0:
                break
            cut = min(excess, member[1] - member[0].ticket_min)
            member[1] -= cut
            excess -= cut
    members = [(c, a) for c, a in members if a > 0]
    return _summarise(members, needs, exact) if members else None


def _summarise(members, needs, exact: bool) -> Package:
    raised = [
        sum(amount for c, amount in members if c.instrument == i) for i in range(N_INSTRUMENTS)
    ]
    coverage = [min(1.0, raised[i] / needs[i]) if needs[i] else 1.0 for i in range(N_INSTRUMENTS)]
    uncovered = [max(0, needs[i] - raised[i]) for i in range(N_INSTRUMENTS)]
    return Package(members, coverage, uncovered, weighted_score(members, needs), exact)


def weighted_score(members, needs) -> float:
    """Each member's score weighted by the share of its instrument's need it carries,
    averaged over the instruments sought: 0–100, like a match score."""
    needed = [i for i in range(N_INSTRUMENTS) if needs[i] > 0]
    total = sum(c.score * amount / needs[c.instrument] for c, amount in members)
    return total / max(len(needed), 1)


def greedy(candidates: list[Candidate], needs: list[int], require_critical: bool) -> Package | None:
    """Fallback: best score first, an insurer first where required, each member putting in
    as much as still fits (within its ticket range), one offering per institution."""
    order = sorted(
        candidates, key=lambda c: (not (require_critical and c.covers_critical), -c.score)
    )
    left, used, members = list(needs), set(), []
    for c in order:
        amount = min(c.carry, left[c.instrument])
        if c.institution in used or amount < max(c.ticket_min, 1):
            continue
        members.append((c, amount))
        used.add(c.institution)
        left[c.instrument] -= amount
        require_critical = require_critical and not c.covers_critical
    return _summarise(members, needs, exact=False) if members else None


def build_packages(
    candidates: list[Candidate],
    needs: list[int],
    needs_critical_cover: bool,
    count: int = 3,
    per_instrument: int = 12,
    time_limit: float = 0.5,
    wants_lead=(False,) * N_INSTRUMENTS,
    budget: float | None = None,
) -> list[Package]:
    """Up to `count` packages, best first, each a real alternative to the others (see
    `shared_at_most`). Where one insurer's line cannot cover a risk, several insurers
    share it in one package: a panel, each within its line (`Candidate.carry`). Where one
    ticket cannot carry a need, several financiers share it the same way: a syndicate,
    which holds a member able to lead it for each instrument in `wants_lead` (a firm that
    seeks a lead investor); `syndicate_roles` names each member's part.

    `budget`: seconds for all the solves together (each still within `time_limit`), so
    that one project's packages are ready within it whatever the solver meets: once it
    is spent, the packages found so far are the answer (the greedy one if none yet)."""
    deadline = None if budget is None else time.monotonic() + budget
    pool = shortlist(candidates, needs, per_instrument)
    require_critical = (
        needs_critical_cover and needs[RISK_COVER] > 0 and any(c.covers_critical for c in pool)
    )
    leads = lead_required(pool, needs, wants_lead)
    packages, exclusions = [], []
    for _ in range(count):
        limit = time_limit if deadline is None else min(time_limit, deadline - time.monotonic())
        package = None
        if limit > 0:
            package = _solve(pool, needs, require_critical, exclusions, limit, leads)
        elif packages:
            break
        if package is None and not packages:
            package = greedy(pool, needs, require_critical)
        if package is None:
            break
        packages.append(package)
        exclusions.append({c.key for c, _ in package.members})
    return sorted(packages, key=Package.sort_key)
