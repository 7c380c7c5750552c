"""Search on 100,000 documents against DESIGN.md's budgets: a full reindex within 60 s, and a
search within p95 50 ms on the PostgreSQL backend.

For each backend (the database's on SQLite; on PostgreSQL with --database-url; Elasticsearch on
osmem-server, or the real server ELASTICSEARCH_URL names): the time of a full reindex, the
latency of searches (a mix of short queries, natural questions and queries with a typo), and
the size of the index.

    .venv/bin/python bench/search.py                    # SQLite and osmem (~6 min, first run)
    .venv/bin/python bench/search.py --database-url postgres://postgres@127.0.0.1:5432/serambi_bench_search
    .venv/bin/python bench/search.py --keep             # build once, reuse afterwards
    .venv/bin/python bench/search.py --documents 20000 --queries 150

The corpus (bench/lib/search_corpus.py): --documents forum topics, written into the forum's
tables with bulk inserts (members, tags, topics, ~3.8 posts each rendered with forum.rendering,
solutions, counters), ~1,050 characters of Indonesian per topic, recombined from
bench/relevance/corpus.json and bench/forum_data.py's sentences with fresh figures, places and
typos; seeded, so every build holds the same text. No knowledge-base pages: Wagtail pages are
created one by one, and a site holds a few hundred, not 100,000. Without --keep the corpus is
built anew and thrown away at the end; with --keep it is kept (SQLite: a file in bench/results/,
before indexing; PostgreSQL: the database serambi_bench_search, with a comment naming the
build) and reused while the migrations and the generator are unchanged. The script creates
and drops the PostgreSQL database itself and refuses one it did not make.

What is measured, for each database in a child process of its own (Django reads its settings
once per process):

1. **Full reindex**: `search.reindexing.reindex()`, what `manage.py search_reindex` runs, from
   an empty index: every topic read through the forum's search adapter, analysed, and written
   into the database backend (rows, FTS5 or tsvector, facets, vocabulary), then into a new
   Elasticsearch index behind its aliases. The two stages are timed apart (the progress the
   command shows); then a pass that only reads and analyses the documents says where the time
   goes. Elasticsearch is measured in the last child (PostgreSQL when given: production's
   pairing, whose spelling corrections come from pg_trgm).
2. **Latency**: --queries searches, one after another, through `search.service.search()` as
   /search/ calls it (a visitor, page 1 with facets, did-you-mean correction, the search log
   written), after --warmup uncounted ones; p50/p95 per kind of query, and the engine's share
   (the backend's own `search()`; the rest is analysis, vocabulary look-ups and corrections, and
   the log). The mix: a third short queries (a tag, a word or two of a title), a third natural
   questions (bench/relevance's and titles turned into questions), a third those with one word
   misspelt. On PostgreSQL the tables are VACUUM ANALYZEd first, as autovacuum soon would.
3. **Index size**: the search tables with their indexes (SQLite: dbstat; PostgreSQL:
   pg_total_relation_size), split into documents, full-text structure, facets and vocabulary;
   Elasticsearch: the index's store size as the server reports it.

While latency is measured, the CPU time of other processes is counted (bench/lib/cpu.py); above
10% of the CPUs the measurement is repeated once, and the summary says when figures were taken
under load.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import hashlib
import json
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Run as a file, bench/ comes first on sys.path, where this file would pass for the search app
# ("import search"); the repository goes there instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

from bench.lib import report, script, search_bench  # noqa: E402
from bench.lib.cpu import OtherWork  # noqa: E402

DOCUMENTS = 100_000
QUERIES = 300
WARMUP = 30
REINDEX_BUDGET_S = 60.0  # DESIGN.md: full reindex of 100,000 documents
P95_BUDGET_MS = 50.0  # DESIGN.md: search p95 on 100,000 documents, PostgreSQL backend
MAX_SECONDS = 180.0  # of searches per backend: a pathological plan must not hold the run
STATEMENT_TIMEOUT = 60.0
NOISY_PERCENT = 10
RETRY_PAUSE = 5
MARKER = "serambi bench/search.py"
CACHE_PREFIX = "search-"
QUERY_KINDS = ("short", "natural", "typo")
SEED = 20261205
GENERATORS = [
    HERE / "lib" / "search_corpus.py",
    HERE / "forum_data.py",
    HERE / "relevance" / "corpus.json",
]
SEARCH_TABLES = {  # the database backend's tables, by part of the index
    "search_indexeddocument": "documents",
    "search_fts": "full-text",
    "search_documentfacet": "facets",
    "search_term": "vocabulary",
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=DOCUMENTS, help="topics to index")
    parser.add_argument("--queries", type=int, default=QUERIES, help="searches measured")
    parser.add_argument("--warmup", type=int, default=WARMUP, help="uncounted searches first")
    parser.add_argument(
        "--database-url",
        help="also PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/serambi_bench_search "
        "(created and dropped by the script; kept with --keep)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the built corpus and reuse it")
    parser.add_argument("--no-elasticsearch", action="store_true", help="database backends only")
    parser.add_argument(
        "--no-breakdown", action="store_true", help="skip the read-and-analyse pass"
    )
    parser.add_argument(
        "--no-analyze",
        action="store_true",
        help="skip the SQLite searches measured again after ANALYZE",
    )
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=MAX_SECONDS,
        help="stop measuring a backend's searches after this long (warm-up included)",
    )
    parser.add_argument(
        "--statement-timeout",
        type=float,
        default=STATEMENT_TIMEOUT,
        help="seconds after which one SQL statement of a search is stopped (it then fails)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)  # one database's measurements
    args = parser.parse_args(argv)
    if args.documents < 1 or args.queries < 3:
        parser.error("--documents must be at least 1 and --queries at least 3")
    return args


def cache_key(documents: int) -> str:
    """A hash of every migration, of the generator's code (not its comments and docstrings)
    and data, and of the corpus size."""
    digest = hashlib.sha256(str(documents).encode())
    for path in [*sorted(ROOT.glob("*/migrations/*.py")), *GENERATORS]:
        content = path.read_bytes()
        if path in GENERATORS and path.suffix == ".py":
            content = _code_only(content).encode()
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + content)
    return digest.hexdigest()[:12]


def _code_only(source: bytes) -> str:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(getattr(first.value, "value", None), str):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


# --- The parent ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return child(search_bench.read_spec(args.child))
    started = time.monotonic()
    busy = report.warn_if_busy()
    key = cache_key(args.documents)
    databases: list[str | None] = [None, *([args.database_url] if args.database_url else [])]
    measured = []
    server_cm = (
        contextlib.nullcontext(None) if args.no_elasticsearch else search_bench.search_server()
    )
    with server_cm as server:
        for position, database_url in enumerate(databases):
            with_server = server is not None and position == len(databases) - 1
            measured.append(
                measure_database(args, key, database_url, server if with_server else None)
            )
    passed = print_summary(measured, args, busy, time.monotonic() - started)
    report.save_results(
        "search",
        {
            "busy_percent": busy,
            "documents": args.documents,
            "queries": args.queries,
            "budgets": {"reindex_s": REINDEX_BUDGET_S, "p95_ms_postgresql": P95_BUDGET_MS},
            "databases": measured,
        },
    )
    return 0 if passed else 1


def measure_database(args, key: str, database_url: str | None, server) -> dict:
    label = search_bench.database_label(database_url or "sqlite://")
    marker = f"{MARKER} {args.documents} {key}"
    spec = {
        "label": label,
        "database_url": database_url,
        "server": vars(server) if server else None,
        "prefix": f"serambi-bench-search-{uuid.uuid4().hex[:8]}",
        "documents": args.documents,
        "queries": args.queries,
        "warmup": args.warmup,
        "breakdown": not args.no_breakdown,
        "analyze": not args.no_analyze,
        "max_seconds": args.max_seconds,
        "statement_timeout": args.statement_timeout,
        "reuse": False,
        "cache": None,
        "marker": marker,
    }
    if database_url is None:
        cached = report.RESULTS_DIR / f"{CACHE_PREFIX}{args.documents}-{key}.sqlite3"
        if args.keep:
            spec["cache"], spec["reuse"] = str(cached), cached.exists()
    elif args.keep and search_bench.postgres_comment(database_url) == marker:
        spec["reuse"] = True
        report.step(f"using the corpus built earlier in {database_url.rsplit('/', 1)[-1]!r}")
    else:
        search_bench.postgres_create(database_url, marker=MARKER, comment=f"{MARKER} (building)")
    report.step(f"measuring on {label}")
    try:
        result = search_bench.run_child(Path(__file__), spec)
    finally:
        if database_url and not args.keep:
            search_bench.postgres_drop(database_url, marker=MARKER)
    return result


# --- Inside a child: one database ----------------------------------------------------------------


def child(spec: dict) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="serambi-search-"))
    client = None
    try:
        database_url = spec["database_url"]
        if database_url is None:
            database = workdir / "search.sqlite3"
            if spec["reuse"]:
                report.step(f"using the cached corpus {Path(spec['cache']).relative_to(ROOT)}")
                shutil.copyfile(spec["cache"], database)
            database_url = f"sqlite:///{database}"
        server, prefix = spec["server"], spec["prefix"]
        search_bench.child_site(database_url, workdir, server=server, prefix=prefix)
        if server:
            _backend, client = search_bench.install_elasticsearch(server, prefix)
        data: dict = {"database": spec["label"]}
        data["corpus"] = prepare_corpus(spec, database_url)
        data["reindex"] = measure_reindex(spec)
        engines = search_bench.engines(server)
        settle()
        data["sizes"] = index_sizes(engines)
        data["engines"] = [engine.as_dict() for engine, _ in engines]
        data["latency"] = measure_searches(spec, engines)
        search_bench.write_output(spec, data)
    finally:
        if client is not None:
            search_bench.drop_indexes(client, spec["prefix"])
            client.close()
        search_bench.close_connections()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def prepare_corpus(spec: dict, database_url: str) -> dict:
    from django.db import connection

    from bench.lib import search_corpus
    from forum.models import Post, Topic
    from search.reindexing import expected_total

    if not spec["reuse"]:
        report.step(
            f"building the corpus: {report.number(spec['documents'])} forum topics "
            "(bench/lib/search_corpus.py)"
        )
        stats = search_corpus.build(spec["documents"])
        report.step(
            f"corpus built in {stats.seconds:.0f} s: {report.number(stats.topics)} topics, "
            f"{report.number(stats.posts)} posts, "
            f"{stats.characters / stats.indexable:,.0f} characters per indexable topic"
        )
        if spec["cache"]:
            store_sqlite(Path(database_url.removeprefix("sqlite:///")), Path(spec["cache"]))
        if spec["database_url"]:  # built: a later --keep may reuse it
            search_bench.postgres_mark(spec["database_url"], spec["marker"])
    empty_index()
    found = expected_total()
    if found != spec["documents"]:
        raise SystemExit(f"expected {spec['documents']} documents to index, found {found}")
    sources = Post.objects.filter(topic__is_visible=True).values_list("source", flat=True)
    with connection.cursor() as cursor:
        # One figure for the summary: the Markdown per indexable topic.
        sql, params = sources.query.sql_with_params()
        cursor.execute(f"SELECT SUM(LENGTH(s.source)) FROM ({sql}) AS s", params)  # noqa: S608
        characters = cursor.fetchone()[0] or 0
    return {
        "topics": Topic.objects.count(),
        "indexable": found,
        "posts": Post.objects.count(),
        "characters_per_document": characters / found,
        "reused": spec["reuse"],
    }


def store_sqlite(database: Path, cached: Path) -> None:
    """Keep the built corpus, before indexing (SQLite's backup API), and remove older ones."""
    report.RESULTS_DIR.mkdir(exist_ok=True)
    partial = cached.with_suffix(".partial")
    source, target = sqlite3.connect(database), sqlite3.connect(partial)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    partial.replace(cached)
    for old in report.RESULTS_DIR.glob(f"{CACHE_PREFIX}*.sqlite3"):
        if old != cached and old.name.startswith(f"{CACHE_PREFIX}{cached.name.split('-')[1]}-"):
            old.unlink()
    size = cached.stat().st_size / 1e6
    report.step(f"kept the corpus as {cached.relative_to(ROOT)} ({size:,.0f} MB) for --keep")


def empty_index() -> None:
    """Start from an empty index whatever a reused database holds (an earlier run's index and
    search log), so that every run measures the same reindex."""
    from django.db import connection

    from search import backends
    from search.models import IndexedDocument, SearchLogEntry

    if not IndexedDocument.objects.exists() and not SearchLogEntry.objects.exists():
        return
    report.step("emptying the index an earlier run left")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE search_indexeddocument, search_documentfacet, search_term, "
                "search_searchlogentry, search_outboxentry RESTART IDENTITY"
            )
            cursor.execute("VACUUM ANALYZE")
    else:
        backends.database_backend().clear()
        SearchLogEntry.objects.all().delete()


