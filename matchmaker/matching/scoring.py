"""Scoring against the database: load and encode, call the engine, write matches.

With `encoding.py` and `stacks.py`, one of the adapter modules between the ORM and
`matchmaker.engine` (the only ones that import it). Re-scoring is an
idempotent upsert stamped with the time it started: rows of the scope that the run did
not keep are deleted when nobody acted on them, and flagged ineligible otherwise. One
project's or offering's re-score marks the rows it keeps (`Match.kept_at`); a full
re-score writes only the rows that changed and lists the pairs it kept (`KeptPair`).
A row's `computed_at` moves only when what it shows does.
"""

from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import cached_property

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from investors.models import Institution, Offering
from matchmaker.engine import ENGINE_VERSION
from matchmaker.engine.blocks import OfferingTables, best_pairs, top_k_by_group
from matchmaker.engine.criteria import best_of_variants, score_pairs
from matchmaker.engine.facts import (
    N_CRITERIA,
    OfferingArrays,
    ProjectArrays,
    encode_offerings,
    encode_projects,
)
from matchmaker.matching.encoding import (
    covered_variants,
    ids_of,
    matchable_projects,
    offering_facts,
    offerings_for_engine,
    project_facts,
    project_facts_of,
)
from matchmaker.models import (
    EngineSettings,
    KeptPair,
    LearnedWeights,
    Match,
    MatchStatus,
    PendingScoring,
)
from matchmaker.programme import selectors as programme
from matchmaker.programme.models import Enrolment, Tool
from projects.models import Project


@dataclass
class Universe:
    """Encoded records and their database ids, position for position."""

    ids: np.ndarray
    arrays: ProjectArrays | OfferingArrays
    # Offerings only: the programme's matches kept per side, read with them (the cache
    # version follows the engine settings too), so scoring one project asks nothing more.
    top_k: int = 0
    # Offerings only: the programme tools open when they were encoded (their bits in the
    # covered variants); projects scored against them are encoded with the same tools.
    tools: tuple = ()
    position: dict[int, int] = field(default_factory=dict)

    def __post_init__(self):
        # an offering's own row: its covered variants (same id) come after it
        self.position = {}
        for index, record_id in enumerate(self.ids.tolist()):
            self.position.setdefault(int(record_id), index)

    @cached_property
    def tables(self) -> OfferingTables:
        """An offering universe's scoring tables, built once: every chunk of a full
        re-score on this worker uses the same (with the universe, from the cache)."""
        return OfferingTables(self.arrays)


@dataclass
class ScoredPairs:
    """Scored pairs as columns (database ids, score, components), the form every write
    takes: hundreds of thousands of rows cost a few array operations, not as many objects."""

    project_ids: np.ndarray  # int64
    offering_ids: np.ndarray  # int64
    scores: np.ndarray  # float64, 0–100, rounded to 2 places
    components: np.ndarray  # float64 [pairs, criteria], rounded to 4 places

    def __len__(self) -> int:
        return len(self.project_ids)

    @classmethod
    def empty(cls) -> "ScoredPairs":
        ids = np.zeros(0, dtype=np.int64)
        return cls(ids, ids, np.zeros(0), np.zeros((0, N_CRITERIA)))

    def columns(self) -> tuple[np.ndarray, ...]:
        return tuple(getattr(self, column.name) for column in fields(self))

    @classmethod
    def concat(cls, *parts: "ScoredPairs") -> "ScoredPairs":
        columns = zip(*(part.columns() for part in parts), strict=True)
        return cls(*(np.concatenate(column) for column in columns))

    def take(self, index) -> "ScoredPairs":
        return ScoredPairs(*(column[index] for column in self.columns()))

    def slice(self, start: int, stop: int) -> "ScoredPairs":
        return self.take(slice(start, stop))

    def unique(self) -> "ScoredPairs":
        """One row per pair (the first of each), in (project, offering) order."""
        width = int(self.offering_ids.max(initial=0)) + 1
        codes = self.project_ids * width + self.offering_ids
        order = np.argsort(codes, kind="stable")
        ordered = codes[order]
        return self.take(order[np.r_[True, ordered[1:] != ordered[:-1]]] if len(codes) else order)

    def components_json(self) -> list[str]:
        """Each row's components as a compact JSON array, in one formatting call: `%r` is
        the shortest repr of each float, as json.dumps would write it."""
        count, width = self.components.shape
        if not count:
            return []
        row_format = "[" + ",".join(["%r"] * width) + "]"
        text = "\n".join([row_format] * count) % tuple(self.components.ravel().tolist())
        return text.split("\n")


