"""Dependency checks behind /healthz.

Each check answers within a couple of seconds even when its service hangs, and says whether
Serambi can serve without it (DESIGN.md, failure model): only the database is required; without
Redis, live updates pause and the cache misses; without Elasticsearch, search falls back to the
database.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from config.discovery import app_modules

TIMEOUT_SECONDS = 2.0


@dataclass
class CheckResult:
    name: str
    ok: bool
    required: bool
    backend: str
    milliseconds: float = 0.0
    error: str = ""
    details: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        data = {
            "ok": self.ok,
            "required": self.required,
            "backend": self.backend,
            "ms": round(self.milliseconds, 1),
        }
        if self.error:
            data["error"] = self.error
        data.update(self.details)
        return data


def run_check(
    name: str, *, required: bool, backend: str, probe: Callable[[], dict | None]
) -> CheckResult:
    """Run one probe, timing it and turning any failure into a readable error."""
    started = time.perf_counter()
    try:
        details = probe() or {}
        ok, error = True, ""
    except Exception as exc:
        details, ok, error = {}, False, f"{type(exc).__name__}: {exc}"[:300]
    elapsed = (time.perf_counter() - started) * 1000
    return CheckResult(name, ok, required, backend, elapsed, error, details)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    if hasattr(cache, "ping"):  # Redis (config.cache), which otherwise answers from memory
        cache.ping()
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise ConnectionError("the cache did not return what was just stored")
    cache.delete(key)


async def _channel_layer_roundtrip() -> None:
    layer = get_channel_layer()
    channel = await layer.new_channel("healthz.")
    await layer.send(channel, {"type": "healthz.ping"})
    message = await layer.receive(channel)
    if message.get("type") != "healthz.ping":
        raise ConnectionError("the channel layer returned a different message")


def _channel_layer() -> None:
    async def bounded() -> None:
        await asyncio.wait_for(_channel_layer_roundtrip(), TIMEOUT_SECONDS)

    async_to_sync(bounded)()


def _backend_name(setting: dict) -> str:
    return setting["BACKEND"].rsplit(".", 1)[-1]


def run_all() -> list[CheckResult]:
    results = [
        run_check("database", required=True, backend=connection.vendor, probe=_database),
        run_check(
            "cache",
            required=False,
            backend=_backend_name(settings.CACHES["default"]),
            probe=_cache,
        ),
        run_check(
            "channel_layer",
            required=False,
            backend=_backend_name(settings.CHANNEL_LAYERS["default"]),
            probe=_channel_layer,
        ),
    ]
    # Apps add their own checks (search: its backend).
    for module in app_modules("health"):
        results.extend(module.checks())
    return results
