"""The Redis cache, and what Serambi does while Redis is away (DESIGN.md, failure model: pages,
sign-in and posting keep working).

django-redis can ignore connection errors (IGNORE_EXCEPTIONS), but every operation then answers
None: allauth's rate limits cannot take their lock and refuse every sign-in and password reset
(429), counters cannot count, and each operation waits for the socket timeout. Instead, while
Redis does not answer, this cache answers from this process's memory: limits still count (per
process), sessions fall back to the database (cached_db), and Redis is asked again every few
seconds. When it answers again, every key written or deleted meanwhile is dropped from Redis, so
that nothing stale comes back from before the outage (a session signed out meanwhile, a count
forgotten meanwhile). The outage and the recovery are logged once each.
"""

from __future__ import annotations

import logging
import socket
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OUTAGE = (RedisConnectionError, RedisTimeoutError, socket.timeout, ConnectionError)
RETRY_SECONDS = 5.0  # OPTIONS["RETRY_SECONDS"] changes it
# Keys touched during an outage, to drop from Redis when it returns; beyond this many, the rest
# may serve stale values until they expire.
MAX_TOUCHED_KEYS = 50_000

# The operations Django, allauth, sessions and Serambi use, and whether they write.
READS = ("get", "get_many", "has_key")
WRITES = ("set", "add", "delete", "set_many", "delete_many", "incr", "decr", "touch")


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict) -> None:
        options = {**params.get("OPTIONS", {}), "IGNORE_EXCEPTIONS": False}
        self._retry_seconds = float(options.pop("RETRY_SECONDS", RETRY_SECONDS))
        super().__init__(server, {**params, "OPTIONS": options})
        self._fallback = LocMemCache(f"redis-fallback-{id(self)}", {"MAX_ENTRIES": 10_000})
        self._state_lock = threading.Lock()
        self._down = False
        self._retry_at = 0.0
        self._touched: set[tuple[str, int | None]] = set()

    @property
    def is_down(self) -> bool:
        return self._down

    def ping(self) -> None:
        """Ask Redis itself (never the fallback); raises when it does not answer."""
        self.client.get_client(write=True).ping()

    # --- State ---------------------------------------------------------------------------------

    def _use_fallback(self) -> bool:
        if not self._down:
            return False
        if time.monotonic() < self._retry_at:
            return True
        with self._state_lock:
            if self._down and time.monotonic() >= self._retry_at:
                self._try_recover()
        return self._down

    def _went_down(self, error: Exception) -> None:
        with self._state_lock:
            self._retry_at = time.monotonic() + self._retry_seconds
            if not self._down:
                self._down = True
                logger.warning(
                    "Redis (REDIS_URL) does not answer (%s): the cache, rate limits and "
                    "sessions use this process's memory and the database until it does; "
                    "asking again every %d s.",
                    error,
                    self._retry_seconds,
                )

    def _try_recover(self) -> None:
        try:
            self.ping()
            touched = list(self._touched)
            for version in {v for _key, v in touched}:
                keys = [k for k, v in touched if v == version]
                for start in range(0, len(keys), 1000):
                    RedisCache.delete_many(self, keys[start : start + 1000], version=version)
        except OUTAGE:
            self._retry_at = time.monotonic() + self._retry_seconds
            return
        self._touched.clear()
        self._fallback.clear()
        self._down = False
        logger.warning(
            "Redis answers again: the cache is shared again (%d keys dropped).", len(touched)
        )

    def _remember(self, name: str, args: tuple, kwargs: dict) -> None:
        if name not in WRITES or not args or len(self._touched) >= MAX_TOUCHED_KEYS:
            return
        first, version = args[0], kwargs.get("version")
        keys = (
            first.keys()
            if isinstance(first, dict)
            else first
            if name.endswith("_many")
            else [first]
        )
        self._touched.update((key, version) for key in keys)

    def clear(self) -> None:
        # Django's cache.clear() would empty the whole Redis database: only our own keys go.
        self.delete_pattern("*")

    def delete_pattern(self, pattern: str, **kwargs) -> int:
        if self._use_fallback():
            self._fallback.clear()
            return 0
        try:
            return super().delete_pattern(pattern, **kwargs)
        except OUTAGE as error:
            self._went_down(error)
            self._fallback.clear()
            return 0


def _resilient(name: str):
    through_redis = getattr(RedisCache, name)

    def operation(self: ResilientRedisCache, *args, **kwargs):
        if not self._use_fallback():
            try:
                return through_redis(self, *args, **kwargs)
            except OUTAGE as error:
                self._went_down(error)
        self._remember(name, args, kwargs)
        for own in ("client", "ignore_key_check", "nx", "xx"):  # django-redis' own arguments
            kwargs.pop(own, None)
        return getattr(self._fallback, name)(*args, **kwargs)

    operation.__name__ = name
    operation.__doc__ = through_redis.__doc__
    return operation


for _name in READS + WRITES:
    setattr(ResilientRedisCache, _name, _resilient(_name))
