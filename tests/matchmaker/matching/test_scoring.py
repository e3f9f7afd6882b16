"""Scoring against the database: what gets stored, kept, flagged and removed."""

import pytest
from django.utils import timezone

from investors import services as offering_services
from investors.models import OfferingStatus
from matchmaker import tasks
from matchmaker.matching import scoring
from matchmaker.models import EngineSettings, Match, MatchStatus, PendingScoring, ScoringRun
from projects import services as project_services
from projects.models import ProjectStatus
from projects.services import project_update
from tests.factories import InstitutionFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return ProjectFactory(needs={"equity": 50_000_000, "credit": 20_000_000})


def test_scoring_a_project_stores_its_eligible_offerings_with_explanations(project):
    good = OfferingFactory(name="Fits")
    OfferingFactory(name="TRL too high", trl_min=8, trl_max=9)
    OfferingFactory(name="Unverified", institution=InstitutionFactory(verified=False))
    OfferingFactory(name="Paused", status=OfferingStatus.PAUSED)
    OfferingFactory(name="Risk cover not sought", instrument="risk_cover")
    OfferingFactory(
        name="No capacity", capacity_left=1_000, ticket_min=10_000_000, capacity_total=10**9
    )
    scoring.score_project(project.pk)
    match = Match.objects.get()
    assert match.offering == good
    assert 0 < match.score <= 100
    assert len(match.components) == 8
    assert match.engine_version == "1"


def test_a_draft_or_an_unverified_firms_project_is_never_matched():
    OfferingFactory()
    draft = ProjectFactory(status=ProjectStatus.DRAFT)
    unverified = ProjectFactory(firm__verified=False)
    for project in (draft, unverified):
        scoring.score_project(project.pk)
    assert not Match.objects.exists()


def test_rescoring_is_an_idempotent_upsert(project):
    OfferingFactory.create_batch(3)
    scoring.score_project(project.pk)
    first = dict(Match.objects.values_list("id", "score"))
    scoring.score_project(project.pk)
    scoring.score_offering(Match.objects.first().offering_id)
    assert dict(Match.objects.values_list("id", "score")) == first


def test_only_the_best_k_offerings_are_kept_per_project(project):
    settings = EngineSettings.current()
    settings.top_k = 2
    settings.save()
    for ticket_max in (10_000_000, 20_000_000, 50_000_000, 200_000_000):
        OfferingFactory(ticket_max=ticket_max)
    scoring.score_project(project.pk)
    kept = set(Match.objects.values_list("offering__ticket_max", flat=True))
    assert kept == {200_000_000, 50_000_000}  # both carry the whole 50M need


def test_editing_a_project_out_of_an_offerings_range_removes_the_match(
    project, django_capture_on_commit_callbacks
):
    OfferingFactory(trl_min=4, trl_max=7)
    scoring.score_project(project.pk)
    assert Match.objects.count() == 1
    project.trl = 9
    project.save()
    with django_capture_on_commit_callbacks(execute=True):
        project_services.project_update(project=project, by=None)
    assert not Match.objects.exists()


def test_reviewed_matches_survive_and_are_flagged_when_no_longer_eligible(
    project, django_capture_on_commit_callbacks
):
    shortlisted_offering, fresh_offering = OfferingFactory(), OfferingFactory()
    scoring.score_project(project.pk)
    Match.objects.filter(offering=shortlisted_offering).update(status=MatchStatus.SHORTLISTED)
    with django_capture_on_commit_callbacks(execute=True):
        project_services.project_withdraw(project=project, by=None)
    kept = Match.objects.get()
    assert (kept.offering, kept.status, kept.eligible) == (
        shortlisted_offering,
        "shortlisted",
        False,
    )
    assert not Match.objects.filter(offering=fresh_offering).exists()


def test_pausing_an_offering_retires_its_untouched_matches(
    project, django_capture_on_commit_callbacks
):
    offering = OfferingFactory()
    scoring.score_project(project.pk)
    with django_capture_on_commit_callbacks(execute=True):
        offering_services.offering_move(offering=offering, by=None, status=OfferingStatus.PAUSED)
    assert not Match.objects.exists()