_offering_cache: dict[tuple, Universe] = {}


def _offerings_version() -> tuple:
    """Changes whenever anything that decides the live, encoded offerings changes: in one
    query (it runs before every incremental score, so its round trips count)."""
    offering, learned, institution, engine, enrolment, tool = (
        model._meta.db_table
        for model in (Offering, LearnedWeights, Institution, EngineSettings, Enrolment, Tool)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {offering}), (SELECT MAX(updated_at) FROM {offering}), "
            f"(SELECT COUNT(*) FROM {learned}), (SELECT MAX(updated_at) FROM {learned}), "
            f"(SELECT COUNT(*) FROM {institution} WHERE verified), "
            f"(SELECT MAX(verified_at) FROM {institution} WHERE verified), "
            f"(SELECT MAX(updated_at) FROM {engine}), "
            f"(SELECT COUNT(*) FROM {enrolment}), (SELECT MAX(updated_at) FROM {enrolment}), "
            f"(SELECT MAX(updated_at) FROM {tool}), (SELECT COUNT(*) FROM {tool})"
        )
        return (*cursor.fetchone(), timezone.localdate())


def load_offerings(use_cache: bool = True) -> Universe:
    """All live offerings, encoded; cached per worker until one of them changes."""
    version = _offerings_version()
    if use_cache and version in _offering_cache:
        return _offering_cache[version]
    engine = EngineSettings.current()
    version = _offerings_version()  # as of now: reading the settings may have created them
    offerings = list(offerings_for_engine())
    tools = tuple(programme.open_tools())
    own = [offering_facts(o, engine.weights) for o in offerings]
    variant_ids, variants = covered_variants(offerings, own, tools)
    universe = Universe(
        np.concatenate([ids_of(offerings), np.array(variant_ids, dtype=np.int64)]),
        encode_offerings(own + variants),
        top_k=engine.top_k,
        tools=tools,
    )
    _offering_cache.clear()
    _offering_cache[version] = universe
    return universe


def load_projects(queryset=None, tools=None) -> Universe:
    """`tools`: the offerings' (`Universe.tools`), so both sides agree on the tools' bits
    and scoring a project does not ask for them again."""
    queryset = queryset if queryset is not None else matchable_projects()
    ids, facts = project_facts_of(queryset, tools)
    return Universe(np.array(ids, dtype=np.int64), encode_projects(facts))


def rows_for(projects: Universe, offerings: Universe, p_idx, o_idx) -> ScoredPairs:
    """Exact scores and components for chosen pairs (float64, as the reference computes)."""
    if len(p_idx) == 0:
        return ScoredPairs.empty()
    _eligible, scores, values = score_pairs(projects.arrays, offerings.arrays, p_idx, o_idx)
    return ScoredPairs(
        projects.ids[p_idx],
        offerings.ids[o_idx],
        np.clip(np.round(scores, 2), 0.0, 100.0),
        np.round(values, 4),
    )