class StageClock:
    """reindex()'s progress callback: when each stage starts and ends, and a line now and then."""

    def __init__(self) -> None:
        self.started: dict[str, float] = {}
        self.ended: dict[str, float] = {}
        self.shown: dict[str, int] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        self.started.setdefault(stage, now)
        self.ended[stage] = now
        share = done * 5 // total if total else 5
        if share != self.shown.get(stage, -1):
            self.shown[stage] = share
            report.detail(
                f"{stage}: {report.number(done)}/{report.number(total)} "
                f"({now - self.started[stage]:.0f} s)"
            )


def measure_reindex(spec: dict) -> dict:
    from search.reindexing import reindex

    clock = StageClock()
    report.step(
        f"full reindex of {report.number(spec['documents'])} documents: "
        "search.reindexing.reindex() (manage.py search_reindex)"
    )
    started = time.monotonic()
    result = reindex(progress=clock)
    total = time.monotonic() - started
    stages, previous = {}, started
    for stage in result.backends:  # in the order reindex() ran them
        stages[stage] = clock.ended.get(stage, previous) - previous
        previous = clock.ended.get(stage, previous)
    # What follows a stage's last batch (the database's scan for removed documents,
    # Elasticsearch's replay and alias switch) belongs to it.
    stages[result.backends[-1]] += started + total - previous
    report.step(
        f"reindexed {report.number(result.documents)} documents in {total:.1f} s ("
        + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in stages.items())
        + ")"
    )
    figures = {"documents": result.documents, "total_s": total, "stages_s": stages}
    if spec["breakdown"]:
        figures["breakdown_s"] = read_and_analyse()
    return figures