def test_a_new_offering_finds_existing_projects(project, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        offering = OfferingFactory()
        offering_services.offering_update(offering=offering, by=None, fields={})
    assert Match.objects.get().offering == offering


def test_full_rescore_runs_as_chunks_and_records_its_run(django_capture_on_commit_callbacks):
    projects = ProjectFactory.create_batch(5)
    OfferingFactory.create_batch(4)
    Match.objects.create(
        project=projects[0],
        offering=OfferingFactory(status=OfferingStatus.CLOSED),
        score=50,
        engine_version="0",
        computed_at=timezone.now(),
    )
    run_id = tasks.rescore_all.delay().get()
    run = ScoringRun.objects.get(pk=run_id)
    assert (run.status, run.chunks_done, run.progress) == ("done", run.chunks_total, 100)
    assert run.pairs_scored == 5 * 4
    assert Match.objects.count() == run.matches_written == 20
    assert not Match.objects.filter(engine_version="0").exists()


def test_full_rescore_equals_scoring_each_project(django_capture_on_commit_callbacks):
    projects = ProjectFactory.create_batch(4)
    OfferingFactory.create_batch(3)
    OfferingFactory(trl_min=7, trl_max=9)
    for project in projects:
        scoring.score_project(project.pk)
    one_by_one = dict(Match.objects.values_list("id", "score"))
    tasks.rescore_all.delay()
    assert dict(Match.objects.values_list("id", "score")) == pytest.approx(one_by_one)


def test_submitting_records_a_pending_request_cleared_by_scoring(
    project, django_capture_on_commit_callbacks
):
    draft = ProjectFactory(status=ProjectStatus.DRAFT)
    OfferingFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        project_services.project_submit(project=draft, by=None)
    assert PendingScoring.objects.filter(kind="project", object_id=draft.pk).exists()
    for callback in callbacks:
        callback()
    assert not PendingScoring.objects.exists()
    assert Match.objects.filter(project=draft).exists()


@pytest.mark.django_db(transaction=True)  # as a worker runs it: PostgreSQL may vacuum
def test_a_full_rescore_refreshes_the_planner_statistics_on_either_database():
    """The lists' plans need statistics of the tables a full re-score reshapes: SQLite
    has none until asked, and PostgreSQL's autovacuum may come much later or never (an
    institution's list took 2.1 s instead of 0.04 s without them)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ProjectFactory()
    OfferingFactory()
    stamp = timezone.now()
    for ids in scoring.project_chunks():
        scoring.score_chunk(ids, stamp)
    with CaptureQueriesContext(connection) as queries:
        scoring.finish_full_rescore(stamp)
    statements = [q["sql"] for q in queries.captured_queries]
    if connection.vendor == "sqlite":
        assert "ANALYZE" in statements
    else:
        assert "VACUUM (ANALYZE) matchmaker_match, projects_project, investors_offering" in (
            statements
        )


def test_a_chunk_writing_after_a_projects_own_rescore_leaves_the_fresher_scores(
    project, monkeypatch
):
    """A full re-score's chunk reads the facts, the firm edits the project and its own
    re-score writes, then the chunk writes what it read before the edit: the fresher
    scores must stay (the project's request is answered, nothing would correct them)."""
    OfferingFactory(trl_min=4, trl_max=9)
    run_began = timezone.now()
    write_chunk = scoring.upsert_in_batches
    seen = {}

    def edit_and_rescore_between_read_and_write(pairs, stamp, *read):
        project.trl = 4
        project.save(update_fields=["trl"])
        scoring.score_project(project.pk)
        seen["fresh"] = dict(Match.objects.values_list("offering_id", "score"))
        seen["stale"] = dict(zip(pairs.offering_ids.tolist(), pairs.scores.tolist(), strict=True))
        return write_chunk(pairs, stamp, *read)

    monkeypatch.setattr(scoring, "upsert_in_batches", edit_and_rescore_between_read_and_write)
    scoring.score_chunk([project.pk], run_began)
    assert seen["stale"] != seen["fresh"]  # the chunk did read the facts before the edit
    assert dict(Match.objects.values_list("offering_id", "score")) == seen["fresh"]


@pytest.mark.parametrize("side", ["projects' chunk", "offerings' chunk"])
def test_a_chunk_writing_after_a_projects_own_rescore_brings_back_no_retired_pair(
    project, monkeypatch, side
):
    """The edit makes one offering ineligible; the project's own re-score retires that
    pair; the chunk, which read the facts before the edit, must not put it back."""
    project.trl = 7
    project.save(update_fields=["trl"])
    if side == "offerings' chunk":
        # One match kept per project: the offering side then writes the other offering's
        # pair, which no project's own best K includes.
        EngineSettings.objects.update_or_create(pk=1, defaults={"top_k": 1})
    wide = OfferingFactory(trl_min=4, trl_max=9)
    narrow = OfferingFactory(trl_min=7, trl_max=9)
    run_began = timezone.now()
    write_chunk = scoring.upsert_in_batches
    seen = {}

    def edit_and_rescore_between_read_and_write(pairs, stamp, *read):
        project_update(project=project, fields={"trl": 4}, by=None)  # as the firm edits
        scoring.score_project(project.pk)
        seen["fresh"] = set(Match.objects.values_list("offering_id", flat=True))
        seen["read"] = set(pairs.offering_ids.tolist())
        return write_chunk(pairs, stamp, *read)

    monkeypatch.setattr(scoring, "upsert_in_batches", edit_and_rescore_between_read_and_write)
    if side == "projects' chunk":
        scoring.score_chunk([project.pk], run_began)
    else:
        scoring.score_offering_side(run_began)
    assert seen["fresh"] == {wide.pk}
    assert narrow.pk in seen["read"]
    assert set(Match.objects.values_list("offering_id", flat=True)) == {wide.pk}


def test_a_later_write_still_replaces_an_earlier_one(project):
    OfferingFactory()
    scoring.score_project(project.pk)
    project.trl = 4
    project.save(update_fields=["trl"])
    before = dict(Match.objects.values_list("offering_id", "score"))
    scoring.score_project(project.pk)
    assert dict(Match.objects.values_list("offering_id", "score")) != before
