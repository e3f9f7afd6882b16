"""The access log's "once per window" holds when one person's page loads race."""

import contextlib
import threading

import pytest
from django.db import connection

from matchmaker.models import AccessLog
from matchmaker.review.access import access_record_view
from tests.factories import InstitutionMemberFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_views_by_one_person_log_one_line(monkeypatch):
    """Both requests are held just before writing: looked at separately (exists, then
    create) both would write; serialised, the second sees the first's line."""
    member = InstitutionMemberFactory()
    project = ProjectFactory()
    both_checked = threading.Barrier(2, timeout=2)
    create = AccessLog.objects.create

    def create_when_both_checked(**fields):
        # Broken barrier: the other request is waiting for our lock, so write alone.
        with contextlib.suppress(threading.BrokenBarrierError):
            both_checked.wait()
        return create(**fields)

    monkeypatch.setattr(AccessLog.objects, "create", create_when_both_checked)
    results = []

    def view():
        try:
            results.append(
                access_record_view(institution=member.institution, project=project, by=member.user)
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=view) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == [False, True]
    assert AccessLog.objects.filter(kind=AccessLog.Kind.VIEW, project=project).count() == 1
