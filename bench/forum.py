"""The forum's budget (DESIGN.md, Budgets), on a forum of 10,000 topics and 200,000 posts.

For the forum home, a category list (page 1 and its last page) and a topic with 100 replies
(page 1 and its last page), as a visitor and as a signed-in member who posted in that topic:
SQL queries, bytes raw and gzip, p50/p95 at concurrency 1 and requests/s at concurrency 16,
against gunicorn with 2 sync workers (the method the peers' figures were measured with); then
the topic page against the budget: Spirit's and django-machina's figures.

    .venv/bin/python bench/forum.py [--seconds 8] [--requests 200] [--pages topic,topic-last]
    .venv/bin/python bench/forum.py --database-url postgres://postgres@127.0.0.1:5432/serambi_bench
    .venv/bin/python bench/forum.py --profile     # where a topic page's time goes, in-process

The forum is built once (under a minute) and cached: a SQLite file in bench/results/, or the
PostgreSQL database itself; --rebuild builds it anew. See bench/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import hashlib
import io
import math
import os
import pstats
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Run as a file, bench/ comes first on sys.path, where this file would pass for the forum app
# ("import forum"); the repository goes there instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

from bench.lib import django_site, report, script  # noqa: E402
from bench.lib.client import fetch  # noqa: E402
from bench.lib.cpu import OtherWork  # noqa: E402
from bench.lib.latency import LatencyResult, measure_latency  # noqa: E402
from bench.lib.load import LoadResult, ensure_wrk, measure_load  # noqa: E402
from bench.lib.pages import GZIP_LEVEL  # noqa: E402
from bench.lib.server import HOST, ServerError, Site, gunicorn, prepared_site  # noqa: E402

GENERATOR = HERE / "forum_data.py"
CACHE_PREFIX = "forum-10k-"
MARKER = "serambi bench/forum.py"  # a PostgreSQL database this script made says so
PROTECTED_DATABASES = {"test", "postgres", "template0", "template1"}

PAGES = ("home", "category", "category-last", "topic", "topic-last")
TOPIC_PAGE = "topic"  # the page the budget is about

# The peers, measured the same way (2 worker processes, SQLite, a topic of 100 replies).
SPIRIT = {"queries": 7, "gzip": 6900, "posts": 20, "p50_ms": 21.0, "rps": 80}
MACHINA = {"queries": 15, "rps": 58}
HEAVY_PEERS = "Misago and Askbot: 17-20 KB gzip"
TARGETS = {
    "rps_visitor": 2 * SPIRIT["rps"],  # twice the fastest peer's rate
    "rps_member": SPIRIT["rps"],
    "queries": SPIRIT["queries"],
    "gzip_per_post": SPIRIT["gzip"] / SPIRIT["posts"],  # the lightest peer: ~345 B
    "p50_ms": SPIRIT["p50_ms"],
}

# Resources a page loads (not links it shows): they must all be our own.
RESOURCE_RE = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio|embed|object)\b[^>]*?"
    r"\b(?:src|href|data|srcset)=\"(?:https?:)?//([^/\"]+)",
    re.IGNORECASE,
)
NOISY_PERCENT = 10  # other work's CPU share above which a row's speed is not worth much
RETRY_PAUSE = 5  # seconds
POST_RE = re.compile(r'<article class="post[ "]')


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=8, help="load per page and reader")
    parser.add_argument("--concurrency", type=int, default=16, help="connections under load")
    parser.add_argument("--requests", type=int, default=200, help="requests at concurrency 1")
    parser.add_argument("--warmup", type=int, default=20, help="uncounted requests first")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument(
        "--retries",
        type=int,
        default=1,
        help=f"measure a page again when other work took over {NOISY_PERCENT}%% of the CPUs",
    )
    parser.add_argument(
        "--pages",
        default=",".join(PAGES),
        help=f"comma-separated subset of {','.join(PAGES)} (default: all)",
    )
    parser.add_argument("--rebuild", action="store_true", help="build the forum anew")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL database to create, fill and keep (e.g. "
        "postgres://postgres@127.0.0.1:5432/serambi_bench); default: SQLite",
    )
    parser.add_argument(
        "--drop-database", action="store_true", help="drop the PostgreSQL database at the end"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="no servers: profile the topic page in-process (where the time goes)",
    )
    args = parser.parse_args(argv)
    args.pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    unknown = set(args.pages) - set(PAGES)
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}; choose from {', '.join(PAGES)}")
    return args


# --- The forum's database ---------------------------------------------------------------------


def cache_key() -> str:
    """A hash of every migration and of the generator: when either changes, a new build."""
    digest = hashlib.sha256()
    for path in [*sorted(ROOT.glob("*/migrations/*.py")), GENERATOR]:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


@contextmanager
def forum_site(args: argparse.Namespace) -> Iterator[tuple[Site, object]]:
    """A site whose database holds the bench forum: from the cache, or built now."""
    key = cache_key()
    if args.database_url:
        with _postgres_site(args, key) as prepared:
            yield prepared
    else:
        with _sqlite_site(args, key) as prepared:
            yield prepared


@contextmanager
def _sqlite_site(args: argparse.Namespace, key: str) -> Iterator[tuple[Site, object]]:
    cached = report.RESULTS_DIR / f"{CACHE_PREFIX}{key}.sqlite3"
    workdir = Path(tempfile.mkdtemp(prefix="serambi-forum-"))
    database = workdir / "forum.sqlite3"  # a copy: the measurement writes (sessions, views)
    hit = cached.exists() and not args.rebuild
    try:
        if hit:
            report.step(f"using the cached forum {cached.relative_to(ROOT)}")
            shutil.copyfile(cached, database)
        with prepared_site(f"sqlite:///{database}") as site:
            django_site.setup_django(site)
            from bench import forum_data

            if not hit:
                _build(forum_data)
                _store_sqlite(database, cached)
            yield site, forum_data.landmarks()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _store_sqlite(database: Path, cached: Path) -> None:
    """Copy the built database into the cache (SQLite's backup API: consistent, WAL and all),
    and remove the caches of older schemas or generators."""
    report.RESULTS_DIR.mkdir(exist_ok=True)
    partial = cached.with_suffix(".partial")
    source, target = sqlite3.connect(database), sqlite3.connect(partial)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    partial.replace(cached)
    for old in report.RESULTS_DIR.glob(f"{CACHE_PREFIX}*"):  # with any -wal, -shm files
        if not old.name.startswith(cached.name):
            old.unlink()
    size = cached.stat().st_size / 1e6
    report.step(f"cached as {cached.relative_to(ROOT)} ({size:,.0f} MB); --rebuild to build anew")


@contextmanager
def _postgres_site(args: argparse.Namespace, key: str) -> Iterator[tuple[Site, object]]:
    """Create (or reuse) the database named in --database-url. It is dropped only when this
    script made it (its comment says so), never otherwise."""
    import psycopg
    from psycopg import sql

    url = urlsplit(args.database_url)
    if url.scheme not in ("postgres", "postgresql"):
        raise ServerError(f"--database-url: a postgres:// address, not {url.scheme}://")
    name = url.path.lstrip("/")
    if not name or name in PROTECTED_DATABASES:
        raise ServerError(f"--database-url: refusing to use the database {name!r}; name another")
    admin_url = url._replace(path="/postgres").geturl()
    marker = f"{MARKER} {key}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
        exists, comment = row is not None, (row[0] or "") if row else ""
        if exists and not comment.startswith(MARKER):
            raise ServerError(
                f"the database {name!r} exists and was not made by bench/forum.py; "
                "name another in --database-url"
            )
        hit = exists and comment == marker and not args.rebuild
        if exists and not hit:
            report.step(f"dropping the old bench database {name!r}")
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        if not hit:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            # Ours from the start: a build cut short is dropped by the next run, not refused.
            admin.execute(
                sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                    sql.Identifier(name), sql.Literal(f"{MARKER} (building)")
                )
            )
        else:
            report.step(f"using the bench database {name!r} built earlier")
    try:
        with prepared_site(args.database_url) as site:
            django_site.setup_django(site)
            from bench import forum_data

            if not hit:
                _build(forum_data)
                with psycopg.connect(admin_url, autocommit=True) as admin:
                    admin.execute(
                        sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                            sql.Identifier(name), sql.Literal(marker)
                        )
                    )
                report.step(f"kept the database {name!r} for the next run (--drop-database)")
            yield site, forum_data.landmarks()
    finally:
        if args.drop_database:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
            report.step(f"dropped the database {name!r}")


def _build(forum_data) -> None:
    report.step(
        f"building the forum: {report.number(forum_data.TOPICS)} topics, "
        f"{report.number(forum_data.POSTS)} posts (once; cached afterwards)"
    )
    stats = forum_data.build()
    forum_data.describe(stats)
    report.step(f"forum built in {stats.seconds['total']:.0f} s")


# --- Pages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    label: str
    positions: tuple[int, int] | None = None  # a topic page's posts (first, last position)


def pages_of(marks) -> dict[str, Page]:
    from django.urls import reverse

    from forum.models.topics import POSTS_PER_PAGE
    from forum.selectors import TOPICS_PER_PAGE, reply_pages

    category, topic = marks.category, marks.topic
    last_list = max(1, math.ceil(category.topic_count / TOPICS_PER_PAGE))
    last_topic = reply_pages(topic)
    first_of_last = (last_topic - 1) * POSTS_PER_PAGE + 2
    return {
        "home": Page("home", reverse("forum:home"), "forum home"),
        "category": Page("category", category.get_absolute_url(), "category, page 1"),
        "category-last": Page(
            "category-last",
            f"{category.get_absolute_url()}?page={last_list}",
            f"category, page {last_list} (last)",
        ),
        "topic": Page(
            "topic",
            topic.get_absolute_url(),
            "topic, page 1",
            (1, min(topic.last_position, POSTS_PER_PAGE + 1)),
        ),
        "topic-last": Page(
            "topic-last",
            f"{topic.get_absolute_url()}?page={last_topic}",
            f"topic, page {last_topic} (last)",
            (first_of_last, topic.last_position),
        ),
    }


@dataclass
class Figures:
    page: str
    who: str
    path: str
    status: int
    queries: int
    raw_bytes: int
    gzip_bytes: int
    posts: int
    body_gzip_bytes: int  # the posts' own HTML, gzip-compressed alone
    third_party_hosts: list[str]
    latency: LatencyResult | None = None
    load: LoadResult | None = None
    other_cpu_percent: float | None = None  # other work's share of the CPUs meanwhile
    sql: list[str] = field(default_factory=list)

    @property
    def gzip_per_post(self) -> float | None:
        return self.gzip_bytes / self.posts if self.posts else None

    @property
    def errors(self) -> int:
        bad = sum(n for s, n in self.latency.statuses.items() if not 200 <= s < 300)
        return bad + self.load.errors + (not 200 <= self.status < 300)


def count_queries(path: str, user) -> django_site.QueryCount:
    """The page's queries once warm: the first request fills per-process caches (the unread
    count) and records the reader's position, as the server's warm-up requests do."""
    django_site.query_count(path, user=user)
    return django_site.query_count(path, user=user)


def posts_html_gzip(marks, page: Page) -> int:
    if page.positions is None:
        return 0
    from forum.models import Post

    first, last = page.positions
    positions = {1, *range(max(2, first), last + 1)} if first == 1 else range(first, last + 1)
    html = Post.objects.filter(topic=marks.topic, position__in=list(positions)).values_list(
        "html", flat=True
    )
    return len(gzip.compress("".join(html).encode(), compresslevel=GZIP_LEVEL))


def measure_page(server, page: Page, who: str, cookies, user, marks, args) -> Figures:
    counted = count_queries(page.path, user)
    response = fetch(server.host, server.port, page.path, cookies=cookies)
    text = response.body.decode("utf-8", errors="replace")
    hosts = sorted(
        {h for h in RESOURCE_RE.findall(text) if h.split(":")[0] not in (HOST, "localhost")}
    )
    figures = Figures(
        page=page.name,
        who=who,
        path=page.path,
        status=response.status,
        queries=counted.queries,
        raw_bytes=len(response.body),
        gzip_bytes=len(gzip.compress(response.body, compresslevel=GZIP_LEVEL)),
        posts=len(POST_RE.findall(text)),
        body_gzip_bytes=posts_html_gzip(marks, page),
        third_party_hosts=hosts,
        sql=counted.sql,
    )
    if response.status != 200 or counted.status != 200:
        report.detail(
            f"{page.path} as a {who}: HTTP {response.status} (in-process {counted.status})"
        )
        if response.status >= 500:  # the traceback is in the server's log
            log = server.log_path.read_text(errors="replace").splitlines()[-25:]
            for line in log:
                report.detail(f"  | {line}")
    helpers = serving_commands(args)
    with OtherWork(server.process.pid, commands=helpers) as during_latency:
        figures.latency = measure_latency(
            server.host,
            server.port,
            page.path,
            requests=args.requests,
            warmup=args.warmup,
            cookies=cookies,
        )
    with OtherWork(server.process.pid, commands=helpers) as during_load:
        figures.load = measure_load(
            server.host,
            server.port,
            page.path,
            concurrency=args.concurrency,
            seconds=args.seconds,
            cookies=cookies,
        )
    shares = [p for p in (during_latency.percent, during_load.percent) if p is not None]
    figures.other_cpu_percent = max(shares) if shares else None
    report.detail(
        f"{page.label:<28} {who:<7} {figures.queries:>2} SQL  "
        f"{report.number(figures.gzip_bytes):>6} B gzip  "
        f"p50 {figures.latency.p50_ms:5.1f} ms  "
        f"{report.number(figures.load.requests_per_second):>5} req/s"
        + (f"  {figures.errors} errors" if figures.errors else "")
        + (f"  (other work: {figures.other_cpu_percent:.0f}% CPU)" if noisy(figures) else "")
    )
    return figures


def serving_commands(args) -> tuple[str, ...]:
    """Local servers whose CPU time is part of serving the pages, not other work."""
    local = ("127.0.0.1", "localhost", "::1", "")
    commands = []
    if args.database_url and (urlsplit(args.database_url).hostname or "") in local:
        commands.append("postgres")
    redis = os.environ.get("REDIS_URL")
    if redis and (urlsplit(redis).hostname or "") in local:
        commands.append("redis-server")
    return tuple(commands)


def measure_quietly(server, page: Page, who: str, cookies, user, marks, args) -> Figures:
    """measure_page, again (up to --retries times) while other work takes the CPUs; the
    least disturbed attempt is kept."""
    attempts = [measure_page(server, page, who, cookies, user, marks, args)]
    while noisy(attempts[-1]) and len(attempts) <= args.retries:
        report.detail(f"other work took the CPUs: measuring again in {RETRY_PAUSE} s")
        time.sleep(RETRY_PAUSE)
        attempts.append(measure_page(server, page, who, cookies, user, marks, args))
    return min(attempts, key=lambda figures: figures.other_cpu_percent or 0)


def noisy(figures: Figures) -> bool:
    return (figures.other_cpu_percent or 0) > NOISY_PERCENT


# --- Printing ---------------------------------------------------------------------------------


def ms(value: float) -> str:
    return report.number(value, 1)


def results_table(results: list[Figures], pages: dict[str, Page], args) -> str:
    headers = ["page", "reader", "HTTP", "SQL", "bytes", "gzip", "posts", "gzip/post", "p50 ms",
               "p95 ms", f"req/s c={args.concurrency}", "errors", "other CPU"]  # fmt: skip
    rows = [
        [
            pages[r.page].label,
            r.who,
            str(r.status),
            str(r.queries),
            report.number(r.raw_bytes),
            report.number(r.gzip_bytes),
            str(r.posts or ""),
            report.number(r.gzip_per_post) if r.gzip_per_post else "",
            ms(r.latency.p50_ms),
            ms(r.latency.p95_ms),
            report.number(r.load.requests_per_second),
            str(r.errors),
            _other(r),
        ]
        for r in results
    ]
    return report.table(headers, rows, align="llrrrrrrrrrrr")


def _other(figures: Figures) -> str:
    if figures.other_cpu_percent is None:
        return "?"
    return f"{figures.other_cpu_percent:.0f}%" + (" !" if noisy(figures) else "")


def budget_rows(results: list[Figures]) -> list[list[str]]:
    def find(who: str) -> Figures | None:
        return next((r for r in results if r.page == TOPIC_PAGE and r.who == who), None)

    def verdict(ok: bool) -> str:
        return "✓" if ok else "✗"

    rows = []
    visitor, member = find("visitor"), find("member")
    for reader, target, peer in (
        (visitor, TARGETS["rps_visitor"], f"2 × Spirit's {SPIRIT['rps']}"),
        (member, TARGETS["rps_member"], f"Spirit's {SPIRIT['rps']}"),
    ):
        if reader:
            rps = reader.load.requests_per_second
            ok = rps >= target and not reader.errors
            rows.append([f"req/s at c=16, {reader.who}", f"≥ {target} ({peer})",
                         report.number(rps), verdict(ok)])  # fmt: skip
    for reader in (visitor, member):
        if reader:
            ok = reader.queries <= TARGETS["queries"]
            rows.append([f"SQL queries, {reader.who}",
                         f"≤ {TARGETS['queries']} (Spirit; machina {MACHINA['queries']})",
                         str(reader.queries), verdict(ok)])  # fmt: skip
    for reader in (visitor, member):
        if reader and reader.gzip_per_post:
            ok = reader.gzip_per_post <= TARGETS["gzip_per_post"]
            measured = f"{reader.gzip_per_post:.0f} ({reader.posts} posts)"
            rows.append([f"gzip bytes per post, {reader.who}",
                         f"≤ {TARGETS['gzip_per_post']:.0f} (Spirit: 6.9 KB / 20)",
                         measured, verdict(ok)])  # fmt: skip
    for reader in (visitor, member):
        if reader:
            ok = reader.latency.p50_ms <= TARGETS["p50_ms"]
            rows.append([f"p50 at c=1, {reader.who}", f"≤ {TARGETS['p50_ms']:.0f} ms (Spirit)",
                         f"{reader.latency.p50_ms:.1f} ms", verdict(ok)])  # fmt: skip
    hosts = sorted({h for r in results for h in r.third_party_hosts})
    rows.append(["third-party hosts (all pages)", "none", ", ".join(hosts) or "none",
                 verdict(not hosts)])  # fmt: skip
    return rows


def print_summary(results, pages, marks, args, busy, elapsed, database) -> None:
    tool = results[0].load.tool if results else "-"
    report.step(f"summary ({report.machine_line()})")
    print()
    print(
        f"forum: {report.number(marks.topics)} topics, {report.number(marks.posts)} posts; "
        f"{database}; gunicorn, {args.workers} sync workers; topic: {marks.topic.reply_count} "
        f"replies; member: @{marks.member.username}; category: {marks.category.slug} "
        f"({report.number(marks.category.topic_count)} topics)"
    )
    print(
        f"latency: {args.requests} sequential requests after {args.warmup}; req/s: {tool}, "
        f"{args.concurrency} connections, {args.seconds:g} s; SQL: in-process, warm; "
        f"gzip: level {GZIP_LEVEL}"
    )
    print()
    print(results_table(results, pages, args))
    topic_rows = [r for r in results if r.posts]
    if topic_rows:
        print()
        for r in topic_rows:
            chrome = (r.gzip_bytes - r.body_gzip_bytes) / r.posts
            print(
                f"{pages[r.page].label}, {r.who}: {r.gzip_per_post:.0f} B gzip per post = "
                f"the posts' own HTML {r.body_gzip_bytes / r.posts:.0f} B "
                f"(gzip of their bodies alone) + page and post markup {chrome:.0f} B"
            )
    rows = budget_rows(results)
    if any(r.page == TOPIC_PAGE for r in results):
        print()
        print(f"budget: topic page 1 ({marks.topic.reply_count} replies), DESIGN.md")
        print(report.table(["figure", "target", "Serambi", ""], rows, align="llrl"))
        print(
            f"peers: Spirit {SPIRIT['queries']} queries, 6.9 KB gzip for {SPIRIT['posts']} posts, "
            f"p50 {SPIRIT['p50_ms']:.0f} ms, {SPIRIT['rps']} req/s; django-machina "
            f"{MACHINA['rps']} req/s, {MACHINA['queries']} queries; {HEAVY_PEERS}"
        )
    if any(noisy(r) for r in results):
        print()
        print(
            f"!: other processes took more than {NOISY_PERCENT}% of the CPUs while this row was "
            "measured (a test run, a build): its speed is low and noisy; measure again when idle"
        )
    failed = [r for r in results if r.errors]
    if failed:
        print()
        for r in failed:
            print(f"errors: {r.path} as a {r.who}: HTTP {r.status}, {r.errors} failed requests")
    saved = report.save_results(
        "forum",
        {
            "args": vars(args),
            "database": database,
            "cpu_busy_percent_before": busy,
            "targets": TARGETS,
            "results": results,
            "budget": rows,
        },
    )
    report.step(f"done in {elapsed:.0f} s; figures saved to {saved.relative_to(ROOT)}")


# --- Profile ----------------------------------------------------------------------------------


@dataclass
class _Clock:
    sql: float = 0.0  # SQLCompiler.execute_sql: compile, run, fetch the rows
    compile: float = 0.0  # SQLCompiler.as_sql: building the SQL string
    render_sql: float = 0.0  # queries run while a template renders (lazy ones)
    reverse: float = 0.0
    reverses: int = 0
    templates: Counter = field(default_factory=Counter)  # own time, by template
    renders: Counter = field(default_factory=Counter)
    sql_depth: int = 0
    compile_depth: int = 0
    stack: list[float] = field(default_factory=list)  # children's time, per open template


@contextmanager
def _timed(clock: _Clock) -> Iterator[None]:
    """Time ORM queries, SQL compilation, each template's own rendering and URL reversing, by
    wrapping their entry points for the duration."""
    import django.urls
    from django.db.models.sql.compiler import SQLCompiler
    from django.template.base import Template

    original_sql, original_compile = SQLCompiler.execute_sql, SQLCompiler.as_sql
    original_render, original_reverse = Template._render, django.urls.reverse

    def execute_sql(self, *args, **kwargs):
        clock.sql_depth += 1
        started = time.perf_counter()
        try:
            return original_sql(self, *args, **kwargs)
        finally:
            clock.sql_depth -= 1
            if not clock.sql_depth:
                spent = time.perf_counter() - started
                clock.sql += spent
                clock.render_sql += spent if clock.stack else 0
                if clock.stack:  # not the template's own time
                    clock.stack[-1] += spent

    def as_sql(self, *args, **kwargs):
        clock.compile_depth += 1
        started = time.perf_counter()
        try:
            return original_compile(self, *args, **kwargs)
        finally:
            clock.compile_depth -= 1
            if not clock.compile_depth:
                clock.compile += time.perf_counter() - started

    def render(self, context):
        name = self.origin.template_name if self.origin else "(string)"
        clock.stack.append(0.0)
        started = time.perf_counter()
        try:
            return original_render(self, context)
        finally:
            spent = time.perf_counter() - started
            children = clock.stack.pop()
            clock.templates[name] += spent - children
            clock.renders[name] += 1
            if clock.stack:
                clock.stack[-1] += spent

    def reverse(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original_reverse(*args, **kwargs)
        finally:
            clock.reverse += time.perf_counter() - started
            clock.reverses += 1

    # `from django.urls import reverse` copies the function into each module: rebind them all.
    rebound = [
        m for m in list(sys.modules.values()) if getattr(m, "reverse", None) is original_reverse
    ]
    SQLCompiler.execute_sql, SQLCompiler.as_sql, Template._render = execute_sql, as_sql, render
    for module in rebound:
        module.reverse = reverse
    try:
        yield
    finally:
        SQLCompiler.execute_sql, SQLCompiler.as_sql = original_sql, original_compile
        Template._render = original_render
        for module in rebound:
            module.reverse = original_reverse


def _short(line: str) -> str:
    """cProfile's paths, from the package or the repository on."""
    for prefix in (f"{ROOT}/.venv/lib/python3.11/site-packages/", f"{ROOT}/", f"{sys.prefix}/"):
        line = line.replace(prefix, "")
    return re.sub(r"/\S*/lib/python3\.\d+/", "", line)