def acted_on_rows(scope: Q, projects: Universe, offerings: Universe) -> ScoredPairs:
    """Re-score the reviewed matches in scope that are still eligible, wherever they rank."""
    pairs = [
        (projects.position[p], offerings.position[o])
        for p, o in Match.objects.filter(scope)
        .exclude(status=MatchStatus.NEW)
        .values_list("project_id", "offering_id")
        if p in projects.position and o in offerings.position
    ]
    if not pairs:
        return ScoredPairs.empty()
    p_idx, o_idx = (np.array(column) for column in zip(*pairs, strict=True))
    eligible, o_idx = best_of_variants(projects.arrays, offerings.arrays, p_idx, o_idx)
    return rows_for(projects, offerings, p_idx[eligible], o_idx[eligible])


def upsert_matches(pairs: ScoredPairs, stamp: datetime, *, full_run: bool = False) -> int:
    """Insert or refresh pairs in bulk, leaving review status untouched. On PostgreSQL a
    chunk's go through COPY into a temporary table and one INSERT … SELECT, one
    project's through one INSERT … SELECT FROM UNNEST of four arrays (one round trip
    each way, where row-by-row statements took a round trip per row); on SQLite, which
    has no round trips, through one executemany.

    A full re-score's (`full_run`) writes only the rows that changed or are new. Where it
    left some as they were, it records the pairs (`KeptPair`), which its finishing step
    keeps; where it wrote every row (a first scoring), they carry its stamp, and nothing
    is recorded. One project's or offering's rewrites each row's `kept_at`, which its own
    retiring reads (a few dozen rows)."""
    if not len(pairs):
        return 0
    pairs = pairs.unique()  # one statement may not upsert a row twice
    on_conflict = UPDATE_CHANGED_ON_CONFLICT if full_run else UPDATE_ON_CONFLICT
    if connection.vendor == "postgresql":
        if len(pairs) >= COPY_FROM_ROWS:
            return _upsert_by_copy(pairs, stamp, on_conflict, full_run)
        written = _upsert_by_unnest(pairs, stamp, on_conflict)
    else:
        written = _upsert_by_executemany(pairs, stamp, on_conflict)
    if full_run and written < len(pairs):
        remember_kept(pairs, stamp)
    return len(pairs)


def _upsert_by_executemany(pairs: ScoredPairs, stamp: datetime, on_conflict: str) -> int:
    table = Match._meta.db_table
    sql = (
        f"INSERT INTO {table} (project_id, offering_id, score, components, eligible, "
        f"engine_version, computed_at, kept_at, status, created_at) "
        f"VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) " + on_conflict.format(table=table)
    )
    when = connection.ops.adapt_datetimefield_value(stamp)
    constant = (True, ENGINE_VERSION, when, when, MatchStatus.NEW.value, when)
    params = [
        (project_id, offering_id, score, components, *constant)
        for project_id, offering_id, score, components in zip(
            pairs.project_ids.tolist(),
            pairs.offering_ids.tolist(),
            pairs.scores.tolist(),
            pairs.components_json(),
            strict=True,
        )
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
        return cursor.rowcount  # rows inserted or updated, summed over the parameters


def remember_kept(pairs: ScoredPairs, stamp: datetime) -> None:
    """Record a full re-score's pairs (`KeptPair`). Those among them it wrote carry its
    stamp anyway, so all are recorded, in one statement. (On PostgreSQL's bulk path,
    `_upsert_by_copy` does the same from the rows it already sent.)"""
    table = KeptPair._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} (stamp, project_id, offering_id) "
                "SELECT %s, * FROM UNNEST(%s::bigint[], %s::bigint[])",
                [stamp, pairs.project_ids.tolist(), pairs.offering_ids.tolist()],
            )
            return
        when = connection.ops.adapt_datetimefield_value(stamp)
        cursor.executemany(
            f"INSERT INTO {table} (stamp, project_id, offering_id) VALUES (%s, %s, %s)",
            [
                (when, project_id, offering_id)
                for project_id, offering_id in zip(
                    pairs.project_ids.tolist(), pairs.offering_ids.tolist(), strict=True
                )
            ],
        )


# From this many rows COPY pays for its temporary table on PostgreSQL.
COPY_FROM_ROWS = 1000

