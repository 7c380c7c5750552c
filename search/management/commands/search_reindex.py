"""manage.py search_reindex: rebuild every search index from the database, without downtime."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from search import backends
from search.backends.base import BackendError
from search.reindexing import expected_total, reindex


class Progress:
    """One line per stage, redrawn in place on a terminal, every tenth otherwise."""

    def __init__(self, out) -> None:
        self.out, self.stage, self.shown = out, "", -1
        self.tty = hasattr(out, "isatty") and out.isatty()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            if self.stage and self.tty:
                self.out.write("\n")
            self.stage, self.shown = stage, -1
        share = done * 100 // total if total else 100
        if self.tty:
            bar = "#" * (share // 4)
            self.out.write(f"\r    {stage:<14} [{bar:<25}] {done:>9,}/{total:,} ({share}%)")
            self.out.flush()
        elif share // 10 != self.shown // 10 or done == total:
            self.out.write(f"    {stage:<14} {done:>9,}/{total:,} ({share}%)\n")
            self.shown = share

    def end(self) -> None:
        if self.stage and self.tty:
            self.out.write("\n")


def _needs_building() -> bool:
    if not expected_total():
        return False
    try:
        return any(backend.count() == 0 for backend in backends.indexed())
    except BackendError:
        return False  # Elasticsearch away: the worker brings it up to date when it returns


class Command(BaseCommand):
    help = (
        "Rebuild the search indexes from the database: the database's in place, Elasticsearch's "
        "as a new index that replaces the old one when complete. Searches go on meanwhile."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="only when a search index is empty while there is content (a first start)",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and not _needs_building():
            self.stdout.write("Search indexes hold documents already: nothing to do.")
            return
        started = time.monotonic()
        progress = Progress(sys.stdout if options.get("stdout") is None else self.stdout)
        self.stdout.write("==> reindexing every document")
        try:
            result = reindex(progress=progress)
        except BackendError as error:
            raise CommandError(
                f"{error}. Check ELASTICSEARCH_URL and that Elasticsearch answers; the database "
                "index is complete, and the outbox will bring Elasticsearch up to date."
            ) from error
        finally:
            progress.end()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Reindexed {result.documents:,} documents into {', '.join(result.backends)} in "
                f"{elapsed:.1f}s ({result.removed} removed, {result.replayed} changes replayed)."
            )
        )
