"""The production path of background work: tasks wait in the database until `db_worker`
runs them (the embedded default runs them at once)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from forum import services
from forum.models import EmailFrequency, NotificationSettings

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(TASKS=DATABASE_TASKS)  # django-tasks resets its backends on this signal
def test_an_immediate_email_waits_for_the_worker(topic, asker, colleague, mailoutbox):
    NotificationSettings.objects.create(user=asker, replies=EmailFrequency.IMMEDIATELY)
    services.reply_create(author=colleague, topic=topic, body="Kirim pengingat WA.")
    assert mailoutbox == []  # queued in the database, not sent by the request

    call_command(
        "db_worker", batch=True, no_startup_delay=True, stdout=StringIO(), stderr=StringIO()
    )

    [mail] = mailoutbox
    assert mail.to == [asker.email]


@pytest.mark.django_db
def test_housekeeping_sends_due_digests_and_reports(topic, colleague, mailoutbox):
    services.reply_create(author=colleague, topic=topic, body="Satu.")
    out = StringIO()
    call_command("forum_housekeeping", stdout=out)
    assert "1 sent" in out.getvalue()
    assert "Housekeeping done" in out.getvalue()
    assert len(mailoutbox) == 1
