"""manage.py search_housekeeping: the search's hourly work (compose's scheduler)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from search import indexing
from search.reindexing import check


class Command(BaseCommand):
    help = (
        "Forget drained outbox rows older than a day, and repair knowledge-base pages whose "
        "index entry a half-finished Wagtail publish left behind. Run hourly."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        self.stdout.write("==> drained outbox rows older than a day")
        self.stdout.write(f"    {indexing.prune()} removed")
        # Wagtail's publish is several steps, not one transaction: a crash between them can
        # leave a page published but not indexed (or the other way round).
        self.stdout.write("==> knowledge-base pages against the index")
        drifted = sorted({i for drift in check(prefix="page") for i in drift.ids()})
        if drifted:
            indexing.record(*drifted)
            indexing.drain()
        self.stdout.write(f"    {len(drifted)} repaired")
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Search housekeeping done in {elapsed:.1f}s."))
