"""manage.py programme_weekly: the coordinators' weekly email, when it is due (run hourly)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from programme.tasks import send_weekly_reports


class Command(BaseCommand):
    help = (
        "Send the coordinators' weekly email (unanswered questions, searches that found "
        "nothing) when it is due: Mondays from 07:00 WIB, once a week. Run hourly."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="send this week's now, if unsent")

    def handle(self, *args, now=False, **options):
        self.stdout.write("==> the coordinators' weekly email")
        sent = send_weekly_reports.call(force=now)
        self.stdout.write(self.style.SUCCESS(f"{sent} sent."))
