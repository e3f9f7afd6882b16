"""What every page of explained rows asks for and almost never changes, the programme's
weights (`matching.selectors.engine_weights`) and the offerings' approved enrolments
(`programme.selectors.approved_enrolments_kept`), is read again only when the database
may have changed (#26). Never stale: a change committed on another connection shows at
the next read.

These tests commit (`transaction=True`): inside a test's transaction there is no marker
and every read goes to the database."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matchmaker.matching.selectors import engine_weights
from matchmaker.models import EngineSettings
from matchmaker.programme.models import Enrolment
from matchmaker.programme.selectors import approved_enrolments_kept
from tests.conftest import committed_elsewhere
from tests.matchmaker.programme.helpers import enrol, scene

pytestmark = pytest.mark.django_db(transaction=True)


def reads_of(table: str, queries) -> int:
    return sum(f'FROM "{table}"' in q["sql"] for q in queries.captured_queries)


def test_the_weights_are_read_once_until_another_connection_changes_them():
    EngineSettings.current()  # (the row made: as on any database that has served)
    engine_weights()
    with CaptureQueriesContext(connection) as unchanged:
        weights = engine_weights()
    assert reads_of(EngineSettings._meta.db_table, unchanged) == 0
    weights["trl"] = -1.0  # the caller's own copy
    assert engine_weights()["trl"] != -1.0

    def heavier_trl():
        settings = EngineSettings.current()
        settings.weights = {**settings.weights, "trl": 9.0}
        settings.save()

    committed_elsewhere(heavier_trl)
    assert engine_weights()["trl"] == 9.0


def test_an_enrolment_approved_on_another_connection_shows_at_once():
    s = scene()
    assert approved_enrolments_kept([s.loan.pk]) == []
    with CaptureQueriesContext(connection) as unchanged:
        assert approved_enrolments_kept([s.loan.pk]) == []
    assert reads_of(Enrolment._meta.db_table, unchanged) == 0

    committed_elsewhere(lambda: enrol(s, covered_trl_min=6))
    (enrolment,) = approved_enrolments_kept([s.loan.pk])
    assert enrolment.covered_trl_min == 6 and enrolment.tool == s.tool
    assert approved_enrolments_kept([s.loan.pk + 1000]) == []  # another offering's: none
