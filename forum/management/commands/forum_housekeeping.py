"""The forum's periodic work, run hourly by compose's `scheduler` service (or cron): daily
digests for the members due one, uploads of posts that were never submitted, topic events too
old to replay, and a full recount of the categories (the counters move by one in between)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from forum import services
from forum.services.counters import categories_recount
from forum.tasks import send_daily_digests


class Command(BaseCommand):
    help = "Send the daily digests that are due and remove uploads no post took. Run hourly."

    def handle(self, *args, **options):
        started = time.monotonic()
        self.stdout.write("==> daily digests")
        digests = send_daily_digests.call()
        self.stdout.write(f"    {digests} sent")
        self.stdout.write("==> uploads never attached to a post (older than a day)")
        removed = services.attachments_remove_orphans()
        self.stdout.write(f"    {removed} removed")
        self.stdout.write("==> topic events older than the live pages replay")
        self.stdout.write(f"    {services.topic_events_prune()} removed")
        self.stdout.write("==> every category's counts, from its rows")
        self.stdout.write(f"    {categories_recount()} recounted")
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Housekeeping done in {elapsed:.1f}s."))