# A write never replaces a row kept after its own stamp: a full re-score's chunk,
# stamped when its run began, reads the facts before a project's own re-score and may
# write after it; without the WHERE it would put the older scores back over the fresher
# ones, and nothing would ask for them again (the project's request is answered).
# Every row written is kept (`kept_at`, what retiring reads); its `computed_at` moves only
# if what it shows does: the lists' fingerprints read `computed_at`, so a re-score that
# changes no score leaves every cached list as it was. (SET's right-hand sides read the
# row as it was.)
CHANGED = (
    "({table}.score <> excluded.score OR {table}.components <> excluded.components "
    "OR {table}.eligible <> excluded.eligible "
    "OR {table}.engine_version <> excluded.engine_version)"
)
UPDATE_ON_CONFLICT = (
    "ON CONFLICT (project_id, offering_id) DO UPDATE SET score = excluded.score, "
    "components = excluded.components, eligible = excluded.eligible, "
    "engine_version = excluded.engine_version, "
    f"computed_at = CASE WHEN {CHANGED} THEN excluded.computed_at "
    "ELSE {table}.computed_at END, "
    "kept_at = excluded.kept_at "
    "WHERE {table}.kept_at <= excluded.kept_at"
)
# A full re-score's: a row that comes out the same is not written at all (the run keeps
# it through `KeptPair`). Most nights that is every row: PostgreSQL then writes nothing,
# its pages stay all-visible for the lists' index-only scans, and no VACUUM is owed.
UPDATE_CHANGED_ON_CONFLICT = UPDATE_ON_CONFLICT + f" AND {CHANGED}"


INSERT_SELECTED = (
    "INSERT INTO {table} (project_id, offering_id, score, components, eligible, "
    "engine_version, computed_at, kept_at, status, created_at) "
    "SELECT project_id, offering_id, score, components, true, %s, %s, %s, %s, %s "
    "FROM {source} "
)


def _upsert_by_unnest(pairs: ScoredPairs, stamp: datetime, on_conflict: str) -> int:
    source = (
        "UNNEST(%s::bigint[], %s::bigint[], %s::float8[], %s::jsonb[]) "
        "AS incoming (project_id, offering_id, score, components)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            INSERT_SELECTED.format(table=Match._meta.db_table, source=source)
            + on_conflict.format(table=Match._meta.db_table),
            [
                ENGINE_VERSION,
                stamp,
                stamp,
                MatchStatus.NEW,
                stamp,
                pairs.project_ids.tolist(),
                pairs.offering_ids.tolist(),
                pairs.scores.tolist(),
                pairs.components_json(),
            ],
        )
        return cursor.rowcount  # rows inserted or updated


def _upsert_by_copy(pairs: ScoredPairs, stamp: datetime, on_conflict: str, full_run: bool) -> int:
    table = Match._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS match_incoming (project_id bigint, "
            "offering_id bigint, score double precision, components jsonb)"
        )
        cursor.execute("TRUNCATE match_incoming")
        columns = "project_id, offering_id, score, components"
        rows = zip(
            pairs.project_ids.tolist(),
            pairs.offering_ids.tolist(),
            pairs.scores.tolist(),
            pairs.components_json(),
            strict=True,
        )
        with cursor.cursor.copy(f"COPY match_incoming ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            INSERT_SELECTED.format(table=table, source="match_incoming")
            + on_conflict.format(table=table),
            [ENGINE_VERSION, stamp, stamp, MatchStatus.NEW, stamp],
        )
        if full_run and cursor.rowcount < len(pairs):  # `remember_kept`, from what was sent
            cursor.execute(
                f"INSERT INTO {KeptPair._meta.db_table} (stamp, project_id, offering_id) "
                "SELECT %s, project_id, offering_id FROM match_incoming",
                [stamp],
            )
        cursor.execute("TRUNCATE match_incoming")
    return len(pairs)


