"""List corpus documents that match regular expressions, to help a judge find candidates.

This is a judging aid, not a search engine: it only counts where the patterns occur, so that
no relevant document is missed when a query's judgments are written. Each candidate is then
judged by reading it. With --query, the query's current judgments are shown in the first
column, and when no pattern is given the ones in judging_patterns.json (used when the set was
judged) are taken.

    python bench/relevance/candidates.py 'denda' 'terlambat|telat|keterlambatan'
    python bench/relevance/candidates.py --query q03
    python bench/relevance/candidates.py --query q03 'dispensasi'

A document matching every pattern is marked *; the rest follow, most hits first.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIELDS = ("title", "tags", "question", "accepted_answer", "replies", "body")


def field_text(doc: dict, field: str) -> str:
    value = doc.get(field)
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(value)
    return str(value)


def read(name: str):
    return json.loads((HERE / name).read_text(encoding="utf-8"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("patterns", nargs="*", help="regular expressions (case-insensitive)")
    parser.add_argument("--query", help="a query id: show its judgments, default its patterns")
    parser.add_argument("--limit", type=int, default=40, help="unjudged rows to show (40)")
    args = parser.parse_args()

    corpus = read("corpus.json")
    judgments: dict[str, int] = {}
    patterns = list(args.patterns)
    if args.query:
        query = next((q for q in read("queries.json") if q["id"] == args.query), None)
        if query is None:
            parser.error(f"no query {args.query}")
        judgments = query["judgments"]
        print(f"{query['id']} [{query['type']}] {query['query']}")
        if not patterns:
            patterns = read("judging_patterns.json").get(args.query, [])
    if not patterns:
        parser.error("give at least one pattern")
    print("patterns: " + " | ".join(patterns))
    regexes = [re.compile(p, re.IGNORECASE) for p in patterns]

    rows = []
    for doc in corpus:
        per_pattern = [0] * len(regexes)
        fields = {}
        for field in FIELDS:
            text = field_text(doc, field)
            counts = [len(r.findall(text)) for r in regexes]
            per_pattern = [a + b for a, b in zip(per_pattern, counts, strict=True)]
            if sum(counts):
                fields[field] = sum(counts)
        total = sum(per_pattern)
        if total or doc["id"] in judgments:
            rows.append((all(per_pattern), total, doc, fields))
    rows.sort(key=lambda row: (not row[0], -row[1], row[2]["id"]))

    shown = 0
    for every, total, doc, fields in rows:
        grade = judgments.get(doc["id"])
        if grade is None:
            if shown >= args.limit:
                continue
            shown += 1
        where = " ".join(f"{f}:{n}" for f, n in fields.items())
        mark = "*" if every else " "
        print(
            f"{grade or '':>1} {doc['id']} {mark}{total:3d} {doc['created']} "
            f"{doc['title'][:64]}  [{where}]"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
