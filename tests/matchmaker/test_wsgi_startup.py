"""A served web process keeps what it loaded at startup out of the garbage collector's
reach (`matchmaker.wsgi.freeze_startup_objects`): walking those objects on every full
collection was a ~200 ms pause every 60-70 uncached list requests, the lists' p99."""

import gc

from django.conf import settings
from django.urls import clear_url_caches, get_resolver


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
