import gc
import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchmaker.settings")
application = get_wsgi_application()
logger = logging.getLogger(__name__)


def freeze_startup_objects() -> None:
    """Move everything loaded so far (Django, the apps, their URL patterns and reverse
    lookups in each language) out of the garbage collector's reach: they live as long as
    the process. Otherwise each full collection walks them all, ~200 ms CPU at the
    benchmark's size, once every 60-70 uncached list requests: that pause was the lists'
    p99 (issue #26)."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 (imports every view module now, not on a request)
    # The addresses each language reverses to, and its translations: built on a worker's
    # first request otherwise (≈ 25 ms CPU of it, #26 fourteenth pass).
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            resolver.reverse_dict  # noqa: B018
    warm_kept_projects()
    gc.collect()
    gc.freeze()


def warm_kept_projects() -> None:
    """The submitted projects whole, for the match list's cards and the API's rows, read
    once now (`review.kept_projects`: the benchmark's 10,000 projects and their needs in
    ≈ 1.3 s of a worker's start on PostgreSQL and ≈ 70 MB, instead of a read for each
    page that first shows some). A database that does not answer yet is no reason not to
    serve: the pages then read what they show."""
    from django.db import DatabaseError

    from matchmaker.review.kept_projects import warm_kept_projects as warm

    try:
        warm()
    except DatabaseError:
        logger.warning("the projects were not read at start", exc_info=True)


# each gunicorn worker imports this module once, before its first request
freeze_startup_objects()
