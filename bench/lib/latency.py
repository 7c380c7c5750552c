"""Latency at concurrency 1: what one reader waits for a page when the server is not busy."""

from __future__ import annotations

import http.client
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field

from bench.lib.client import Cookies, request_headers


@dataclass(frozen=True)
class LatencyResult:
    requests: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    statuses: Counter[int] = field(default_factory=Counter)
    # gunicorn's sync worker closes every connection, so its figures include a TCP connect
    # each time; a server that keeps connections alive opens one.
    connections_opened: int = 0

    @property
    def all_ok(self) -> bool:
        return all(200 <= status < 300 for status in self.statuses)


def measure_latency(
    host: str,
    port: int,
    path: str,
    *,
    requests: int = 300,
    warmup: int = 50,
    cookies: Cookies | None = None,
) -> LatencyResult:
    """Send `warmup` then `requests` GETs one after another over one keep-alive connection.

    The warm-up requests fill the server's caches (templates, URL resolvers, translations)
    and are not counted.
    """
    connection = http.client.HTTPConnection(host, port, timeout=30)
    headers = request_headers(cookies)
    try:
        for _ in range(warmup):
            _timed_get(connection, path, headers)
        samples, statuses, opened = [], Counter(), 0
        for _ in range(requests):
            opened += connection.sock is None  # http.client reconnects after a close
            seconds, status = _timed_get(connection, path, headers)
            samples.append(seconds * 1000)
            statuses[status] += 1
    finally:
        connection.close()
    return _summarise(samples, statuses, opened)


def _timed_get(
    connection: http.client.HTTPConnection, path: str, headers: dict[str, str]
) -> tuple[float, int]:
    started = time.perf_counter()
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()  # the whole body: the reader waits for it, not only for the headers
    return time.perf_counter() - started, response.status


def _summarise(samples: list[float], statuses: Counter[int], opened: int) -> LatencyResult:
    if len(samples) < 2:
        raise ValueError("latency needs at least 2 requests for percentiles")
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return LatencyResult(
        requests=len(samples),
        p50_ms=cuts[49],
        p95_ms=cuts[94],
        p99_ms=cuts[98],
        mean_ms=statistics.fmean(samples),
        statuses=statuses,
        connections_opened=opened,
    )
