"""A re-score that arrives at the same score keeps the row without moving its
`computed_at`: the lists' fingerprints, and every list cached under them, stay as they
were through the nightly re-score, while what changed still shows at once (#26)."""

import pytest
from django.db import connection
from django.utils import timezone

from matchmaker import tasks
from matchmaker.matching import scoring
from matchmaker.models import Match, MatchStatus
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


@pytest.mark.parametrize("how", ["full re-score", "each project", "each offering"])
def test_a_rescore_that_changes_no_score_keeps_computed_at_and_the_fingerprints(market, how):
    projects, offerings = market
    before, shown = computed(), fingerprints(offerings)
    started = timezone.now()
    if how == "full re-score":
        tasks.rescore_all()
    elif how == "each project":
        for project in projects:
            scoring.score_project(project.pk)
    else:
        for offering in offerings:
            scoring.score_offering(offering.pk)
    assert computed() == before and len(before) > 5
    assert fingerprints(offerings) == shown
    # and every row was kept by the run (what retiring goes by)
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


def test_the_kept_stamp_is_in_no_index_so_a_kept_row_is_rewritten_without_one():
    """PostgreSQL rewrites a row in place of its index entries (a heap-only update) only
    when no indexed column changes: `kept_at`, which every run writes, must be in none."""
    indexed = set()
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Match._meta.db_table)
    for constraint in constraints.values():
        indexed.update(constraint["columns"] or [])
    assert "computed_at" in indexed and "project_id" in indexed  # the introspection works
    assert "kept_at" not in indexed


@pytest.fixture
def packed_market(settings):
    """Enough matches to fill several pages of the table (≈ 40 rows fit on a full one)."""
    projects = ProjectFactory.create_batch(30)
    OfferingFactory.create_batch(12)
    scoring.full_rescore_inline()
    assert Match.objects.count() == 30 * 12
    return projects


def test_a_rescore_rewrites_every_row_without_touching_an_index_on_postgresql(packed_market):
    """On PostgreSQL every row a re-score keeps is rewritten (its `kept_at`); with room left
    on its page (migration 0028) the new version goes there, and no index is written."""
    if connection.vendor != "postgresql":
        return  # SQLite updates a row in place: there is no room to leave
    counts = "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = %s"
    with connection.cursor() as cursor:
        cursor.execute(counts, [Match._meta.db_table])
        updated_before, in_place_before = cursor.fetchone()
        scoring.full_rescore_inline()
        cursor.execute(counts, [Match._meta.db_table])
        updated, in_place = cursor.fetchone()
    assert updated - updated_before >= 30 * 12
    assert in_place - in_place_before == updated - updated_before
