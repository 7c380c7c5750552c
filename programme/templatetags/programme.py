from __future__ import annotations

import datetime

from django import template
from django.utils import formats, timezone, translation

register = template.Library()


@register.filter
def figure(value) -> str:
    """A table's value as the programme's pages show it: figures the Indonesian way in
    Indonesian (1.234,5), dates with the month's name, a dash for none."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return formats.number_format(value, 1, force_grouping=True)
    if isinstance(value, int):
        return formats.number_format(value, force_grouping=True)
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j F Y")
    return str(value)


def _clock(value: datetime.datetime) -> str:
    # 09.00 in Indonesian (PUEBI), 09:00 in English.
    return value.strftime("%H.%M" if translation.get_language() == "id" else "%H:%M")


@register.filter
def wib(value: datetime.datetime | None) -> str:
    """A moment in WIB the reader's way: "Sabtu, 5 Desember 2026, 09.00 WIB"."""
    if value is None:
        return "—"
    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'l, j F Y')}, {_clock(local)} WIB"


@register.simple_tag
def meeting_time(meeting) -> str:
    """A meeting's day and hours: "Sabtu, 5 Desember 2026, 09.00–12.00 WIB"."""
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    if start.date() == end.date():
        return f"{formats.date_format(start, 'l, j F Y')}, {_clock(start)}–{_clock(end)} WIB"
    return f"{wib(start)} – {wib(end)}"
