"""The coordinators' filters (kept in the address so that a view can be bookmarked and shared),
and the training sessions' check-in and evaluation forms."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Library
from forum.models import Category
from programme import periods
from programme.models import Evaluation

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LONGEST = datetime.timedelta(days=5 * 366)  # five years: a page, not a history of everything


def _check_span(form: forms.Form, data: dict) -> None:
    start, end = data.get("start"), data.get("end")
    if start and end and abs(end - start) > LONGEST:
        form.add_error("end", _("Choose at most five years."))


def _valid(form: forms.Form) -> dict:
    # The fields that are valid: a wrong date falls back to its default (its error shown)
    # without the others being forgotten.
    form.is_valid()
    return getattr(form, "cleaned_data", {})


class InsightFilters(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"), choices=periods.CHOICES, initial=periods.QUARTER, required=False
    )
    start = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    area = forms.ModelChoiceField(
        label=_("Competency area"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All areas"),
    )
    library = forms.ModelChoiceField(
        label=_("Library"),
        queryset=Library.objects.order_by("name"),
        required=False,
        empty_label=_("All libraries"),
    )

    def clean(self):
        data = super().clean()
        if data.get("period") == periods.CUSTOM and not (data.get("start") and data.get("end")):
            self.add_error("start", _("Choose both the first and the last day."))
        _check_span(self, data)
        return data

    def chosen(self) -> dict:
        """The valid filters (an invalid one falls back to its default, with its error shown)."""
        data = _valid(self) if self.is_bound else {}
        kind = data.get("period") or periods.QUARTER
        if kind == periods.CUSTOM and not (data.get("start") and data.get("end")):
            kind = periods.QUARTER
        return {
            "period": periods.period(kind, first=data.get("start"), last=data.get("end")),
            "kind": kind,
            "area": data.get("area"),
            "library": data.get("library"),
        }


class RecordFilters(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)

    def clean(self):
        data = super().clean()
        _check_span(self, data)
        return data

    def chosen(self) -> periods.Period:
        data = _valid(self) if self.is_bound else {}
        if data.get("start") and data.get("end"):
            return periods.period(periods.CUSTOM, first=data["start"], last=data["end"])
        return periods.period(periods.YEAR)


# --- Training ----------------------------------------------------------------------------------


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=20,
        help_text=_("The code shown in the room or in the online meeting."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = [
            "relevance",
            "trainer",
            "materials",
            "confidence_before",
            "confidence_after",
            "apply",
            "comments",
        ]
        widgets = dict.fromkeys(
            ("relevance", "trainer", "materials", "confidence_before", "confidence_after"),
            forms.RadioSelect,
        ) | {
            "apply": forms.Textarea(attrs={"rows": 3}),
            "comments": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "relevance": _("1: not at all, 5: very much"),
            "confidence_before": _("1: not at all confident, 5: fully confident"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("relevance", "trainer", "materials", "confidence_before", "confidence_after"):
            self.fields[name].choices = Evaluation.SCALE  # no empty "---------" radio
