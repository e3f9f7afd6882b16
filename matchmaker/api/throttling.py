"""Throttles every web process counts together (`settings.SHARED_CACHE`): an anonymous
client's requests, and the scoped ones (log-in for a token, sign-up, objections). DRF's
own count in the default cache, which on the embedded default is each process's memory:
with two web processes a client had twice the rate."""

from django.conf import settings
from django.core.cache import caches
from django.utils.connection import ConnectionProxy
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, SimpleRateThrottle

shared_cache = ConnectionProxy(caches, settings.SHARED_CACHE)


class SharedAnonRateThrottle(AnonRateThrottle):
    cache = shared_cache


class SharedScopedRateThrottle(ScopedRateThrottle):
    cache = shared_cache


class SharedRateThrottle(SimpleRateThrottle):
    """A throttle of its own (a `scope` and a `rate`) counted in the shared cache."""

    cache = shared_cache
