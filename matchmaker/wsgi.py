import gc
import logging
import os
from contextlib import suppress
from pathlib import Path

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchmaker.settings")
application = get_wsgi_application()
logger = logging.getLogger(__name__)


def freeze_startup_objects() -> None:
    """Load what every worker needs (the URL patterns and reverse lookups in each
    language, the compiled templates, the submitted projects), then move everything
    loaded so far out of the garbage collector's reach: it lives as long as the process.
    Otherwise each full collection walks it all, ~200 ms CPU at the benchmark's size,
    once every 60-70 uncached list requests: that pause was the lists' p99 (#26)."""
    build_lookups()
    compile_templates()
    warm_kept_projects()
    gc.collect()
    gc.freeze()


def build_lookups() -> None:
    """Every view module imported, and the addresses each language reverses to, with its
    translations: built on a worker's first request otherwise (≈ 25 ms CPU of it, #26
    fourteenth pass), each namespace's too (≈ 15 ms of the match list's first request,
    #26 twenty-third pass)."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 (imports every view module now, not on a request)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            reverse_lookups(resolver)


def reverse_lookups(resolver, namespace: str = "") -> None:
    """Build the resolver's reverse lookups in the active language, and each of its
    namespaces' (each is built on its first `reverse` otherwise, and so is the resolver
    `reverse` makes for a namespace's prefix: one reverse in each builds it)."""
    from django.urls import NoReverseMatch, reverse

    name = next((name for name in resolver.reverse_dict if isinstance(name, str)), None)
    if namespace and name:
        # (a name that takes arguments: the lookups are built all the same)
        with suppress(NoReverseMatch):
            reverse(f"{namespace}:{name}")
    for inner, (_prefix, included) in resolver.namespace_dict.items():
        reverse_lookups(included, f"{namespace}:{inner}" if namespace else inner)


def compile_templates() -> None:
    """Every template of ours, compiled now and kept by the cached loader: each page's
    first request in a worker compiled its templates otherwise (the match list's, ≈ 40 ms
    of that request at the benchmark's size; 71 templates in ≈ 80 ms here, #26)."""
    from django.forms.renderers import get_default_renderer
    from django.template import TemplateSyntaxError, engines

    for engine in engines.all():
        for name in _our_template_names(engine):
            try:
                engine.get_template(name)
            except TemplateSyntaxError:  # its page answers what it always would
                logger.warning("template %s did not compile", name, exc_info=True)
    # the form widgets' (`settings.FORM_RENDERER`, Jinja2: ≈ 20 ms of the list's first
    # request, its filter form)
    environment = get_default_renderer().engine.env
    for name in environment.list_templates():
        environment.get_template(name)


def _our_template_names(engine) -> list[str]:
    """The names of the templates in the engine's own folders (not the installed apps')."""
    return [
        path.relative_to(folder).as_posix()
        for folder in engine.dirs
        for path in sorted(Path(folder).rglob("*.html"))
    ]


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
