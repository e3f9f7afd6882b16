"""The Redis cache keeps one client per connection pool (`matchmaker.redis_cache`).

Neither test needs a Redis server: a client connects on its first command."""

import os

import pytest
import redis
from django.core.cache.backends.redis import RedisCache

from matchmaker.redis_cache import KeptClientRedisCache

LOCATION = "redis://127.0.0.1:6379/13"


def test_every_cache_operation_shares_one_client_per_pool():
    cache = KeptClientRedisCache(LOCATION, {})
    first = cache._cache.get_client("a")
    assert cache._cache.get_client("b") is first
    assert cache._cache.get_client("c", write=True) is first  # one server: one pool
    assert first.connection_pool is cache._cache._get_connection_pool(write=False)


def test_each_server_of_a_replicated_cache_keeps_its_own_client():
    cache = KeptClientRedisCache(f"{LOCATION},redis://127.0.0.1:6380/13", {})
    writer = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is writer
    assert writer.connection_pool.connection_kwargs["port"] == 6379  # the first is written


def test_djangos_own_backend_builds_a_client_per_call():
    """Why ours exists: each of these builds its table of response callbacks again."""
    cache = RedisCache(LOCATION, {})
    assert cache._cache.get_client("a") is not cache._cache.get_client("a")


def test_a_value_goes_through_redis_and_back_on_the_kept_client():
    """Against the machine's Redis where one answers (on CI it must)."""
    cache = KeptClientRedisCache(LOCATION, {})
    try:
        cache.set("kept-client-probe", {"rows": [1, 2]}, 30)
    except redis.exceptions.ConnectionError:
        if os.environ.get("MATCHMAKER_REQUIRE_SERVICES"):
            raise
        pytest.skip("no Redis on 127.0.0.1:6379 (CI runs this with one)")
    client = cache._cache.get_client()
    assert cache.get("kept-client-probe") == {"rows": [1, 2]}
    cache.delete("kept-client-probe")
    assert cache.get("kept-client-probe") is None
    assert cache._cache.get_client() is client