def read_and_analyse() -> dict:
    """The reindex's reading and analysis alone, without writing: where its time goes."""
    from search.reindexing import all_documents

    report.step("reading and analysing every document again, writing nothing (where time goes)")
    reading = analysing = 0.0
    batches = iter(all_documents())
    while True:
        started = time.perf_counter()
        batch = next(batches, None)
        reading += time.perf_counter() - started
        if batch is None:
            break
        started = time.perf_counter()
        for document in batch:
            document.terms()
        analysing += time.perf_counter() - started
    report.detail(
        f"reading (adapter: queries, posts' HTML to text) {reading:.1f} s, "
        f"analysis {analysing:.1f} s"
    )
    return {"reading": reading, "analysis": analysing}


def settle() -> None:
    from django.db import connection

    from search import backends

    if connection.vendor == "postgresql":
        report.step("VACUUM ANALYZE (as autovacuum would after the reindex)")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    elasticsearch = backends.elasticsearch_backend()
    if elasticsearch is not None:
        elasticsearch.refresh()


# --- Index sizes ---------------------------------------------------------------------------------


def index_sizes(engines) -> dict[str, dict[str, int | None]]:
    from django.db import connection

    sizes: dict[str, dict[str, int | None]] = {}
    for engine, backend in engines:
        if engine.name == "database":
            parts = _sqlite_sizes() if connection.vendor == "sqlite" else _postgres_sizes()
        else:
            parts = _elasticsearch_size(backend)
        sizes[engine.name] = parts
        shown = ", ".join(f"{k} {_mb(v)}" for k, v in parts.items() if k != "total")
        report.detail(
            f"index size, {engine.label}: {_mb(parts.get('total'))}"
            + (f" ({shown})" if shown else "")
        )
    return sizes