def retire_untouched(scope: Q, stamp: datetime) -> None:
    """What this run did not write: drop it if nobody acted on it, else flag it."""
    untouched = Match.objects.filter(scope, kept_at__lt=stamp)
    untouched.filter(status=MatchStatus.NEW).only("pk").delete()
    flag_untouched(untouched, stamp)


def flag_untouched(untouched: QuerySet, stamp: datetime) -> None:
    """Rows people acted on that a run did not keep: no longer eligible. Stamped, so the
    lists' fingerprint (`review.selectors.match_list_version`) sees the change; and only
    those still eligible, so a row flagged before is not stamped again by every run."""
    untouched.exclude(status=MatchStatus.NEW).filter(eligible=True).update(
        eligible=False, computed_at=stamp
    )


# Rows per write transaction in a full re-score: a chunk's (1,000 projects × top 50) in
# one. Every transaction rewrites the index pages it touched, so on the embedded SQLite
# database small ones cost several times the writing; and as every write there waits for
# the one before, a web request that writes (a log-in stores its session) waits for at
# most one such transaction, a fraction of a second.
WRITE_BATCH = 60_000


def upsert_in_batches(
    pairs: ScoredPairs, stamp: datetime, read: dict[int, tuple] | None = None
) -> int:
    """A full re-score's pairs, a batch per transaction. With `read` (the projects' facts
    as the run read them, `projects_as_read`), each batch ends by taking back the pairs of
    projects changed since."""
    for start in range(0, len(pairs), WRITE_BATCH):
        batch = pairs.slice(start, start + WRITE_BATCH)
        with transaction.atomic():
            upsert_matches(batch, stamp, full_run=True)
            if read is not None:
                drop_pairs_of_changed_projects(read, set(batch.project_ids.tolist()), stamp)
    return len(pairs)


def projects_as_read(project_ids=None) -> dict[int, tuple]:
    """Each project's revision, status and last change, read before its facts are: what a
    re-score's write compares against (`drop_pairs_of_changed_projects`)."""
    projects = (
        Project.objects.all()
        if project_ids is None
        else Project.objects.filter(pk__in=list(project_ids))
    )
    return {
        pk: (revision, status, updated_at)
        for pk, revision, status, updated_at in projects.values_list(
            "pk", "revision", "status", "updated_at"
        )
    }


def drop_pairs_of_changed_projects(read: dict[int, tuple], project_ids, stamp: datetime) -> None:
    """The last step of a re-score's write transaction: a project changed since the run
    read it loses the untouched pairs this write just put in or changed (those it found
    unchanged wait for the project's own re-score, as they were). Its change asked for its
    own re-score, which writes the fresh pairs; if that re-score has already run, it
    retired pairs this write would otherwise bring back, and nothing would retire them
    again before the next full re-score. Checked after the write, not before, so that a
    change committed while a long batch was being written is seen too."""
    now = projects_as_read(project_ids)
    changed = [pk for pk in project_ids if now.get(pk) != read.get(pk)]
    if changed:
        Match.objects.filter(project_id__in=changed, kept_at=stamp, status=MatchStatus.NEW).delete()


def retire_untouched_in_batches(stamp: datetime) -> None:
    """`retire_untouched` over every match, a batch per transaction: what the run neither
    wrote nor kept as it was (`KeptPair`). Then the run's record of what it kept goes
    (and any left by a run that never finished)."""
    kept = KeptPair.objects.filter(
        stamp=stamp, project_id=OuterRef("project_id"), offering_id=OuterRef("offering_id")
    )
    stale = Match.objects.filter(kept_at__lt=stamp).exclude(Exists(kept))
    while True:
        with transaction.atomic():
            batch = list(
                stale.filter(status=MatchStatus.NEW).values_list("pk", flat=True)[:WRITE_BATCH]
            )
            if not batch:
                break
            Match.objects.filter(pk__in=batch).only("pk").delete()
    flag_untouched(stale, stamp)
    KeptPair.objects.filter(stamp__lte=stamp).delete()  # one DELETE: nothing refers to it


