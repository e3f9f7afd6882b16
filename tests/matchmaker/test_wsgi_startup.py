"""A served web process keeps what it loaded at startup out of the garbage collector's
reach (`matchmaker.wsgi.freeze_startup_objects`): walking those objects on every full
collection was a ~200 ms pause every 60-70 uncached list requests, the lists' p99."""

import gc

import pytest
from django.conf import settings
from django.urls import clear_url_caches, get_resolver


@pytest.mark.django_db
def test_loading_the_wsgi_application_freezes_the_startup_objects():
    import matchmaker.wsgi

    try:
        assert gc.get_freeze_count() > 10_000
        gc.unfreeze()
        assert gc.get_freeze_count() == 0
        clear_url_caches()  # (a resolver no earlier test has used)
        matchmaker.wsgi.freeze_startup_objects()
        assert gc.get_freeze_count() > 10_000
        # the URL patterns (every view module) are loaded before the freeze
        assert "url_patterns" in vars(get_resolver())
        # and the reverse lookups of each language: a worker's first request builds none
        built = set(get_resolver()._reverse_dict)
        assert {code for code, _name in settings.LANGUAGES} <= built
    finally:
        gc.unfreeze()


@pytest.mark.django_db
def test_a_started_web_process_keeps_every_submitted_project_whole():
    import matchmaker.wsgi
    from matchmaker.review import kept_projects
    from projects.models import ProjectStatus
    from tests.factories import ProjectFactory

    submitted = ProjectFactory(title="Kept at start")
    draft = ProjectFactory(status=ProjectStatus.DRAFT)
    matchmaker.wsgi.warm_kept_projects()
    assert submitted.pk in kept_projects._kept.facts
    assert kept_projects._kept.facts[submitted.pk].project.title == "Kept at start"
    assert kept_projects._kept.facts[submitted.pk].whole.title == "Kept at start"
    assert draft.pk not in kept_projects._kept.facts


def test_a_database_that_does_not_answer_at_start_is_no_reason_not_to_serve(monkeypatch):
    from unittest.mock import Mock

    from django.db import OperationalError

    import matchmaker.wsgi
    from matchmaker.review import kept_projects

    def refused():
        raise OperationalError("connection refused")

    monkeypatch.setattr(kept_projects, "warm_kept_projects", refused)
    # (the module's logger, whatever an earlier test made of logging's configuration)
    logger = Mock()
    monkeypatch.setattr(matchmaker.wsgi, "logger", logger)
    matchmaker.wsgi.warm_kept_projects()  # no exception: the worker starts
    (message, *_args), _options = logger.warning.call_args
    assert "the projects were not read at start" in message