def _sqlite_sizes() -> dict[str, int | None]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.tbl_name, SUM(d.pgsize) FROM dbstat d "
            "JOIN sqlite_schema s ON s.name = d.name GROUP BY s.tbl_name"
        )
        rows = cursor.fetchall()
    parts: dict[str, int | None] = dict.fromkeys(SEARCH_TABLES.values(), 0)
    for table, size in rows:
        for prefix, part in SEARCH_TABLES.items():
            if table == prefix or table.startswith(f"{prefix}_"):  # FTS5's shadow tables
                parts[part] += size
    parts["total"] = sum(v or 0 for v in parts.values())
    return parts


def _postgres_sizes() -> dict[str, int | None]:
    """The tables with their indexes and TOAST; the full-text part is the tsvector columns
    (stored in the documents' rows) and their GIN indexes."""
    from django.db import connection

    def one(sql: str, params=()) -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return int(cursor.fetchone()[0] or 0)

    def total(table: str) -> int:
        return one("SELECT pg_total_relation_size(%s::regclass)", [table])

    gin = one(
        "SELECT pg_relation_size('search_doc_vector'::regclass) "
        "+ pg_relation_size('search_doc_title_vector'::regclass)"
    )
    vectors = one(
        "SELECT SUM(pg_column_size(vector) + pg_column_size(title_vector)) "
        "FROM search_indexeddocument"
    )
    parts: dict[str, int | None] = {
        "documents": total("search_indexeddocument") - gin - vectors,
        "full-text": gin + vectors,
        "facets": total("search_documentfacet"),
        "vocabulary": total("search_term"),  # with its trigram index
    }
    parts["total"] = sum(v or 0 for v in parts.values())
    return parts


def _elasticsearch_size(backend) -> dict[str, int | None]:
    try:
        stats = backend._maintenance.indices.stats(index=backend.read_alias)
        total = stats["_all"]["primaries"]["store"]["size_in_bytes"]
    except Exception:  # a server that does not report it: say so, go on
        total = None
    return {"total": total or None}


def _mb(size: int | None) -> str:
    if not size:
        return "n/a"
    megabytes = size / 2**20
    return f"{megabytes:,.1f} MB" if megabytes < 10 else f"{megabytes:,.0f} MB"


# --- Queries and latency -------------------------------------------------------------------------


