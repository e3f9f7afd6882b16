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


@pytest.fixture
def started_worker(monkeypatch):
    """A worker's start from nothing: no template compiled, no address looked up, then
    what `matchmaker.wsgi` builds before the first request; counts what requests then
    compile or build (Django's templates, the form widgets' Jinja2 ones, URL lookups)."""
    import jinja2
    from django.forms.renderers import get_default_renderer
    from django.template import Template, engines
    from django.urls.resolvers import URLResolver

    import matchmaker.wsgi

    for engine in engines.all():
        for loader in engine.engine.template_loaders:
            loader.reset()
    get_default_renderer().engine.env.cache.clear()
    clear_url_caches()
    matchmaker.wsgi.build_lookups()
    matchmaker.wsgi.compile_templates()
    built = []

    def counted(name, original):
        def call(*args, **kwargs):
            built.append(name)
            return original(*args, **kwargs)

        return call

    monkeypatch.setattr(
        Template, "compile_nodelist", counted("template", Template.compile_nodelist)
    )
    monkeypatch.setattr(jinja2.Environment, "_parse", counted("widget", jinja2.Environment._parse))
    monkeypatch.setattr(URLResolver, "_populate", counted("addresses", URLResolver._populate))
    return built


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_started_worker_builds_no_template_or_address_for_its_first_pages(
    started_worker, language
):
    """`compile_templates` and `build_lookups`: the match list's first request in a worker
    compiled its templates and its filter form's widgets and built its namespaces'
    addresses (≈ 75 ms at the benchmark's size, the first second's queue of every
    restart)."""
    from matchmaker.matching import scoring
    from tests.conftest import logged_in_client
    from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory

    member = InstitutionMemberFactory()
    OfferingFactory(institution=member.institution)
    scoring.score_project(ProjectFactory().pk)
    client = logged_in_client(member.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    started_worker.clear()  # (the log-in's)
    for address in ("/institution/matches/", "/institution/pipeline/", "/notifications/"):
        page = client.get(address)
        assert page.status_code == 200, address
    assert b"card match-group" in client.get("/institution/matches/").content
    assert started_worker == []
