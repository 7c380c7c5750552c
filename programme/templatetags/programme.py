from __future__ import annotations

import datetime

from django import template
from django.utils import formats

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
