from __future__ import annotations

import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from config.ids import IdField
from forum.models import Category, Flag, NotificationSettings, Topic
from forum.models.topics import BODY_MAX_LENGTH, MAX_TAGS, TITLE_MAX_LENGTH, TITLE_MIN_LENGTH
from forum.services.posting import MAX_ATTACHMENTS, clean_body, clean_tags, clean_title


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files in one input; each is checked by forum.uploads when the form is saved."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("At most %(max)d attachments per post.") % {"max": MAX_ATTACHMENTS}
            )
        return [super(FilesField, self).clean(f, initial) for f in files]


class BodyField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Your text"))
        kwargs.setdefault(
            "help_text",
            _(
                "Markdown: **bold**, *italic*, lists with -, > quotes, `code`, links. @name "
                "mentions a member."
            ),
        )
        super().__init__(
            max_length=BODY_MAX_LENGTH,
            strip=False,
            widget=forms.Textarea(attrs={"rows": 10, "data-markdown": ""}),
            **kwargs,
        )

    def clean(self, value):
        return clean_body(super().clean(value) or "")


class PostingForm(forms.Form):
    """What asking, replying and editing share: the text and new attachments. Files uploaded
    by an earlier submit that failed are kept by the view (forum.views.uploads).

    Each form carries a one-time key, made when it is shown: sending the same form twice (a
    double click without script, a phone retrying on a slow connection) posts once."""

    body = BodyField()
    files = FilesField(label=_("Attach screenshots, photos or documents"))
    submission_key = forms.RegexField(
        regex=r"^[A-Za-z0-9_-]{0,32}$", required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission_key"].initial = secrets.token_urlsafe(16)
        self.fields["files"].help_text = _(
            "Images (JPEG, PNG, WebP, GIF) up to 8 MB, documents (PDF, Word, Excel, "
            "PowerPoint, OpenDocument, text) up to 5 MB; at most %(max)d files."
        ) % {"max": MAX_ATTACHMENTS}


class AskForm(PostingForm):
    title = forms.CharField(
        label=_("Question"),
        min_length=TITLE_MIN_LENGTH,
        max_length=TITLE_MAX_LENGTH,
        help_text=_(
            "One sentence that says the problem, e.g. “How do I handle a patron who "
            "keeps returning books late?”"
        ),
    )
    category = forms.ModelChoiceField(
        label=_("Competency area"), queryset=Category.objects.all(), empty_label=None
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=300,
        help_text=_(
            "Up to %(max)d words, separated by commas or spaces, e.g. slims, sirkulasi. "
            "Join the words of one tag with a hyphen: layanan-anak."
        )
        % {"max": MAX_TAGS},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "data-tags": reverse_lazy("forum:tag_suggestions")}
        ),
    )

    field_order = ["title", "category", "body", "tags", "files"]

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        if categories is not None:
            self.fields["category"].queryset = categories

    def clean_title(self):
        return clean_title(self.cleaned_data["title"])

    def clean_tags(self):
        return clean_tags(self.cleaned_data["tags"].replace(",", " ").split())


class ReplyForm(PostingForm):
    body = BodyField(label=_("Your answer"))


class EditForm(PostingForm):
    """Editing a post; for the question also its title and tags."""

    title = forms.CharField(
        label=_("Question"), min_length=TITLE_MIN_LENGTH, max_length=TITLE_MAX_LENGTH
    )
    tags = forms.CharField(label=_("Tags"), required=False, max_length=300)

    field_order = ["title", "body", "tags", "files"]

    def __init__(self, *args, is_question: bool, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["submission_key"]  # saving the same edit twice changes nothing
        if not is_question:
            del self.fields["title"]
            del self.fields["tags"]

    def clean_title(self):
        return clean_title(self.cleaned_data["title"])

    def clean_tags(self):
        return clean_tags(self.cleaned_data["tags"].replace(",", " ").split())


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this post?"),
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("A note for the moderators (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MoveForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Move to"), queryset=Category.objects.all(), empty_label=None
    )


class MergeForm(forms.Form):
    target = IdField(
        label=_("Merge into topic number"),
        help_text=_("The number in the other topic's address: /forum/t/<number>/…"),
    )

    def clean_target(self):
        target = Topic.objects.filter(pk=self.cleaned_data["target"], merged_into=None).first()
        if target is None:
            raise ValidationError(_("There is no topic with that number."))
        return target


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason, shown to the author"), required=False, max_length=300)


class NotificationSettingsForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=_("Language of emails"), choices=User._meta.get_field("language").choices
    )

    class Meta:
        model = NotificationSettings
        fields = [
            "replies",
            "new_topics",
            "mentions",
            "solutions",
            "moderation",
            "reviews",
            "training",
        ]
        widgets = dict.fromkeys(fields, forms.RadioSelect)
