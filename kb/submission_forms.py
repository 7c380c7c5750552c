"""The guided form a librarian fills after an internship: it mirrors the report template
(kb.models.ReportPage). Repeating parts are formsets; a "one more" button adds a row without
script. Photos and documents are stored as soon as they arrive (kb.services), so that a
submit that fails validation never loses an upload."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from accounts.models import Library, User
from config.ids import KeptIdField, ModelMultipleChoiceField
from forum.forms import MultipleFileInput
from forum.models import Category
from forum.models.topics import MAX_TAGS
from forum.services.posting import clean_tags
from forum.uploads import MAX_DOCUMENT_BYTES
from kb.models import ReportPage

PHOTO_SLOTS = 3
# <input type=date> reads and writes ISO dates only; Django would fill it with the
# language's date format (03-08-2026 in Indonesian), which the browser drops.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(label, *, max_length, rows=4, required=True, help_text=""):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ReportForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the report"),
        min_length=10,
        max_length=200,
        help_text=_("e.g. “Circulation with SLiMS at the South Sumatra Provincial Library”."),
    )
    host_library = forms.ModelChoiceField(
        label=_("Host library"),
        queryset=Library.objects.order_by("name"),
        help_text=_("Not listed? Ask an editor to add it."),
    )
    start_date = forms.DateField(label=_("First day"), widget=DATE_INPUT)
    end_date = forms.DateField(label=_("Last day"), widget=DATE_INPUT)
    scheme = forms.CharField(label=_("Scheme or funder"), max_length=200, required=False)
    areas = ModelMultipleChoiceField(
        label=_("Competency areas"),
        queryset=Category.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=300,
        # The same rules as the forum's tags (forum.services.posting.clean_tags).
        help_text=_(
            "Up to %(max)d words, separated by commas or spaces, e.g. slims, sirkulasi. "
            "Join the words of one tag with a hyphen: layanan-anak."
        )
        % {"max": MAX_TAGS},
    )
    colleagues = forms.CharField(
        label=_("Colleagues who went with you"),
        required=False,
        max_length=300,
        help_text=_("Their @handles on Serambi, separated by commas (optional)."),
    )
    summary = _text(
        _("Summary"),
        max_length=1000,
        rows=3,
        help_text=_("Two or three sentences: where, what, and the main lesson."),
    )
    objectives = _text(_("Objectives"), max_length=3000, help_text=_("What you went to learn."))
    lessons_learned = _text(_("Lessons learned"), max_length=3000, required=False)
    follow_up_status = forms.ChoiceField(
        label=_("Follow-up at home"), choices=ReportPage.FollowUp.choices
    )
    follow_up_date = forms.DateField(label=_("Follow-up date"), required=False, widget=DATE_INPUT)
    documents = forms.FileField(
        label=_("Attach documents"),
        required=False,
        widget=MultipleFileInput,
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument or text, up to %(mb)d MB each.")
        % {"mb": MAX_DOCUMENT_BYTES // (1024 * 1024)},
    )

    def clean_tags(self):
        return clean_tags(self.cleaned_data["tags"].replace(",", " ").split())

    def clean_colleagues(self):
        names = [n.strip().lstrip("@").lower() for n in self.cleaned_data["colleagues"].split(",")]
        names = [n for n in names if n]
        found = list(User.objects.filter(username__in=names, is_active=True))
        missing = set(names) - {u.username for u in found}
        if missing:
            raise ValidationError(
                _("No member with these handles: %(names)s.")
                % {"names": ", ".join(sorted(missing))}
            )
        return found

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The internship cannot end before it starts."))
        return data


class PracticeForm(forms.Form):
    title = forms.CharField(
        label=_("Practice"),
        max_length=150,
        help_text=_("e.g. “Reminders by WhatsApp before the due date”."),
    )
    description = _text(_("What they do"), max_length=3000)
    why_it_works = _text(_("Why it works"), max_length=2000, rows=3)
    resources_and_cost = _text(_("Resources and cost"), max_length=1000, rows=2, required=False)
    prerequisites = _text(_("Prerequisites"), max_length=1000, rows=2, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for slot in range(1, PHOTO_SLOTS + 1):
            self.fields[f"photo_{slot}"] = forms.ImageField(
                label=_("Photo %(number)d") % {"number": slot},
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
            )
            self.fields[f"photo_{slot}_id"] = KeptIdField()
            self.fields[f"photo_{slot}_alt"] = forms.CharField(
                label=_("What photo %(number)d shows") % {"number": slot},
                required=False,
                max_length=200,
            )

    def photo_slots(self):
        """For the template: each slot's file input, kept image id and alt text."""
        return [
            (self[f"photo_{n}"], self[f"photo_{n}_id"], self[f"photo_{n}_alt"])
            for n in range(1, PHOTO_SLOTS + 1)
        ]


class PlanStepForm(forms.Form):
    action = forms.CharField(label=_("Action"), max_length=250)
    person_responsible = forms.CharField(label=_("Person responsible"), max_length=150)
    timeline = forms.CharField(label=_("Timeline"), max_length=150)
    resources = forms.CharField(label=_("Resources"), max_length=250, required=False)
    success_indicator = forms.CharField(label=_("Success indicator"), max_length=250)


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    role = forms.CharField(label=_("Role"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)


PracticeFormSet = formset_factory(
    PracticeForm, extra=0, min_num=1, max_num=8, validate_min=True, validate_max=True
)
# One empty row offered; an empty row is simply left out.
PlanFormSet = formset_factory(PlanStepForm, extra=1, max_num=12, validate_max=True)
ContactFormSet = formset_factory(ContactForm, extra=1, max_num=6, validate_max=True)

FORMSETS = {"practices": PracticeFormSet, "plan": PlanFormSet, "contacts": ContactFormSet}