def profile(marks, pages: dict[str, Page], requests: int) -> None:
    """Where a topic page's time goes, in this process (the servers' code without HTTP):
    SQL (compiling it, running it), each template's own rendering, URL reversing, the rest;
    then the functions that take it (cProfile, which slows everything about 3×)."""
    from django.test import Client

    page = pages[TOPIC_PAGE]
    for who, user in (("visitor", None), ("member", marks.member)):
        client = Client(SERVER_NAME=HOST)
        if user is not None:
            client.force_login(user)
        for _ in range(30):
            client.get(page.path)
        clock = _Clock()
        with _timed(clock):
            started = time.perf_counter()
            for _ in range(requests):
                client.get(page.path)
            total = time.perf_counter() - started
        per = 1000 / requests  # seconds in all -> ms per request
        rendering = sum(clock.templates.values())
        rest = total - clock.sql - rendering
        report.step(f"{page.label} as a {who}: {total * per:.2f} ms per request in-process")
        report.detail(
            f"SQL {clock.sql * per:.2f} ms: compiling it {clock.compile * per:.2f} ms, running "
            f"and fetching {(clock.sql - clock.compile) * per:.2f} ms"
            + (f" ({clock.render_sql * per:.2f} ms from templates)" if clock.render_sql else "")
        )
        report.detail(f"templates {rendering * per:.2f} ms (own time, without SQL):")
        for name, seconds in clock.templates.most_common(6):
            times = clock.renders[name] / requests
            report.detail(f"  {name:<40} {seconds * per:5.2f} ms  ({times:.0f}×)")
        report.detail(
            f"  of which reversing URLs: {clock.reverses / requests:.0f} reverse() calls, "
            f"{clock.reverse * per:.2f} ms"
        )
        report.detail(
            f"the rest (middleware, sessions, view code, model instances): {rest * per:.2f} ms"
        )
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(requests):
            client.get(page.path)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if "ncalls" in line)
        report.detail(f"cProfile, {requests} requests, by own time:")
        for line in lines[start:]:
            if line.strip():
                print("      " + _short(line.strip()), flush=True)


# --- Main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    busy = report.warn_if_busy()
    if not args.profile:
        ensure_wrk()
    with forum_site(args) as (site, marks):
        database = "PostgreSQL" if args.database_url else "SQLite"
        pages = pages_of(marks)
        if args.profile:
            profile(marks, pages, args.requests)
            return 0
        member = marks.member
        cookies = django_site.member_cookies(member)
        report.step(
            f"measuring {len(args.pages)} pages as a visitor and as @{member.username}: "
            f"~{len(args.pages) * 2 * (args.seconds + 2):.0f} s"
        )
        results = []
        with gunicorn(site, workers=args.workers) as server:
            for name in args.pages:
                page = pages[name]
                for who, jar, user in (("visitor", None, None), ("member", cookies, member)):
                    results.append(measure_quietly(server, page, who, jar, user, marks, args))
    print_summary(results, pages, marks, args, busy, time.monotonic() - started, database)
    return 0 if not any(r.errors for r in results) else 1


if __name__ == "__main__":
    sys.exit(script.run(main))
