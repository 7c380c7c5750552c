from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

from forum.uploads import MAX_DOCUMENT_BYTES


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form with the same size limit as forum attachments."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and file.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(
                _("This file is too large: at most %(mb)d MB.")
                % {"mb": MAX_DOCUMENT_BYTES // (1024 * 1024)}
            )
        return file
