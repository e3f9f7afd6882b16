"""A re-score that arrives at the same score keeps the row without moving its
`computed_at`: the lists' fingerprints, and every list cached under them, stay as they
were through the nightly re-score, while what changed still shows at once (#26)."""

import pytest
from django.db import connection
from django.utils import timezone

from matchmaker import tasks
from matchmaker.matching import scoring
from matchmaker.models import KeptPair, Match, MatchStatus
from matchmaker.review.selectors import match_list_versions
from tests.factories import OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(settings):
    settings.SCORING_CHUNK_SIZE = 2
    projects = [ProjectFactory(trl=4 + i % 4) for i in range(5)]
    offerings = [OfferingFactory(ticket_max=(i + 1) * 40_000_000) for i in range(3)]
    scoring.full_rescore_inline()
    return projects, offerings


def computed() -> dict[int, object]:
    return dict(Match.objects.values_list("pk", "computed_at"))


def fingerprints(offerings) -> list[str]:
    return [match_list_versions(offering.institution).list for offering in offerings]


def kept() -> dict[int, object]:
    return dict(Match.objects.values_list("pk", "kept_at"))


def test_a_full_rescore_that_changes_no_score_writes_no_match(market):
    """Each row it arrived at as it was is kept without being written (an update sets
    `kept_at`), through the run's record of what it kept, which goes as it finishes."""
    _projects, offerings = market
    before, was_kept, shown = computed(), kept(), fingerprints(offerings)
    tasks.rescore_all()
    assert kept() == was_kept and len(was_kept) > 5  # not one row written, none retired
    assert computed() == before
    assert fingerprints(offerings) == shown
    assert not KeptPair.objects.exists()


@pytest.mark.parametrize("how", ["each project", "each offering"])
def test_a_rescore_of_one_side_that_changes_no_score_keeps_computed_at(market, how):
    """One project's or offering's re-score rewrites its few rows' `kept_at` (what its
    own retiring reads) and leaves `computed_at`, and so the fingerprints, as they were."""
    projects, offerings = market
    before, shown = computed(), fingerprints(offerings)
    started = timezone.now()
    if how == "each project":
        for project in projects:
            scoring.score_project(project.pk)
    else:
        for offering in offerings:
            scoring.score_offering(offering.pk)
    assert computed() == before and len(before) > 5
    assert fingerprints(offerings) == shown
    assert not Match.objects.filter(kept_at__lt=started).exists()


def test_a_changed_score_moves_computed_at_and_the_fingerprint(market):
    projects, offerings = market
    before, shown = computed(), fingerprints(offerings)
    started = timezone.now()
    edited = projects[0]
    edited.trl, edited.months_to_revenue = 8, 6  # still eligible everywhere, scored better
    edited.save(update_fields=["trl", "months_to_revenue", "updated_at"])
    shown_after_edit = fingerprints(offerings)
    tasks.rescore_all()
    moved = {pk for pk, at in computed().items() if at != before.get(pk)}
    changed = set(Match.objects.filter(project=edited).values_list("pk", flat=True))
    assert moved and moved <= changed
    assert Match.objects.filter(pk__in=moved, computed_at__gte=started).count() == len(moved)
    # the edit moves the fingerprints itself, and the new scores move them once more
    assert shown_after_edit != shown
    touched = {m.offering.institution_id for m in Match.objects.filter(pk__in=moved)}
    assert touched
    for offering, fingerprint in zip(offerings, fingerprints(offerings), strict=True):
        if offering.institution_id in touched:
            assert fingerprint != shown_after_edit[offerings.index(offering)]


def test_rows_a_run_did_not_keep_are_retired_though_their_score_never_changed(market):
    _projects, offerings = market
    tasks.rescore_all()  # computed_at now older than kept_at on every row
    closing = offerings[0]
    acted = Match.objects.filter(offering=closing).first()
    Match.objects.filter(pk=acted.pk).update(status=MatchStatus.SHORTLISTED)
    closing.status = "paused"
    closing.save(update_fields=["status", "updated_at"])
    started = timezone.now()
    tasks.rescore_all()
    left = Match.objects.filter(offering=closing)
    assert list(left.values_list("pk", flat=True)) == [acted.pk]  # the untouched new ones went
    flagged = left.get()
    assert flagged.eligible is False and flagged.computed_at >= started  # shown as changed
    # a later run leaves the flagged row as it is: it is not stamped by every run
    shown = fingerprints([closing])
    tasks.rescore_all()
    assert Match.objects.get(pk=acted.pk).computed_at == flagged.computed_at
    assert fingerprints([closing]) == shown


def test_a_record_left_by_a_run_that_never_finished_goes_with_the_next_run(market):
    """A run whose finishing step never ran leaves its record of kept pairs; it must not
    keep anything for a later run, and goes when that one finishes."""
    projects, offerings = market
    lost_run = timezone.now()
    scoring.score_chunk([project.pk for project in projects], lost_run)
    assert KeptPair.objects.filter(stamp=lost_run).exists()
    closing = offerings[0]
    closing.status = "paused"
    closing.save(update_fields=["status", "updated_at"])
    tasks.rescore_all()
    assert not Match.objects.filter(offering=closing).exists()
    assert not KeptPair.objects.exists()


def test_the_kept_stamp_is_in_no_index_so_a_kept_row_is_rewritten_without_one():
    """PostgreSQL rewrites a row in place of its index entries (a heap-only update) only
    when no indexed column changes: `kept_at`, which each project's and offering's own
    re-score rewrites on every row it keeps, must be in none."""
    indexed = set()
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Match._meta.db_table)
    for constraint in constraints.values():
        indexed.update(constraint["columns"] or [])
    assert "computed_at" in indexed and "project_id" in indexed  # the introspection works
    assert "kept_at" not in indexed


@pytest.mark.parametrize("copy_from_rows", [1, 10**9], ids=["bulk path", "small path"])
def test_a_run_records_the_pairs_only_where_it_left_rows_as_they_were(monkeypatch, copy_from_rows):
    """A first scoring writes every row, which then carry its stamp: it records nothing
    (a full re-score of an empty table, the benchmark's, pays for no record). A run that
    finds them the same records them all. (PostgreSQL's two write paths; one on SQLite.)"""
    monkeypatch.setattr(scoring, "COPY_FROM_ROWS", copy_from_rows)
    projects = ProjectFactory.create_batch(4)
    OfferingFactory.create_batch(3)
    ids = [project.pk for project in projects]
    first = timezone.now()
    scoring.score_chunk(ids, first)
    assert Match.objects.filter(kept_at=first).count() == 12
    assert not KeptPair.objects.exists()
    again = timezone.now()
    scoring.score_chunk(ids, again)
    assert not Match.objects.filter(kept_at=again).exists()
    assert set(KeptPair.objects.values_list("stamp", "project_id", "offering_id")) == {
        (again, project, offering)
        for project, offering in Match.objects.values_list("project_id", "offering_id")
    }
