"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache
operation, and each one fills its table of some 170 response callbacks: on the match list
page, with its cards and lists kept in Redis, that was 1.4 ms of CPU a request (2.0 of
46.6 s over 1,400 differing requests, `listcost --profile page` on PostgreSQL + Redis), a
tenth of the page. A `redis.Redis` is safe to share between threads (each command takes a
connection from the pool) and its pool reconnects after a fork, so keeping one per pool
changes nothing else.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class KeptClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class KeptClientRedisCache(RedisCache):
    """`CACHES` backend for `CACHE_URL=redis://…` (`matchmaker.settings`)."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient
