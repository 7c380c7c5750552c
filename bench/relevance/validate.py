"""Check corpus.json and queries.json, then print what the set holds.

    python bench/relevance/validate.py

Exits 1 and lists every problem when a check fails: invalid JSON, duplicate or malformed ids,
a missing, extra or mistyped field for a document's kind, an area that is not one of the six
slugs, a judged id that is not in the corpus, a query with fewer than 2 or more than 12
judgments, and the like.
"""

from __future__ import annotations

import datetime
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
AREAS = (
    "teknologi-informasi",
    "manajemen-perpustakaan",
    "layanan-pemustaka",
    "literasi-informasi",
    "kerja-sama-sekolah-kampus",
    "pengembangan-profesi",
)
KINDS = {"topic": "t", "article": "a", "report": "r"}
QUERY_TYPES = ("natural", "affix", "typo", "abbreviation", "keyword")
COMMON = ("id", "kind", "title", "areas", "tags", "host_library", "solved", "helpful_votes")
FIELDS = {
    "topic": {*COMMON, "created", "question", "accepted_answer", "replies"},
    "article": {*COMMON, "created", "body"},
    "report": {*COMMON, "created", "body"},
}
FIRST_DAY, LAST_DAY = datetime.date(2024, 1, 1), datetime.date(2026, 11, 30)
BODY_WORDS = (150, 600)
MAX_REPLIES = 6
JUDGMENTS_PER_QUERY = (2, 12)


