"""The addresses of named pages that take no arguments, reversed once per URL
configuration: a page asked `reverse` for the same dozen and a half names on every request
(the navigation bar, the second factor's open pages)."""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse


def addresses_of(names: tuple[str, ...]) -> dict[str, str]:
    """Each name's address, keyed by the name with ":" written "_" (as a template reads a
    key: `nav.institution_match_list`)."""
    return _reversed(names, get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=32)
def _reversed(names: tuple[str, ...], _prefix: str, _urlconf) -> dict[str, str]:
    # (the prefix and the URL configuration: what `reverse` depends on, so the key)
    return {name.replace(":", "_"): reverse(name) for name in names}


@receiver(setting_changed)
def _forgotten(*, setting: str, **_kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()
