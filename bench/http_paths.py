"""WSGI under gunicorn vs ASGI under Daphne, serving the same page.

Production serves pages through config/wsgi.py under gunicorn and only websockets through
Daphne, because one sync worker serves several times the requests per second of one Daphne
process. This script checks that on the current code: Serambi's home page as a visitor (no
SQL queries) through each server, its latency at concurrency 1, its requests per second at
concurrency C, and its size. /healthz gets latency only, to keep the run under a minute.

    .venv/bin/python bench/http_paths.py [--seconds 10] [--concurrency 16] [--requests 300]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a file, bench/ is on sys.path but the repository is not
    sys.path.insert(0, str(ROOT))

from bench.lib import django_site, report, script  # noqa: E402
from bench.lib.latency import LatencyResult, measure_latency  # noqa: E402
from bench.lib.load import LoadResult, ensure_wrk, measure_load  # noqa: E402
from bench.lib.pages import PageSize, page_size  # noqa: E402
from bench.lib.server import (  # noqa: E402
    Server,
    Site,
    daphne,
    gunicorn,
    prepared_site,
)

PAGE = "/"
PROBE = "/healthz"

ServerFactory = Callable[[Site], AbstractContextManager[Server]]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10, help="load duration per server")
    parser.add_argument("--concurrency", type=int, default=16, help="connections under load")
    parser.add_argument("--requests", type=int, default=300, help="requests at concurrency 1")
    parser.add_argument("--warmup", type=int, default=50, help="uncounted requests first")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn sync workers")
    parser.add_argument("--database-url", help="default: a throwaway SQLite file")
    parser.add_argument(
        "--gunicorn-config",
        metavar="PATH",
        help="e.g. deploy/gunicorn.conf.py for production's access log and worker recycling",
    )
    return parser.parse_args(argv)


@dataclass(frozen=True)
class ServerFigures:
    server: str
    page: LatencyResult
    probe: LatencyResult
    size: PageSize
    load: LoadResult


def measure_server(server: Server, args: argparse.Namespace) -> ServerFigures:
    """Everything this script reports for one running server."""
    host, port = server.host, server.port
    report.step(f"latency at concurrency 1: {args.requests} requests after {args.warmup} warm-up")
    page = measure_latency(host, port, PAGE, requests=args.requests, warmup=args.warmup)
    probe = measure_latency(host, port, PROBE, requests=args.requests, warmup=args.warmup)
    size = page_size(host, port, PAGE)
    report.step(f"throughput: {args.concurrency} connections for {args.seconds:g} s on {PAGE}")
    load = measure_load(host, port, PAGE, concurrency=args.concurrency, seconds=args.seconds)
    report.detail(f"{report.number(load.requests_per_second)} requests/s with {load.tool}")
    return ServerFigures(server.label, page, probe, size, load)


def errors(latency: LatencyResult, load: LoadResult | None = None) -> str:
    """Anything but 2xx, from both phases; a page that fails fast must not look fast."""
    non_2xx = sum(n for status, n in latency.statuses.items() if not 200 <= status < 300)
    non_2xx += load.non_2xx if load else 0
    socket_errors = load.socket_errors if load else 0
    parts = []
    if non_2xx:
        parts.append(f"{non_2xx} non-2xx")
    if socket_errors:
        parts.append(f"{socket_errors} socket")
    return ", ".join(parts) or "0"


def rows(figures: ServerFigures, queries: int) -> list[list[str]]:
    page, probe, load, size = figures.page, figures.probe, figures.load, figures.size
    return [
        [figures.server, PAGE, ms(page.p50_ms), ms(page.p95_ms),
         report.number(load.requests_per_second), errors(page, load),
         report.number(size.raw_bytes), report.number(size.gzip_bytes), str(queries)],
        [figures.server, PROBE, ms(probe.p50_ms), ms(probe.p95_ms), "-", errors(probe),
         "", "", ""],
    ]  # fmt: skip


def ms(value: float) -> str:
    return report.number(value, 1)


def conclusion(wsgi: ServerFigures, asgi: ServerFigures) -> str:
    """The ratio, and what it means per request: the server time the ASGI path adds."""
    wsgi_rps = wsgi.load.requests_per_second
    asgi_rps = asgi.load.requests_per_second
    if not asgi_rps or not wsgi_rps:
        return "no conclusion: a server served no requests under load"
    extra_ms = 1000 / asgi_rps - 1000 / wsgi_rps
    return (
        f"{wsgi.server} serves {PAGE} at {wsgi_rps / asgi_rps:.1f}x the rate of "
        f"{asgi.server} ({report.number(wsgi_rps)} vs {report.number(asgi_rps)} req/s); "
        f"the ASGI path costs about {extra_ms:.1f} ms more per request."
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    busy = report.warn_if_busy()
    ensure_wrk()
    servers: list[ServerFactory] = [
        lambda site: gunicorn(site, workers=args.workers, config=args.gunicorn_config),
        daphne,
    ]
    with prepared_site(args.database_url) as site:
        django_site.setup_django(site)
        queries = django_site.query_count(PAGE)
        report.detail(f"{PAGE} as a visitor: HTTP {queries.status}, {queries.queries} SQL queries")
        results = []
        for start in servers:
            with start(site) as server:
                results.append(measure_server(server, args))
    print_summary(results, queries.queries, args, busy, time.monotonic() - started)
    return 0


def print_summary(
    results: list[ServerFigures],
    queries: int,
    args: argparse.Namespace,
    busy: float | None,
    elapsed: float,
) -> None:
    headers = ["server", "path", "p50 ms", "p95 ms", f"req/s c={args.concurrency}", "errors",
               "bytes", "gzip", "SQL"]  # fmt: skip
    body = [row for result in results for row in rows(result, queries)]
    tool = results[0].load.tool
    report.step(f"summary ({report.machine_line()})")
    print()
    print(report.table(headers, body, align="llrrrrrrr"))
    print()
    print(
        f"latency: {args.requests} sequential requests, one client; req/s: {tool}, "
        f"{args.concurrency} connections, {args.seconds:g} s; visitor, no cookies"
    )
    print(conclusion(results[0], results[-1]))
    saved = report.save_results(
        "http_paths",
        {"args": vars(args), "cpu_busy_percent_before": busy, "results": results},
    )
    report.step(f"done in {elapsed:.0f} s; figures saved to {saved.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(script.run(main))
