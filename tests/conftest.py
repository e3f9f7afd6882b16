import os
import threading
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models.signals import post_migrate
from django.test import Client, override_settings
from django.urls.resolvers import URLResolver
from hypothesis import Phase
from hypothesis import settings as hypothesis_settings
from pytest_django.live_server_helper import LiveServer

from matchmaker.celery import app as celery_app
from tests.factories import (
    PASSWORD,
    FirmMemberFactory,
    InstitutionMemberFactory,
)

# Hypothesis: CI runs a fixed, derandomised set of examples (the same every run, so a red
# run can be repeated), with more examples than a test's own default so the edges are
# reached; no run relies on examples saved by an earlier one. Locally the examples vary
# from run to run (finding new cases), still without the example database.
hypothesis_settings.register_profile(
    "ci", derandomize=True, database=None, max_examples=300, deadline=None, print_blob=True
)
hypothesis_settings.register_profile("dev", database=None, deadline=None)
# `make mutate` (matchmaker/devtools/mutate.py) only: fixed examples too, but few of them
# and no shrinking (a mutant is killed by the first failing example; the smallest one is
# of no use there). tests/mutmut_fast_first.py holds the tests that name their own
# max_examples to this profile's as well. The edges are the hand-written tests' work.
hypothesis_settings.register_profile(
    "mutate",
    derandomize=True,
    database=None,
    max_examples=20,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)
HYPOTHESIS_PROFILE = os.environ.get(
    "HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") == "true" else "dev"
)
hypothesis_settings.load_profile(HYPOTHESIS_PROFILE)


def _mutant_under_test() -> bool:
    """True in the process mutmut forks to test one mutant (`make mutate` only)."""
    return bool(os.environ.get("MUTATE_OWN_DATABASE")) and "__mutmut_" in os.environ.get(
        "MUTANT_UNDER_TEST", ""
    )


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_blocker):
    """pytest-django's test database, except under `make mutate`, where each mutant's
    tests run on their own copy of it.

    The group's traced run made and migrated the database; a mutant's process copies it
    (SQLite's backup, a few milliseconds), so that two mutants tested side by side (one per
    core: MUTATE_CHILDREN) never share one file, where one's writes would hold up the
    other's tests or fail them with "database is locked", a kill the tests did not make.
    The copy goes when the session ends. (The choice is made here, at run time: mutmut
    forks each mutant's process from one that imported this module already.)
    """
    if not _mutant_under_test():
        request.getfixturevalue("django_db_setup")  # pytest-django's own
        yield
        return
    from django.db import connections
    from django.test.utils import setup_databases

    from matchmaker.devtools.mutate import copy_test_database

    connection = connections["default"]
    template = connection.settings_dict["TEST"]["NAME"]
    with django_db_blocker.unblock():
        if not Path(template).exists():  # no traced test made it: make it once
            setup_databases(verbosity=0, interactive=False, keepdb=True)
        copy = copy_test_database(template, os.getpid())
        connection.close()
        connection.settings_dict["NAME"] = copy  # the dict settings.DATABASES holds
    yield
    with django_db_blocker.unblock():
        connection.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)


@pytest.fixture(autouse=True, scope="session")
def _eager_celery():
    """Tasks run inline unless a test starts a real worker (tests/matchmaker/test_worker.py)."""
    celery_app.conf.update(task_always_eager=True, task_eager_propagates=True)
    yield


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Plain HTTP and unhashed static files for the test client; private files in tmp."""
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The office's second factor is on in production; tests of other things sign the
    # operator in with a password only (tests/matchmaker/accounts/test_two_factor.py
    # turns it on).
    settings.TWO_FACTOR_FOR_OFFICE = False


@pytest.fixture(scope="session")
def live_server(django_db_setup, django_db_blocker):
    """pytest-django's live server, started with plain HTTP: the server thread builds its
    middleware once, so the per-test settings fixture comes too late for SSL redirects."""
    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(SECURE_SSL_REDIRECT=False, SECURE_HSTS_SECONDS=0):
        from django.conf import settings

        with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain_static}):
            server = LiveServer("localhost")
            yield server
            server.stop()


def _empty_shared_cache(*, app_config, using: str, **_kwargs) -> None:
    """The throttles' counts (`settings.SHARED_CACHE`) in the database's cache table, which
    a transactional test's flush leaves (no model names it): emptied with the flush, which
    sends `post_migrate` (a rolled-back test takes its counts with it)."""
    from django.conf import settings
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    shared = caches[settings.SHARED_CACHE]
    if app_config.label == "matchmaker" and isinstance(shared, DatabaseCache):
        shared.clear()


post_migrate.connect(_empty_shared_cache, dispatch_uid="tests-empty-shared-cache")


def another_web_process() -> None:
    """What a request served by another web process finds: that process's own memory is
    not this one's. Where the default cache is each process's memory (the embedded
    default), what this process cached is forgotten; a shared one (Redis) is left."""
    from django.core.cache import cache, caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        cache.clear()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (cached lists are keyed by data, but a test's
    database is rolled back while the process's cache is not), and so do the cards'
    project facts the process keeps."""
    from django.core.cache import cache

    from matchmaker.review.kept_projects import forget_kept_projects

    cache.clear()
    forget_kept_projects()
    yield


@pytest.fixture
def firm_member(db):
    return FirmMemberFactory()


@pytest.fixture
def institution_member(db):
    return InstitutionMemberFactory()


@pytest.fixture
def operator_client(client, db):
    """The programme office: a superuser, so the admin's pages open too."""
    operator = get_user_model().objects.create_superuser("operator", "op@example.test", "pw")
    client.force_login(operator)
    return client


def committed_elsewhere(write) -> None:
    """`write` on another thread's own connection, committed there (tests that commit:
    what one connection remembers must follow another's writes)."""

    def run():
        try:
            write()
        finally:
            connections.close_all()  # that thread's own connection

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


def project_edited(title: str, new_title: str, needs: dict[str, int]):
    """The project of this title renamed and its needs set, through the service a firm's
    edit goes through (its stamp moves, its matches are re-scored)."""
    from projects.models import Project
    from projects.services import project_update

    project = Project.objects.get(title=title)
    project_update(project=project, by=None, fields={"title": new_title}, needs=needs)
    return project


def logged_in_client(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def firm_client(firm_member):
    return logged_in_client(firm_member.user)


@pytest.fixture
def institution_client(institution_member):
    return logged_in_client(institution_member.user)


@pytest.fixture(autouse=True)
def _no_language_left_active():
    """A Chinese request leaves Chinese active in the thread (LocaleMiddleware never
    resets it): each test starts from the default language again."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture
def reversed_addresses(monkeypatch) -> list[str]:
    """Every address `reverse` (and `{% url %}`) builds while the test runs, wherever it is
    called from (the URL resolver's own method is counted, not one module's import)."""
    built: list[str] = []
    real = URLResolver._reverse_with_prefix

    def counted(self, *args, **kwargs):
        address = real(self, *args, **kwargs)
        built.append(address)
        return address

    monkeypatch.setattr(URLResolver, "_reverse_with_prefix", counted)
    return built