def write(rows: ScoredPairs, scope: Q, stamp: datetime, answered: Q) -> int:
    """Write one project's or offering's matches and clear the requests they answer, in
    one transaction."""
    with transaction.atomic():
        written = upsert_matches(rows, stamp)
        retire_untouched(scope, stamp)
        PendingScoring.objects.filter(answered, requested_at__lte=stamp).delete()
    return written


def pending(kind: str, object_id: int) -> Q:
    """The requests to score this object (those made after a run started stay: they may
    have changed what it read)."""
    return Q(kind=kind, object_id=object_id)


@dataclass
class ScoreResult:
    pairs_scored: int = 0
    matches_written: int = 0
    projects_touched: list[int] = field(default_factory=list)


def best_for_projects(projects: Universe, offerings: Universe) -> ScoredPairs:
    """Each project's best K offerings, chosen on the offerings' tables (filter first)
    and scored exactly: one project as it is submitted, or a chunk of a full re-score,
    by the same rule."""
    p_idx, o_idx, values = offerings.tables.eligible_scores(projects.arrays)
    best = top_k_by_group(p_idx, values.astype(np.float64), offerings.top_k)
    return rows_for(projects, offerings, p_idx[best], o_idx[best])


def score_project(project_id: int) -> ScoreResult:
    """Score one project against every live offering and keep its best K."""
    stamp = timezone.now()
    offerings = load_offerings()
    projects = load_projects(matchable_projects().filter(pk=project_id), offerings.tools)
    rows = ScoredPairs.empty()
    if len(projects.ids) and len(offerings.ids):
        rows = ScoredPairs.concat(
            best_for_projects(projects, offerings),
            acted_on_rows(Q(project_id=project_id), projects, offerings),
        )
    answered = pending(PendingScoring.Kind.PROJECT, project_id)
    written = write(rows, Q(project_id=project_id), stamp, answered)
    return ScoreResult(len(offerings.ids) if len(projects.ids) else 0, written)


def score_offering(offering_id: int) -> ScoreResult:
    """Score one offering against every matchable project and keep its best K."""
    stamp = timezone.now()
    offerings = load_offerings()
    rows, projects = ScoredPairs.empty(), Universe(np.zeros(0, dtype=np.int64), None)
    if offering_id in offerings.position:
        projects = load_projects(tools=offerings.tools)
        column = offerings.position[offering_id]
        p_idx = np.arange(len(projects.ids))
        if len(p_idx):
            eligible, columns = best_of_variants(
                projects.arrays, offerings.arrays, p_idx, np.full(len(p_idx), column)
            )
            _ok, scores, _values = score_pairs(projects.arrays, offerings.arrays, p_idx, columns)
            candidates = p_idx[eligible]
            best = candidates[np.argsort(-scores[candidates], kind="stable")[: offerings.top_k]]
            rows = ScoredPairs.concat(
                rows_for(projects, offerings, best, columns[best]),
                acted_on_rows(Q(offering_id=offering_id), projects, offerings),
            )
    touched = set(
        Match.objects.filter(offering_id=offering_id).values_list("project_id", flat=True)
    )
    answered = pending(PendingScoring.Kind.OFFERING, offering_id)
    written = write(rows, Q(offering_id=offering_id), stamp, answered)
    touched |= set(rows.project_ids.tolist())
    return ScoreResult(len(projects.ids), written, sorted(touched))


def score_chunk(project_ids: list[int], stamp: datetime) -> ScoreResult:
    """One slice of a full re-score: these projects against all live offerings, keeping
    each project's best K. Slices run in parallel on however many workers exist."""
    read = projects_as_read(project_ids)
    offerings = load_offerings()
    projects = load_projects(matchable_projects().filter(pk__in=project_ids), offerings.tools)
    rows = ScoredPairs.empty()
    if len(projects.ids) and len(offerings.ids):
        rows = ScoredPairs.concat(
            best_for_projects(projects, offerings),
            acted_on_rows(Q(project_id__in=project_ids), projects, offerings),
        )
    written = upsert_in_batches(rows.unique(), stamp, read)
    return ScoreResult(len(projects.ids) * len(offerings.ids), written)


