"""manage.py search_check: compare the database with the search indexes; --fix repairs drift."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from search import indexing
from search.reindexing import check

SHOWN = 10


class Command(BaseCommand):
    help = (
        "Compare what the database would index now with what each search backend holds: "
        "documents missing, out of date or no longer indexable. --fix queues them and drains."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="repair the drift found")
        parser.add_argument("--prefix", help="only documents of one adapter (topic, page)")

    def handle(self, *args, fix=False, prefix=None, **options):
        started = time.monotonic()
        self.stdout.write("==> comparing the database with the search indexes")
        drifts = check(prefix=prefix)
        for drift in drifts:
            self.stdout.write(
                f"    {drift.backend}: {len(drift.missing)} missing, {len(drift.stale)} out of "
                f"date, {len(drift.extra)} no longer indexable"
            )
            for document_id in drift.ids()[:SHOWN]:
                self.stdout.write(f"      {document_id}")
        wrong = sorted({i for drift in drifts for i in drift.ids()})
        if wrong and fix:
            self.stdout.write(f"==> repairing {len(wrong)} documents")
            indexing.record(*wrong)
            result = indexing.drain()
            self.stdout.write(f"    {result.indexed} indexed, {result.deleted} removed")
            if result.failed:
                self.stderr.write(f"    {result.failed} failed: {'; '.join(result.errors)}")
        elapsed = time.monotonic() - started
        if not wrong:
            self.stdout.write(self.style.SUCCESS(f"No drift ({elapsed:.1f}s)."))
        elif fix:
            self.stdout.write(self.style.SUCCESS(f"Drift repaired ({elapsed:.1f}s)."))
        else:
            self.stdout.write(
                self.style.WARNING(f"{len(wrong)} documents drifted; run with --fix to repair.")
            )
