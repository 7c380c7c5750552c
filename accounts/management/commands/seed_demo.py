"""Fills Serambi with demo content. Each app contributes through a `demo` module of its own
(`<app>/demo.py`, a `seed(out=...)` function returning lines for the summary)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.discovery import app_modules


class Command(BaseCommand):
    help = "Create demo libraries, members and content. Safe to run again: nothing is duplicated."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (the demo accounts have published passwords).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates accounts whose password is printed here; with DEBUG off this "
                "looks like production. Use --force if this really is a demo site."
            )
        started = time.monotonic()
        summary: list[str] = []
        for module in app_modules("demo"):
            app = module.__name__.split(".")[0]
            self.stdout.write(f"==> seeding {app}")
            summary.extend(module.seed(out=lambda line, app=app: self.stdout.write(f"    {line}")))
        for line in summary:
            self.stdout.write(line)
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Demo content ready in {elapsed:.1f}s."))
