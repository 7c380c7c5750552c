from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Library, User


class LibraryChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=Library.objects.order_by("name", "city"),
            required=False,
            label=_("Library where you work"),
            empty_label=_("— not listed / none —"),
            help_text=_("Not listed? Leave it empty; an administrator can add your library."),
            **kwargs,
        )

    def label_from_instance(self, obj: Library) -> str:
        return f"{obj.name} ({obj.city})"


class SignupForm(AllauthSignupForm):
    name = forms.CharField(
        label=_("Display name"),
        max_length=User._meta.get_field("name").max_length,
        help_text=_("Shown with your questions and answers, e.g. Sari Wulandari."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    library = LibraryChoiceField()

    field_order = ["name", "email", "username", "library", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].help_text = _(
            "Your @handle for mentions, e.g. sari.w: letters, digits and . _ - only."
        )


class ProfileForm(forms.ModelForm):
    library = LibraryChoiceField()

    class Meta:
        model = User
        fields = ["name", "position", "library", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4, "maxlength": 1000})}
