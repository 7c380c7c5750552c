"""manage.py search_worker: keep the search indexes up to date (compose's search-worker)."""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from search import indexing

POLL_SECONDS = 1.0


class Command(BaseCommand):
    help = "Drain the search outbox as changes arrive (index, retry with backoff) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="drain what is due, then stop")
        parser.add_argument("--poll", type=float, default=POLL_SECONDS, help="seconds between")

    def handle(self, *args, once=False, poll=POLL_SECONDS, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        self.stdout.write(f"==> search worker: draining the outbox every {poll:g}s")
        while not stopping:
            close_old_connections()
            result = indexing.drain()
            if result.indexed or result.deleted or result.failed:
                counts = f"{result.indexed} indexed, {result.deleted} removed"
                self.stdout.write(f"    {counts}, {result.failed} failed")
            if once:
                break
            time.sleep(poll)
        self.stdout.write(self.style.SUCCESS("Search worker stopped."))
