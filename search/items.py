"""Search hits as pages show them: in the reader's language, with their kind's name."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from config.context_processors import path_in
from search.backends.base import Hit
from search.documents import Kind

KIND_LABELS = {
    Kind.TOPIC: _("Forum question"),
    Kind.ARTICLE: _("Best-practice article"),
    Kind.REPORT: _("Internship report"),
}


def listed(hits: list[Hit]) -> list[dict]:
    """Title, address (in the active language), kind and solved state of each hit: plain
    values, so that a list can be cached."""
    language = get_language()
    return [
        {
            "title": hit.document.title,
            "url": path_in(hit.document.url, language),
            "kind": str(KIND_LABELS.get(hit.document.kind, "")),
            "solved": hit.document.solved and hit.document.kind == Kind.TOPIC,
        }
        for hit in hits
    ]
