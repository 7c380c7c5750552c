"""manage.py programme_training: the training sessions' hourly work (compose's scheduler)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django_tasks.base import TaskResultStatus

from programme import tasks


class Command(BaseCommand):
    help = (
        "Remind registered members of meetings that start within a day, and invite attendees "
        "of sessions that ended to the evaluation; each once. The work goes to the task worker "
        "(db_worker). Run hourly."
    )

    def handle(self, *args, **options) -> None:
        self.stdout.write("==> training: reminders and evaluation invitations")
        for label, task in (
            ("meeting reminders", tasks.send_training_reminders),
            ("evaluation invitations", tasks.invite_to_evaluations),
        ):
            result = task.enqueue()
            if result.status == TaskResultStatus.SUCCESSFUL:  # the immediate backend
                self.stdout.write(f"    {label}: {result.return_value} sent")
            elif result.status == TaskResultStatus.FAILED:
                self.stderr.write(f"    {label}: failed; see the log")
            else:
                self.stdout.write(f"    {label}: queued for the task worker ({result.id})")
        self.stdout.write(self.style.SUCCESS("done."))