def load(name: str, errors: list[str]) -> list:
    try:
        data = json.loads((HERE / name).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        errors.append(f"{name}: {error}")
        return []
    if not isinstance(data, list):
        errors.append(f"{name}: the top level is a {type(data).__name__}, not a list")
        return []
    return data


def nonempty_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def check_document(doc: object, errors: list[str]) -> None:
    if not isinstance(doc, dict):
        errors.append(f"corpus: an entry is a {type(doc).__name__}, not an object")
        return
    where = f"corpus {doc.get('id', '?')}"
    kind = doc.get("kind")
    if kind not in KINDS:
        errors.append(f"{where}: kind {kind!r} is not one of {sorted(KINDS)}")
        return
    missing = FIELDS[kind] - doc.keys()
    extra = doc.keys() - FIELDS[kind]
    if missing:
        errors.append(f"{where}: missing {sorted(missing)}")
    if extra:
        errors.append(f"{where}: fields a {kind} does not have: {sorted(extra)}")
    if not re.fullmatch(KINDS[kind] + r"\d{3}", str(doc.get("id"))):
        errors.append(f"{where}: a {kind}'s id is {KINDS[kind]} and three digits")
    if not nonempty_text(doc.get("title")):
        errors.append(f"{where}: empty title")

    areas = doc.get("areas")
    if not isinstance(areas, list) or not areas:
        errors.append(f"{where}: areas must be a non-empty list")
    else:
        for area in areas:
            if area not in AREAS:
                errors.append(f"{where}: area {area!r} is not one of the six slugs")
        if len(set(areas)) != len(areas):
            errors.append(f"{where}: an area is listed twice")
    tags = doc.get("tags")
    if not isinstance(tags, list) or not tags or not all(nonempty_text(t) for t in tags):
        errors.append(f"{where}: tags must be a non-empty list of strings")

    votes = doc.get("helpful_votes")
    if not isinstance(votes, int) or isinstance(votes, bool) or not 0 <= votes <= 40:
        errors.append(f"{where}: helpful_votes {votes!r} is not an integer from 0 to 40")
    try:
        created = datetime.date.fromisoformat(str(doc.get("created")))
    except ValueError:
        errors.append(f"{where}: created {doc.get('created')!r} is not a YYYY-MM-DD date")
    else:
        if not FIRST_DAY <= created <= LAST_DAY:
            errors.append(f"{where}: created {created} is outside {FIRST_DAY}..{LAST_DAY}")

    if kind == "topic":
        if not nonempty_text(doc.get("question")):
            errors.append(f"{where}: empty question")
        answer = doc.get("accepted_answer")
        if answer is not None and not nonempty_text(answer):
            errors.append(f"{where}: accepted_answer is neither null nor text")
        replies = doc.get("replies")
        if not isinstance(replies, list) or not all(nonempty_text(r) for r in replies):
            errors.append(f"{where}: replies must be a list of strings")
        elif len(replies) > MAX_REPLIES:
            errors.append(f"{where}: {len(replies)} replies, more than {MAX_REPLIES}")
        if doc.get("solved") is not (answer is not None):
            errors.append(f"{where}: solved must be true exactly when accepted_answer is set")
        if doc.get("host_library") is not None:
            errors.append(f"{where}: host_library is for reports only")
    else:
        body = doc.get("body")
        if not nonempty_text(body):
            errors.append(f"{where}: empty body")
        else:
            words = len(body.split())
            if not BODY_WORDS[0] <= words <= BODY_WORDS[1]:
                errors.append(f"{where}: body has {words} words, not {BODY_WORDS[0]}-600")
            if "\n\n" not in body:
                errors.append(f"{where}: body is a single paragraph")
        if doc.get("solved") is not True:
            errors.append(f"{where}: an {kind} is solved")
        host = doc.get("host_library")
        if kind == "report" and not nonempty_text(host):
            errors.append(f"{where}: a report names its host_library")
        if kind == "article" and host is not None:
            errors.append(f"{where}: host_library is for reports only")


def check_query(query: object, corpus_ids: set[str], errors: list[str]) -> None:
    if not isinstance(query, dict):
        errors.append(f"queries: an entry is a {type(query).__name__}, not an object")
        return
    where = f"queries {query.get('id', '?')}"
    expected = {"id", "query", "type", "judgments"}
    if query.keys() != expected:
        errors.append(f"{where}: fields must be exactly {sorted(expected)}")
    if not re.fullmatch(r"q\d{2,3}", str(query.get("id"))):
        errors.append(f"{where}: a query's id is q and two or three digits")
    if not nonempty_text(query.get("query")):
        errors.append(f"{where}: empty query text")
    if query.get("type") not in QUERY_TYPES:
        errors.append(f"{where}: type {query.get('type')!r} is not one of {QUERY_TYPES}")
    judgments = query.get("judgments")
    if not isinstance(judgments, dict):
        errors.append(f"{where}: judgments must be an object of id: grade")
        return
    low, high = JUDGMENTS_PER_QUERY
    if not low <= len(judgments) <= high:
        errors.append(f"{where}: {len(judgments)} judgments, not {low}-{high}")
    for doc_id, grade in judgments.items():
        if doc_id not in corpus_ids:
            errors.append(f"{where}: judged id {doc_id} is not in the corpus")
        if grade not in (1, 2, 3) or isinstance(grade, bool):
            errors.append(f"{where}: {doc_id} has grade {grade!r}, not 1, 2 or 3")
    if judgments and 3 not in judgments.values() and 2 not in judgments.values():
        errors.append(f"{where}: no document is judged 2 or 3")


def print_counts(corpus: list[dict], queries: list[dict]) -> None:
    kinds = Counter(d["kind"] for d in corpus)
    print(f"{len(corpus)} documents: " + ", ".join(f"{kinds[k]} {k}s" for k in KINDS))
    topics = [d for d in corpus if d["kind"] == "topic"]
    unsolved = sum(1 for d in topics if not d["solved"])
    replies = sum(len(d["replies"]) for d in topics)
    print(f"  topics: {unsolved} unsolved, {replies} replies in all")
    years = Counter(d["created"][:4] for d in corpus)
    dates = sorted(d["created"] for d in corpus)
    print(f"  created {dates[0]} .. {dates[-1]}; by year: " + ", ".join(sorted_items(years)))
    print("  by area (a document may have several):")
    areas = Counter(area for d in corpus for area in d["areas"])
    for area in AREAS:
        per_kind = Counter(d["kind"] for d in corpus if area in d["areas"])
        split = ", ".join(f"{per_kind[k]} {k}s" for k in KINDS)
        print(f"    {area:28} {areas[area]:3}  ({split})")
    types = Counter(q["type"] for q in queries)
    print(f"{len(queries)} queries: " + ", ".join(f"{types[t]} {t}" for t in QUERY_TYPES))
    sizes = [len(q["judgments"]) for q in queries]
    grades = Counter(g for q in queries for g in q["judgments"].values())
    judged = {doc_id for q in queries for doc_id in q["judgments"]}
    print(
        f"  {sum(sizes)} judgments, {min(sizes)}-{max(sizes)} per query "
        f"(mean {sum(sizes) / len(sizes):.1f}); grade 3: {grades[3]}, 2: {grades[2]}, "
        f"1: {grades[1]}; {len(judged)} of {len(corpus)} documents judged for some query"
    )
    for kind_type in QUERY_TYPES:
        ids = " ".join(q["id"] for q in queries if q["type"] == kind_type)
        print(f"    {kind_type:12} {ids}")


def sorted_items(counter: Counter) -> list[str]:
    return [f"{key} {value}" for key, value in sorted(counter.items())]


def main() -> int:
    errors: list[str] = []
    corpus = load("corpus.json", errors)
    queries = load("queries.json", errors)
    for doc in corpus:
        check_document(doc, errors)
    doc_ids = [d.get("id") for d in corpus if isinstance(d, dict)]
    for doc_id, n in Counter(doc_ids).items():
        if n > 1:
            errors.append(f"corpus: id {doc_id} is used {n} times")
    corpus_ids = {str(i) for i in doc_ids}
    for query in queries:
        check_query(query, corpus_ids, errors)
    query_ids = [q.get("id") for q in queries if isinstance(q, dict)]
    for query_id, n in Counter(query_ids).items():
        if n > 1:
            errors.append(f"queries: id {query_id} is used {n} times")
    texts = Counter(q.get("query") for q in queries if isinstance(q, dict))
    for text, n in texts.items():
        if n > 1:
            errors.append(f"queries: the text {text!r} is used {n} times")

    if errors:
        for error in errors:
            print(error, file=sys.stderr)
        print(f"{len(errors)} problems", file=sys.stderr)
        return 1
    print_counts(corpus, queries)
    print("valid")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