def make_queries(count: int, seed: int) -> list[tuple[str, str]]:
    """(kind, text): a third short queries, a third natural questions, a third with one word
    misspelt (of a short query or a question), in a shuffled order; seeded."""
    from bench.lib.search_corpus import Writer, load_pools

    rng = random.Random(seed)
    pools = load_pools()
    writer = Writer(rng, pools)
    corpus = json.loads((HERE / "relevance" / "corpus.json").read_text(encoding="utf-8"))
    relevance = json.loads((HERE / "relevance" / "queries.json").read_text(encoding="utf-8"))
    titles = [item["title"].rstrip("?") for item in corpus]
    title_words = [w for t in titles for w in re.findall(r"[A-Za-z]{4,}", t)]
    keywords = [q["query"] for q in relevance if q["type"] in ("keyword", "abbreviation")]

    def short() -> str:
        roll = rng.random()
        if roll < 0.35:
            return rng.choice(pools.tags).replace("-", " ")
        if roll < 0.55:
            return rng.choice(keywords)
        return " ".join(rng.sample(title_words, k=rng.choice((1, 2, 2, 3)))).lower()

    def natural() -> str:
        if rng.random() < 0.4:
            return rng.choice([q["query"] for q in relevance if q["type"] in ("natural", "affix")])
        title = rng.choice(titles)
        opener = rng.choice(("bagaimana", "gimana", "cara", "apakah", "bagaimana cara", ""))
        return f"{opener} {title[0].lower()}{title[1:]}".strip()

    def typo() -> str:
        words = (short() if rng.random() < 0.4 else natural()).split()
        long_ones = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
        if long_ones:
            i = rng.choice(long_ones)
            words[i] = writer.misspell(words[i])
        return " ".join(words)

    makers = {"short": short, "natural": natural, "typo": typo}
    queries = [(kind, makers[kind]()) for kind in QUERY_KINDS for _ in range(count // 3)]
    queries += [("natural", natural()) for _ in range(count - len(queries))]
    rng.shuffle(queries)
    return queries


class Timed:
    """A backend whose search() time is kept: the engine's share of a search."""

    def __init__(self, backend) -> None:
        self.backend, self.name, self.seconds = backend, backend.name, 0.0

    def search(self, request):
        started = time.perf_counter()
        try:
            return self.backend.search(request)
        finally:
            self.seconds = time.perf_counter() - started


class StatementWatchdog:
    """Stops an SQL statement that runs longer than `seconds`, so that one pathological search
    cannot hold the bench for minutes: PostgreSQL's statement_timeout, or on SQLite an
    interrupt() from a watching thread. The search then fails as it would on the site (the
    service answers "no backend answered"), and the table counts it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline: float | None = None
        self.raw = None
        self.interrupted = 0

    def __enter__(self) -> StatementWatchdog:
        from django.db import connection

        self.vendor = connection.vendor
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = %s", [int(self.seconds * 1000)])
            return self
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()
        self.wrapper = connection.execute_wrapper(self._wrap)
        self.wrapper.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        from django.db import connection

        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")
            return
        self.wrapper.__exit__(*exc)
        self.stop.set()
        self.thread.join()

    def _wrap(self, execute, sql, params, many, context):
        self.raw = context["connection"].connection
        self.deadline = time.monotonic() + self.seconds
        try:
            return execute(sql, params, many, context)
        finally:
            self.deadline = None

    def _watch(self) -> None:
        while not self.stop.wait(0.05):
            deadline = self.deadline
            if deadline is not None and time.monotonic() > deadline and self.raw is not None:
                self.deadline = None
                self.interrupted += 1
                self.raw.interrupt()


SQL_KINDS = (  # what a search's statements do, by how they start; the first match wins
    (
        "vocabulary",
        re.compile(r'SELECT "search_term"|SELECT COUNT\(\*\) AS "__count" FROM "search_term"'),
    ),
    ("correction", re.compile(r"SELECT term, documents FROM search_term WHERE term %")),
    ("hits", re.compile(r"SELECT d\.id, ")),
    ("total and facets", re.compile(r"WITH m AS MATERIALIZED")),
    ("documents", re.compile(r'SELECT .* FROM "search_indexeddocument"')),
    ("search log", re.compile(r'INSERT INTO "search_searchlogentry"')),
)


class SqlClock:
    """The time of each SQL statement a search runs, by what it does (SQL_KINDS)."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            kind = next((name for name, pattern in SQL_KINDS if pattern.match(sql)), "other")
            self.spent[kind] = self.spent.get(kind, 0.0) + (time.perf_counter() - started) * 1000


def measure_searches(spec: dict, engines) -> dict:
    from django.db import connection

    queries = make_queries(spec["queries"], SEED)
    warmup = make_queries(max(3, spec["warmup"]), SEED + 1)[: spec["warmup"]]
    figures = {}
    for engine, backend in engines:
        figures[engine.name] = _measure_engine(spec, engine, backend, queries, warmup)
        if engine.name == "elasticsearch" and figures[engine.name]["all"]["fell_back"]:
            figures[engine.name]["patient_ms"] = patient_searches(backend, queries)
    if connection.vendor == "sqlite" and spec["analyze"]:
        # Not what the site does (nothing runs ANALYZE on its SQLite file); it shows what the
        # query planner chooses once it has statistics.
        engine, backend = engines[0]
        report.step("ANALYZE on the SQLite file (the site never runs it): the same searches again")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        analysed = search_bench.Engine("database-analyzed", f"{engine.label}, after ANALYZE")
        figures[analysed.name] = _measure_engine(spec, analysed, backend, queries, warmup)
        figures[analysed.name]["label"] = analysed.label
    return figures


PATIENT_SEARCHES = 6  # one of each kind, twice


def patient_searches(backend, queries) -> list[float]:
    """When searches fell back (the 2 s timeout of ElasticsearchBackend), a few asked of the
    engine alone with a timeout of minutes: how long it takes to answer."""
    from search.analysis import analyze_query
    from search.backends.base import SearchRequest
    from search.backends.elasticsearch import ElasticsearchBackend

    report.detail("the engine's own time without the 2 s timeout, for a few of the searches:")
    client = backend._maintenance  # the backend's client, with the long maintenance timeout
    # Searches given up on may still be running in the server: wait until it answers again.
    client.options(request_timeout=600).count(index=backend.read_alias)
    patient = ElasticsearchBackend(
        "http://unused", index_prefix=backend.read_alias.removesuffix("-documents"),
        client=client, request_timeout=600,
    )  # fmt: skip
    chosen = [next(q for q in queries if q[0] == kind) for kind in QUERY_KINDS] * 2
    times = []
    for _kind, text in chosen[:PATIENT_SEARCHES]:
        request = SearchRequest(terms=tuple(analyze_query(text)), audiences=("public",))
        started = time.perf_counter()
        patient.search(request)
        times.append((time.perf_counter() - started) * 1000)
    report.detail(", ".join(f"{t / 1000:.1f} s" for t in times))
    return times


def _measure_engine(spec: dict, engine, backend, queries, warmup) -> dict:
    report.step(
        f"{len(queries)} searches on {engine.label} through search.service.search "
        f"(after {len(warmup)} uncounted; at most {spec['max_seconds']:.0f} s)"
    )
    figures = _measure_quietly(spec, engine, backend, queries, warmup)
    report.detail(
        f"p50 {figures['all']['p50_ms']:.1f} ms, p95 {figures['all']['p95_ms']:.1f} ms "
        f"(engine p95 {figures['all']['engine_p95_ms']:.1f} ms) over "
        f"{figures['all']['searches']} searches, other CPU {_percent(figures['other_cpu'])}"
    )
    return figures


def _measure_quietly(spec, engine, backend, queries, warmup) -> dict:
    figures = _measure(spec, engine, backend, queries, warmup)
    if (figures["other_cpu"] or 0) > NOISY_PERCENT and not figures["stopped"]:
        report.detail(
            f"other work took {figures['other_cpu']:.0f}% of the CPUs; measuring again in "
            f"{RETRY_PAUSE} s"
        )
        time.sleep(RETRY_PAUSE)
        again = _measure(spec, engine, backend, queries, warmup)
        if (again["other_cpu"] or 0) < figures["other_cpu"]:
            figures = again
        figures["retried"] = True
    return figures


def _measure(spec, engine, backend, queries, warmup) -> dict:
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from search import service

    visitor = AnonymousUser()
    timed = Timed(backend)
    sql = SqlClock()
    began = time.monotonic()
    limit = spec["max_seconds"]
    rows = []
    with StatementWatchdog(spec["statement_timeout"]) as watchdog:
        for _kind, text in warmup:
            service.search(query=text, user=visitor, backend=timed)
            if time.monotonic() - began > limit / 3:
                break
        with (
            OtherWork(commands=("postgres", "osmem-server")) as other,
            connection.execute_wrapper(sql),
        ):
            for kind, text in queries:
                sql.spent = {}
                started = time.perf_counter()
                results = service.search(query=text, user=visitor, backend=timed)
                elapsed = time.perf_counter() - started
                rows.append(
                    {
                        "kind": kind,
                        "query": text,
                        "ms": elapsed * 1000,
                        "engine_ms": timed.seconds * 1000,
                        "total": results.total,
                        "corrected": results.corrected,
                        "fell_back": results.fell_back,
                        "failed": results.failed,
                        "sql_ms": sql.spent,
                    }
                )
                if time.monotonic() - began > limit:
                    break
    stopped = len(rows) < len(queries)
    if stopped:
        report.detail(
            f"stopped after {len(rows)} of {len(queries)} searches ({limit:.0f} s); "
            f"{watchdog.interrupted} statements interrupted after {spec['statement_timeout']:.0f} s"
        )
    figures = {
        "all": _percentiles(rows),
        "other_cpu": other.percent,
        "retried": False,
        "stopped": stopped,
        "interrupted": watchdog.interrupted,
    }
    for kind in QUERY_KINDS:
        chosen = [r for r in rows if r["kind"] == kind]
        figures[kind] = _percentiles(chosen) if chosen else None
    figures["slowest"] = sorted(rows, key=lambda r: -r["ms"])[:5]
    kinds = [name for name, _ in SQL_KINDS] + ["other"]
    figures["sql_mean_ms"] = {
        kind: statistics.fmean(r["sql_ms"].get(kind, 0.0) for r in rows) for kind in kinds
    }
    figures["mean_ms"] = statistics.fmean(r["ms"] for r in rows)
    figures["engine_mean_ms"] = statistics.fmean(r["engine_ms"] for r in rows)
    return figures


def _percentiles(rows: list[dict]) -> dict:
    def cut(values: list[float], share: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    times = [r["ms"] for r in rows]
    engine = [r["engine_ms"] for r in rows]
    return {
        "searches": len(rows),
        "p50_ms": cut(times, 0.50),
        "p95_ms": cut(times, 0.95),
        "mean_ms": statistics.fmean(times),
        "engine_p50_ms": cut(engine, 0.50),
        "engine_p95_ms": cut(engine, 0.95),
        "hits_median": statistics.median(r["total"] for r in rows),
        "corrected": sum(bool(r["corrected"]) for r in rows),
        "fell_back": sum(r["fell_back"] for r in rows),
        "failed": sum(r["failed"] for r in rows),
    }


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}%"


# --- The summary ---------------------------------------------------------------------------------


def print_summary(measured: list[dict], args, busy, elapsed: float) -> bool:
    first = measured[0]["corpus"]
    print()
    print(
        f"Search on {report.number(first['indexable'])} documents (forum topics, "
        f"{report.number(first['posts'])} posts, {first['characters_per_document']:,.0f} "
        f"characters each on average); {args.queries} searches per backend, one at a time, "
        "through search.service.search"
    )
    headings = ["backend", "database", "reindex s", "docs/s", "searches", "p50 ms", "p95 ms"]
    headings += [f"p95 {kind}" for kind in QUERY_KINDS]
    headings += ["engine p95", "corrected", "fell back", "failed", "index size", "other CPU"]
    rows = []
    for data in measured:
        for name, label in _measured_engines(data):
            latency = data["latency"][name]
            seconds = data["reindex"]["stages_s"].get(name)
            size = data["sizes"].get(name, {}).get("total")
            rows.append(
                [
                    label,
                    data["database"],
                    _seconds(seconds),
                    report.number(data["reindex"]["documents"] / seconds) if seconds else "",
                    f"{latency['all']['searches']}" + (" (stopped)" if latency["stopped"] else ""),
                    _ms(latency["all"]["p50_ms"]),
                    _ms(latency["all"]["p95_ms"]),
                    *(
                        _ms(latency[kind]["p95_ms"]) if latency[kind] else ""
                        for kind in QUERY_KINDS
                    ),
                    _ms(latency["all"]["engine_p95_ms"]),
                    latency["all"]["corrected"],
                    latency["all"]["fell_back"],
                    latency["all"]["failed"],
                    _mb(size) if name in data["sizes"] else "",
                    _percent(latency["other_cpu"]) + (" (again)" if latency["retried"] else ""),
                ]
            )
    print(report.table(headings, rows, "ll" + "r" * (len(headings) - 2)))
    print(
        "engine: the backend's own search(); the rest of a search is analysis, vocabulary "
        "look-ups and corrections, and the search log; fell back: Elasticsearch did not answer "
        "in time and the database did; failed: no backend answered (a statement stopped)"
    )
    for data in measured:
        for name, label in _measured_engines(data):
            patient = data["latency"][name].get("patient_ms")
            if patient:
                print(
                    f"{label}: {data['latency'][name]['all']['fell_back']} searches fell back "
                    f"to {data['database']} after the backend's 2 s timeout; the engine alone "
                    f"took {min(patient) / 1000:.1f}–{max(patient) / 1000:.1f} s a search "
                    f"({len(patient)} asked without the timeout)"
                )

    print()
    print("where a search's time goes (mean ms per search; SQL statements by what they do)")
    kinds = [name for name, _ in SQL_KINDS] + ["other"]
    headings = ["backend", "database", "mean", "engine", *kinds, "Python and the rest"]
    rows = []
    for data in measured:
        for name, label in _measured_engines(data):
            latency = data["latency"][name]
            spent = latency["sql_mean_ms"]
            rest = latency["mean_ms"] - sum(spent.values())
            if name == "elasticsearch":
                rest -= latency["engine_mean_ms"]  # the engine's time is no SQL
            rows.append(
                [
                    label,
                    data["database"],
                    _ms(latency["mean_ms"]),
                    _ms(latency["engine_mean_ms"]),
                    *(_ms(spent[kind]) for kind in kinds),
                    _ms(rest),
                ]
            )
    print(report.table(headings, rows, "ll" + "r" * (len(headings) - 2)))
    print(
        "vocabulary, correction: the did-you-mean look-ups (search.vocabulary); hits, total "
        "and facets, documents: the database backend's three queries; Elasticsearch's engine "
        "time is its HTTP round trip"
    )

    print()
    print("where the reindex's time goes (s)")
    headings = ["database", "whole reindex()", "of which", "reading", "analysis", "writing"]
    rows = []
    for data in measured:
        figures = data["reindex"]
        breakdown = figures.get("breakdown_s")
        for position, (stage, seconds) in enumerate(figures["stages_s"].items()):
            read = breakdown["reading"] if breakdown else None
            analyse = breakdown["analysis"] if breakdown else None
            writing = seconds - read - analyse if breakdown else None
            rows.append(
                [
                    data["database"] if position == 0 else "",
                    f"{figures['total_s']:.1f}" if position == 0 else "",
                    f"{stage} {seconds:.1f}",
                    _seconds(read),
                    _seconds(analyse),
                    _seconds(writing),
                ]
            )
    print(report.table(headings, rows, "lrlrrr"))
    print(
        "reading: the forum's adapter (its queries, posts' HTML to text); analysis: "
        "search.analysis on every field; writing: the backend's (the rest of the stage)"
    )

    print()
    print("index size")
    headings = ["backend", "database", "total", "documents", "full-text", "facets", "vocabulary"]
    rows = []
    for data in measured:
        for engine in data["engines"]:
            parts = data["sizes"][engine["name"]]
            rows.append(
                [
                    engine["label"],
                    data["database"],
                    _mb(parts.get("total")),
                    *(_mb(parts.get(p)) if p in parts else "" for p in SEARCH_TABLES.values()),
                ]
            )
    print(report.table(headings, rows, "llrrrrr"))

    return print_budget(measured, args, busy, elapsed)


def _measured_engines(data: dict) -> list[tuple[str, str]]:
    found = [(engine["name"], engine["label"]) for engine in data["engines"]]
    for name, figures in data["latency"].items():
        if "label" in figures:
            found.append((name, figures["label"]))
    return found


def _ms(value: float) -> str:
    return f"{value:,.1f}" if value < 10_000 else f"{value / 1000:,.0f} s"


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def print_budget(measured: list[dict], args, busy, elapsed: float) -> bool:
    print()
    print(f"budget: search, DESIGN.md ({report.number(args.documents)} documents)")
    rows, passed = [], True
    scale = DOCUMENTS / args.documents
    for data in measured:
        stages = data["reindex"]["stages_s"]
        for engine in data["engines"]:
            seconds = stages[engine["name"]]
            ok = seconds * scale <= REINDEX_BUDGET_S
            passed &= ok
            rows.append(
                [
                    f"full reindex, {engine['label']}",
                    f"≤ {REINDEX_BUDGET_S:.0f} s",
                    f"{seconds:.1f} s",
                    _mark(ok),
                ]
            )
        if len(stages) > 1:
            total = data["reindex"]["total_s"]
            ok = total * scale <= REINDEX_BUDGET_S
            passed &= ok
            rows.append(
                [
                    f"  search_reindex on {data['database']} + Elasticsearch (both stages)",
                    f"≤ {REINDEX_BUDGET_S:.0f} s",
                    f"{total:.1f} s",
                    _mark(ok),
                ]
            )
    postgres = [d for d in measured if d["database"] == "PostgreSQL"]
    if postgres:
        latency = postgres[0]["latency"]["database"]
        p95 = latency["all"]["p95_ms"]
        ok = p95 <= P95_BUDGET_MS and not latency["all"]["failed"] and not latency["stopped"]
        passed &= ok
        rows.append(
            [
                "search p95, PostgreSQL full-text",
                f"≤ {P95_BUDGET_MS:.0f} ms",
                _ms(p95) + (" ms" if p95 < 10_000 else ""),
                _mark(ok),
            ]
        )
    else:
        rows.append(
            [
                "search p95, PostgreSQL full-text",
                f"≤ {P95_BUDGET_MS:.0f} ms",
                "not measured (--database-url)",
                "?",
            ]
        )
        passed = False
    for data in measured:
        for name, label in _measured_engines(data):
            if data["database"] == "PostgreSQL" and name == "database":
                continue
            p95 = data["latency"][name]["all"]["p95_ms"]
            shown = _ms(p95) + (" ms" if p95 < 10_000 else "")
            rows.append([f"  search p95, {label}, {data['database']}", "(no budget)", shown, ""])
    print(report.table(["figure", "target", "Serambi", ""], rows, "lllr"))
    if args.documents != DOCUMENTS:
        print(f"note: reindex times are judged scaled to {report.number(DOCUMENTS)} documents")
    noisy = [
        f"{label} ({_percent(data['latency'][name]['other_cpu'])})"
        for data in measured
        for name, label in _measured_engines(data)
        if (data["latency"][name]["other_cpu"] or 0) > NOISY_PERCENT
    ]
    if busy is not None and busy > 20:
        print(f"note: the machine was {busy:.0f}% busy with other work when this started")
    if noisy:
        print(f"note: other work took CPU while searches were timed: {', '.join(noisy)}; run again")
    print(f"verdict: {'within budget' if passed else 'over budget'} ({elapsed:.0f} s)")
    return passed


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


if __name__ == "__main__":
    sys.exit(script.run(main))
