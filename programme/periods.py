"""The periods a coordinator looks at: this month, this quarter, this year, or from one day to
another, in Lubuklinggau's time (WIB). A period is [start, end): end is the first moment after."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MONTH, QUARTER, YEAR, CUSTOM = "month", "quarter", "year", "custom"
CHOICES = [
    (MONTH, _("This month")),
    (QUARTER, _("This quarter")),
    (YEAR, _("This year")),
    (CUSTOM, _("From … to …")),
]


@dataclass(frozen=True)
class Period:
    start: datetime.datetime
    end: datetime.datetime
    first_day: datetime.date
    last_day: datetime.date


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _from_days(first: datetime.date, last: datetime.date) -> Period:
    return Period(_midnight(first), _midnight(last + datetime.timedelta(days=1)), first, last)


def period(
    kind: str,
    *,
    first: datetime.date | None = None,
    last: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Period:
    today = today or timezone.localdate()
    if kind == CUSTOM and first and last:
        return _from_days(min(first, last), max(first, last))
    if kind == MONTH:
        start = today.replace(day=1)
    elif kind == YEAR:
        start = today.replace(month=1, day=1)
    else:
        start = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    months = {MONTH: 1, YEAR: 12}.get(kind, 3)
    following = start.month - 1 + months
    end = start.replace(year=start.year + following // 12, month=following % 12 + 1)
    return _from_days(start, end - datetime.timedelta(days=1))


def months_of(p: Period) -> list[datetime.date]:
    """The first day of every month the period touches."""
    months, month = [], p.first_day.replace(day=1)
    while month <= p.last_day:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months
