"""Row ids that arrive from outside (an address, a form, a query string), checked in one place.

A number beyond the database's integers is not a missing row to SQLite but an OverflowError
(a 500), and PostgreSQL refuses it too. Every id Serambi reads from a request passes through
here: the `id` path converter for addresses, IdField, KeptIdField and ModelMultipleChoiceField
for forms, parse_id/parse_ids for everything else. An id out of range is simply not found.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError

# The largest BIGINT on SQLite and PostgreSQL (BigAutoField, DEFAULT_AUTO_FIELD).
MAX_ID = 2**63 - 1
_MAX_DIGITS = len(str(MAX_ID))


def parse_id(value: object) -> int | None:
    """`value` as a row id (1 … MAX_ID), or None when it cannot be one."""
    text = str(value).strip() if value is not None else ""
    if not (text.isascii() and text.isdecimal()) or len(text) > _MAX_DIGITS:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def parse_ids(values: Iterable[object]) -> list[int]:
    """The valid ids among `values`, in order, each once."""
    ids = (parse_id(v) for v in values)
    return list(dict.fromkeys(i for i in ids if i is not None))


class IdConverter:
    """`<id:pk>` in an address: like `<int:pk>`, but a number no row can have is a 404."""

    regex = "[0-9]{1,%d}" % _MAX_DIGITS  # noqa: UP031 - a regex, not a message

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)  # Django then tries the next pattern, and ends in a 404
        return number

    def to_url(self, value: object) -> str:
        return str(int(value))


class IdField(forms.IntegerField):
    """A row id in a form (often hidden): a number in the database's range, or nothing."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class KeptIdField(forms.Field):
    """The hidden id of something stored by an earlier submit of the same form (an uploaded
    photo): nobody types it, so one that is not a valid id is forgotten, not an error."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value) -> int | None:
        return parse_id(value) if value not in self.empty_values else None


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field looks the choices up with `pk__in`, which SQLite cannot do with a
    number beyond its integers: such a choice is refused like any unknown one."""

    def _check_values(self, value):
        for item in value or ():
            if parse_id(item) is None:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)
