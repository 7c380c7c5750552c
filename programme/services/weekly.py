"""The programme's writes."""

from __future__ import annotations

from django.db import transaction

from programme.models import WeeklyReportOptOut


@transaction.atomic
def weekly_report_stop(*, user) -> None:
    """Stop the weekly email for a coordinator (the one-click unsubscribe)."""
    WeeklyReportOptOut.objects.get_or_create(user=user)