def score_offering_side(stamp: datetime) -> ScoreResult:
    """Each offering's best K projects that no project's own best K includes (one engine
    pass over all pairs: the engine is cheap next to the database). It reads nothing the
    projects' chunks write, so it runs beside them as one more chunk of the run."""
    read = projects_as_read()
    offerings = load_offerings()
    projects = load_projects(tools=offerings.tools)
    rows = ScoredPairs.empty()
    if len(projects.ids) and len(offerings.ids):
        p_idx, o_idx = best_pairs(
            projects.arrays, offerings.arrays, k=offerings.top_k, tables=offerings.tables
        ).only_for_offerings()
        _eligible, o_idx = best_of_variants(projects.arrays, offerings.arrays, p_idx, o_idx)
        rows = rows_for(projects, offerings, p_idx, o_idx)
    return ScoreResult(0, upsert_in_batches(rows, stamp, read))


def finish_full_rescore(stamp: datetime) -> int:
    """Once every chunk is written: retire what the run did not touch and clear the
    requests it answered. Returns the matches kept."""
    retire_untouched_in_batches(stamp)
    PendingScoring.objects.filter(requested_at__lte=stamp).delete()
    refresh_planner_statistics()
    return Match.objects.count()


# What a full re-score reshapes, and the lists read (PostgreSQL analyses these only).
ANALYSED_TABLES = ("matchmaker_match", "projects_project", "investors_offering")


def refresh_planner_statistics() -> None:
    """SQLite plans queries from `ANALYZE`'s statistics, and has none until asked. Without
    them it counted an institution's matches by walking every submitted project's matches
    (1.1 s for 541,000 matches) instead of starting from its offerings (0.05 s). A full
    re-score is when the tables change shape, so it refreshes them (0.4 s at that size).
    PostgreSQL's autovacuum would analyse on its own, some time later or (where it is
    turned off) never: a full re-score of 538,000 matches left none, and an institution's
    list took 2.1 s instead of 0.04 s (probed with `make load`), so it analyses too; and
    vacuums, which lets the lists read the rewritten matches from their index alone
    (about 4 s at that size; outside a transaction only, where VACUUM may run)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            cursor.execute(f"{verb} {', '.join(ANALYSED_TABLES)}")


def rank_offerings(
    project: Project, offerings: list[Offering], default_weights: dict
) -> list[tuple[int, float]]:
    """(position in ``offerings``, score) of the eligible ones, best first, under the
    given default weights; computed in memory, nothing written (the weights preview)."""
    if not offerings:
        return []
    facts = encode_projects([project_facts(project)])
    arrays = encode_offerings([offering_facts(o, default_weights) for o in offerings])
    columns = np.arange(len(offerings))
    eligible, scores, _values = score_pairs(facts, arrays, 0, columns)
    order = columns[eligible][np.argsort(-scores[eligible], kind="stable")]
    return [(int(column), float(scores[column])) for column in order]


def project_chunks(size: int | None = None) -> list[list[int]]:
    """The matchable projects' ids in chunks of `size` (the setting's, by default)."""
    size = size or settings.SCORING_CHUNK_SIZE
    ids = list(matchable_projects().order_by("pk").values_list("pk", flat=True))
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def full_rescore_inline() -> int:
    """A full re-score's work in this process (demo seeding, tests): every chunk in turn,
    then the finishing step. Returns the matches kept."""
    stamp = timezone.now()
    for project_ids in project_chunks():
        score_chunk(project_ids, stamp)
    score_offering_side(stamp)
    return finish_full_rescore(stamp)
