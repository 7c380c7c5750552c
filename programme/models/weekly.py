"""The programme's own records: which weekly reports went out, and who asked not to get them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WeeklyReport(models.Model):
    """One week's email to the coordinators (ISO year and week), sent once."""

    week = models.CharField(max_length=8, unique=True)  # "2026-W49"
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("weekly report")
        verbose_name_plural = _("weekly reports")

    def __str__(self) -> str:
        return self.week


class WeeklyReportOptOut(models.Model):
    """A coordinator who stopped the weekly email (one click, from the email itself)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.user)
