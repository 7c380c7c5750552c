"""The search backend's part of /healthz. Search is never required: when Elasticsearch is away,
search answers from the database (DESIGN.md, failure model)."""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from config.health import TIMEOUT_SECONDS, CheckResult, run_check


def _elasticsearch() -> dict:
    from elasticsearch import Elasticsearch

    client = Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=TIMEOUT_SECONDS)
    try:
        info = client.info()
    finally:
        client.close()
    return {"version": info["version"]["number"]}


def _database_full_text() -> dict:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA compile_options")
            options = {row[0] for row in cursor.fetchall()}
        if "ENABLE_FTS5" not in options:
            raise RuntimeError("this SQLite was built without FTS5, which database search needs")
        return {"engine": "sqlite-fts5"}
    return {"engine": f"{connection.vendor}-full-text"}


def checks() -> list[CheckResult]:
    if settings.SEARCH_BACKEND == "elasticsearch":
        return [run_check("search", required=False, backend="elasticsearch", probe=_elasticsearch)]
    return [run_check("search", required=False, backend="database", probe=_database_full_text)]
