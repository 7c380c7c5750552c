"""Search relevance against DESIGN.md's budget: nDCG@10 ≥ 0.85 on Indonesian queries on every
backend, and clearly above the same engine without stemming.

The 320 documents of bench/relevance/corpus.json are indexed into each backend, the 80 queries
of queries.json are asked through Serambi's search service, and the first page of results is
scored with bench/lib/ndcg.py:

    .venv/bin/python bench/relevance.py                  # SQLite FTS5 and osmem-server (~1.5 min)
    .venv/bin/python bench/relevance.py --database-url postgres://postgres@127.0.0.1:5432/serambi_bench_relevance
    ELASTICSEARCH_URL=http://127.0.0.1:9200 .venv/bin/python bench/relevance.py   # a real server

Backends: the database backend on SQLite (a throwaway file), on PostgreSQL when --database-url
names a database (created by the script and dropped at the end; it refuses a database it did
not make), and Elasticsearch: osmem-server, started by the script on a free loopback port, or
the real server ELASTICSEARCH_URL names (under an index prefix of the run's own, deleted at the
end). Each database is measured in a child process of its own (Django reads its settings once
per process); Elasticsearch is measured in each, since its spelling corrections come from that
database's vocabulary (SQLite: a SymSpell speller; PostgreSQL: pg_trgm), as on the site.

How the corpus reaches the index. The documents are not typed in as forum topics and Wagtail
pages: the corpus' solved state, helpful votes and dates are part of what the ranking uses
(solved first, helpful, recent), and services would stamp today's date and need 40 distinct
voters per document. Instead an adapter of this script's own is registered with
search.registry beside the forum's and the knowledge base's (whose tables are empty here), and
builds each document as they do (forum/search.py, kb/search.py): a topic's question as `body`,
its accepted answer as `answer`, the other replies joined by newlines as `replies`, `solved`
when it has an accepted answer, its helpful votes, its date as created and updated; an
article's or report's paragraphs as `body`, `solved` (reviewed), its host library; areas, and
tags as slugs. `search.reindexing.reindex()`, what `manage.py search_reindex` runs, then writes
them into the database backend (rows, FTS5 or tsvector, facets, vocabulary) and into a new
Elasticsearch index behind its aliases. Queries go through `search.service.search()`, what
/search/ calls: analysis, did-you-mean correction from the vocabulary, the backend's ranking with
the boosts, a page of 10, as a visitor; only the search log is left out (`log=False`). Not
exercised: Markdown rendering and Wagtail's searchable content, which for plain paragraphs give
the text as written.

Without stemming: search.analysis.without_stemming(), the analysis's own switch, keeps every
word as written (tokens, synonyms and stopwords unchanged). The whole index is rebuilt inside it
(the same reindex()), vocabulary and spelling corrections included, and the queries are analysed
inside it too; then the stemmed index is what the first pass measured. "Clearly above" is read
as: the paired difference over the 80 queries has a 95% bootstrap interval above zero.

The figures are osmem's for Elasticsearch (Bleve's BM25, not Lucene's; see bench/es_notes.md).
The set is for development, not the held-out set: see bench/relevance/README.md for its limits.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import random
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Run as a file, bench/ comes first on sys.path; the repository goes there instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

from bench.lib import report, script, search_bench  # noqa: E402
from bench.lib.ndcg import mean, ndcg_at_k  # noqa: E402

CORPUS = HERE / "relevance" / "corpus.json"
QUERIES = HERE / "relevance" / "queries.json"
K = 10
TARGET = 0.85  # DESIGN.md
TYPES = ("natural", "affix", "typo", "abbreviation", "keyword")
VARIANTS = ("stemmed", "unstemmed")
MARKER = "serambi bench/relevance.py"
PREFIX = "relevance"  # the adapter's id prefix: relevance:<position in the corpus, from 1>
BOOTSTRAP_SAMPLES = 10_000
SEED = 20261204


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        help="also PostgreSQL: a database to create and drop, e.g. "
        "postgres://postgres@127.0.0.1:5432/serambi_bench_relevance",
    )
    parser.add_argument(
        "--no-elasticsearch", action="store_true", help="the database backends only"
    )
    parser.add_argument("--weakest", type=int, default=10, help="queries listed at the end")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # one database's measurements
    return parser.parse_args(argv)


def load() -> tuple[list[dict], list[dict]]:
    corpus = json.loads(CORPUS.read_text(encoding="utf-8"))
    queries = json.loads(QUERIES.read_text(encoding="utf-8"))
    return corpus, queries


# --- Inside a child: one database, its backends -------------------------------------------------


class CorpusAdapter:
    """The corpus as search documents, built the way forum/search.py and kb/search.py build
    theirs; a fresh document each time, so that it is analysed as the analysis is set now."""

    prefix = PREFIX

    def __init__(self, corpus: list[dict]) -> None:
        self.corpus = corpus

    def documents(self, pks):
        return {pk: self._document(pk) for pk in pks if 1 <= pk <= len(self.corpus)}

    def batches(self, size: int):
        pks = range(1, len(self.corpus) + 1)
        for start in range(0, len(pks), size):
            yield [self._document(pk) for pk in pks[start : start + size]]

    def count(self) -> int:
        return len(self.corpus)

    def _document(self, pk: int):
        from django.utils import timezone
        from django.utils.text import slugify

        from search.documents import Audience, SearchDocument

        item = self.corpus[pk - 1]
        day = datetime.date.fromisoformat(item["created"])
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        topic = item["kind"] == "topic"
        return SearchDocument(
            id=f"{PREFIX}:{pk}",
            kind=item["kind"],
            title=item["title"],
            url=f"/bench/relevance/{item['id']}/",
            created_at=moment,
            updated_at=moment,
            body=item["question"] if topic else item["body"],
            answer=(item.get("accepted_answer") or "") if topic else "",
            replies="\n".join(item.get("replies") or []) if topic else "",
            areas=tuple(sorted(item["areas"])),
            tags=tuple(sorted({slugify(tag) for tag in item["tags"]})),
            host_library=item.get("host_library") or "",
            solved=bool(item["solved"]),
            helpful=int(item["helpful_votes"]),
            audience=Audience.PUBLIC,
        )


def child(spec: dict) -> int:
    corpus, queries = load()
    workdir = Path(tempfile.mkdtemp(prefix="serambi-relevance-"))
    client = None
    try:
        database_url = spec["database_url"] or f"sqlite:///{workdir / 'relevance.sqlite3'}"
        server, prefix = spec["server"], spec["prefix"]
        search_bench.child_site(database_url, workdir, server=server, prefix=prefix)
        if server:
            _backend, client = search_bench.install_elasticsearch(server, prefix)
        from search import registry, reindexing

        registry.register(CorpusAdapter(corpus))
        if reindexing.expected_total() != len(corpus):
            raise SystemExit(
                f"expected {len(corpus)} documents to index, found {reindexing.expected_total()}"
            )
        engines = search_bench.engines(server)
        results: dict = {"engines": [e.as_dict() for e, _ in engines], "runs": {}}
        for variant in VARIANTS:
            results["runs"][variant] = run_variant(variant, engines, queries)
        results["database"] = search_bench.database_label(database_url)
        search_bench.write_output(spec, results)
    finally:
        if client is not None:
            search_bench.drop_indexes(client, spec["prefix"])
            client.close()
        search_bench.close_connections()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def run_variant(variant: str, engines, queries: list[dict]) -> dict:
    """Index the corpus (with or without stemming) and ask every query of every engine."""
    from search import vocabulary
    from search.analysis import without_stemming
    from search.reindexing import reindex

    stemming = variant == "stemmed"
    switch = contextlib.nullcontext() if stemming else without_stemming()
    found: dict = {}
    with switch:
        started = time.monotonic()
        result = reindex()
        for _engine, backend in engines:
            getattr(backend, "refresh", lambda: None)()
        vocabulary.forget_speller()  # the vocabulary is a new one
        report.step(
            f"indexed {result.documents} documents {'with' if stemming else 'without'} stemming "
            f"into {', '.join(result.backends)} with reindex() "
            f"({time.monotonic() - started:.1f} s)"
        )
        for engine, backend in engines:
            found[engine.name] = ask_all(engine, backend, queries)
            scores = [q["ndcg"] for q in found[engine.name].values()]
            report.detail(f"{engine.label}: nDCG@{K} {mean(scores):.3f}")
    return found


def ask_all(engine, backend, queries: list[dict]) -> dict:
    from django.contrib.auth.models import AnonymousUser

    from search import service
    from search.analysis import analyze_query

    visitor = AnonymousUser()
    answers = {}
    for query in queries:
        results = service.search(query=query["query"], user=visitor, backend=backend, log=False)
        ranked = [_corpus_id(hit.document.id) for hit in results.hits]
        answers[query["id"]] = {
            "ndcg": ndcg_at_k(ranked, query["judgments"], k=K),
            "ranked": ranked,
            "corrected": results.corrected,
            "terms": analyze_query(results.corrected or query["query"]),
            "answered_by": results.backend,  # another name: it fell back
        }
    return answers


_CORPUS_IDS: list[str] = []


def _corpus_id(document_id: str) -> str:
    if not _CORPUS_IDS:
        _CORPUS_IDS.extend(item["id"] for item in load()[0])
    prefix, _, pk = document_id.partition(":")
    return _CORPUS_IDS[int(pk) - 1] if prefix == PREFIX else document_id


# --- The parent: servers, databases, the summary -------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return child(search_bench.read_spec(args.child))
    started = time.monotonic()
    busy = report.warn_if_busy()
    corpus, queries = load()
    kinds = ", ".join(f"{sum(q['type'] == t for q in queries)} {t}" for t in TYPES)
    report.step(f"bench/relevance: {len(corpus)} documents, {len(queries)} queries ({kinds})")
    databases: list[str | None] = [None]
    if args.database_url:
        databases.append(args.database_url)
    children = []
    server_cm = (
        contextlib.nullcontext(None) if args.no_elasticsearch else search_bench.search_server()
    )
    with server_cm as server:
        for database_url in databases:
            label = search_bench.database_label(database_url or "sqlite://")
            prefix = f"serambi-bench-relevance-{uuid.uuid4().hex[:8]}"
            if database_url:
                search_bench.postgres_create(database_url, marker=MARKER, comment=MARKER)
            try:
                report.step(f"measuring on {label}")
                children.append(
                    search_bench.run_child(
                        Path(__file__),
                        {
                            "label": label,
                            "database_url": database_url,
                            "server": vars(server) if server else None,
                            "prefix": prefix,
                        },
                    )
                )
            finally:
                if database_url:
                    search_bench.postgres_drop(database_url, marker=MARKER)
    rows = summarise(children, queries)
    verdict = print_summary(rows, children, queries, args, busy, time.monotonic() - started)
    report.save_results(
        "relevance",
        {
            "busy_percent": busy,
            "k": K,
            "target": TARGET,
            "rows": [{k: v for k, v in row.items() if k != "per_query"} for row in rows],
            "per_query": {row["name"]: row["per_query"] for row in rows},
        },
    )
    return 0 if verdict else 1


def summarise(children: list[dict], queries: list[dict]) -> list[dict]:
    """One row per (engine, database): the means with and without stemming, per type, and the
    paired difference's bootstrap interval."""
    rows = []
    for measured in children:
        for engine in measured["engines"]:
            runs = {v: measured["runs"][v][engine["name"]] for v in VARIANTS}
            scores = {v: [runs[v][q["id"]]["ndcg"] for q in queries] for v in VARIANTS}
            differences = [
                a - b for a, b in zip(scores["stemmed"], scores["unstemmed"], strict=True)
            ]
            low, high = bootstrap_interval(differences)
            fell_back = sum(
                answer["answered_by"] != engine["name"]
                for v in VARIANTS
                for answer in runs[v].values()
            )
            rows.append(
                {
                    "name": f"{engine['label']}, {measured['database']}",
                    "engine": engine["label"],
                    "backend": engine["name"],
                    "database": measured["database"],
                    "ndcg": mean(scores["stemmed"]),
                    "unstemmed": mean(scores["unstemmed"]),
                    "difference": mean(differences),
                    "interval": (low, high),
                    "better": sum(d > 1e-9 for d in differences),
                    "worse": sum(d < -1e-9 for d in differences),
                    "fell_back": fell_back,
                    "types": {
                        v: {
                            t: mean(
                                s for q, s in zip(queries, scores[v], strict=True) if q["type"] == t
                            )
                            for t in TYPES
                        }
                        for v in VARIANTS
                    },
                    "per_query": {v: runs[v] for v in VARIANTS},
                }
            )
    return rows


def bootstrap_interval(differences: list[float]) -> tuple[float, float]:
    """The 95% percentile bootstrap interval of the mean paired difference (seeded)."""
    rng = random.Random(SEED)
    n = len(differences)
    means = sorted(
        sum(differences[rng.randrange(n)] for _ in range(n)) / n for _ in range(BOOTSTRAP_SAMPLES)
    )
    return means[int(0.025 * BOOTSTRAP_SAMPLES)], means[int(0.975 * BOOTSTRAP_SAMPLES) - 1]


def _signed(value: float) -> str:
    return f"{value:+.3f}"


def print_summary(rows, children, queries, args, busy, elapsed) -> bool:
    print()
    print(
        f"nDCG@{K} on bench/relevance ({len(load()[0])} documents, {len(queries)} queries), "
        "through search.service.search as a visitor, page 1"
    )
    headings = ["backend", "database", f"nDCG@{K}", "no stemming", "difference", "95% interval"]
    headings += ["better/worse", "fell back"]
    table = [
        [
            row["engine"],
            row["database"],
            f"{row['ndcg']:.3f}",
            f"{row['unstemmed']:.3f}",
            _signed(row["difference"]),
            f"{_signed(row['interval'][0])} … {_signed(row['interval'][1])}",
            f"{row['better']}/{row['worse']}",
            row["fell_back"],
        ]
        for row in rows
    ]
    print(report.table(headings, table, "llrrrrrr"))

    print()
    print(f"nDCG@{K} per query type (queries of each type)")
    counts = {t: sum(q["type"] == t for q in queries) for t in TYPES}
    headings = ["backend", "database", "stemming", "all", *(f"{t} ({counts[t]})" for t in TYPES)]
    table = []
    for row in rows:
        for variant in VARIANTS:
            overall = row["ndcg"] if variant == "stemmed" else row["unstemmed"]
            table.append(
                [
                    row["engine"] if variant == "stemmed" else "",
                    row["database"] if variant == "stemmed" else "",
                    "yes" if variant == "stemmed" else "no",
                    f"{overall:.3f}",
                    *(f"{row['types'][variant][t]:.3f}" for t in TYPES),
                ]
            )
    print(report.table(headings, table, "lll" + "r" * (len(TYPES) + 1)))

    print_weakest(rows, queries, args.weakest)

    print()
    print("budget: search relevance, DESIGN.md")
    budget, passed = [], True
    for row in rows:
        reached = row["ndcg"] >= TARGET and row["fell_back"] == 0
        clearly = row["interval"][0] > 0
        passed = passed and reached and clearly
        budget.append(
            [f"nDCG@{K}, {row['name']}", f"≥ {TARGET:.2f}", f"{row['ndcg']:.3f}", _mark(reached)]
        )
        budget.append(
            [
                "  above the same without stemming",
                "clearly (95% interval > 0)",
                f"{_signed(row['difference'])} ({_signed(row['interval'][0])} … "
                f"{_signed(row['interval'][1])})",
                _mark(clearly),
            ]
        )
    print(report.table(["figure", "target", "Serambi", ""], budget, "lllr"))
    if any(row["fell_back"] for row in rows):
        print("note: some searches fell back to the database (Elasticsearch did not answer)")
    if busy is not None and busy > 20:
        print(f"note: the machine was {busy:.0f}% busy with other work when this started")
    print(f"verdict: {'within budget' if passed else 'over budget'} ({elapsed:.0f} s)")
    return passed


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def print_weakest(rows, queries, count: int) -> None:
    if count <= 0 or not rows:
        return
    per_query = {
        q["id"]: [row["per_query"]["stemmed"][q["id"]]["ndcg"] for row in rows] for q in queries
    }
    weakest = sorted(queries, key=lambda q: (mean(per_query[q["id"]]), q["id"]))[:count]
    print()
    print(f"the {count} weakest queries (nDCG@{K} with stemming; #n: the first table's rows)")
    headings = ["query", "type", "text", *(f"#{i}" for i in range(1, len(rows) + 1))]
    headings.append("terms searched on #1")
    table = []
    for q in weakest:
        first = rows[0]["per_query"]["stemmed"][q["id"]]
        searched = " ".join(first["terms"]) + (" (corrected)" if first["corrected"] else "")
        scores = [f"{score:.2f}" for score in per_query[q["id"]]]
        table.append([q["id"], q["type"], q["query"][:48], *scores, searched])
    print(report.table(headings, table, "lll" + "r" * len(rows) + "l"))


if __name__ == "__main__":
    sys.exit(script.run(main))
