"""The search app's tables: the database backend's index, the indexing outbox, the vocabulary
(for typo correction and term rarity) and the search log.

The index tables are the same on SQLite and PostgreSQL; each database adds its full-text
structure by migration (0002): an FTS5 table kept in step by triggers on SQLite, a weighted
tsvector column with a GIN index (and pg_trgm on the vocabulary) on PostgreSQL.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IndexedDocument(models.Model):
    """One search document as the database backend holds it (search.documents). The integer
    id is the full-text structures' row number; `key` is the document's own id."""

    key = models.CharField(max_length=40, unique=True)  # "topic:12", "page:40"
    kind = models.CharField(max_length=10)
    audience = models.CharField(max_length=10)
    title = models.CharField(max_length=255)
    url = models.CharField(max_length=500)
    # The original texts, for snippets and highlighting.
    body = models.TextField(blank=True)
    answer = models.TextField(blank=True)
    replies = models.TextField(blank=True)
    # The same, analysed (search.analysis): what the full-text structures index.
    title_terms = models.TextField(blank=True)
    tags_terms = models.TextField(blank=True)
    answer_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    replies_terms = models.TextField(blank=True)
    title_words = models.TextField(blank=True)  # as written, for suggestions while typing
    areas = models.JSONField(default=list)
    tags = models.JSONField(default=list)
    host_library = models.CharField(max_length=255, blank=True)
    author = models.CharField(max_length=150, blank=True)
    solved = models.BooleanField(default=False)
    helpful = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    year = models.PositiveSmallIntegerField()
    version = models.BigIntegerField(default=0)  # the outbox entry this row reflects
    digest = models.CharField(max_length=32)

    class Meta:
        indexes = [
            models.Index(fields=["audience", "-created_at"], name="search_doc_newest"),
        ]

    def __str__(self) -> str:
        return self.key


class DocumentFacet(models.Model):
    """The many-valued facets of a document (its competency areas and tags), one row each, so
    that the database counts them with a GROUP BY."""

    class Facet(models.TextChoices):
        AREA = "areas"
        TAG = "tags"

    document = models.ForeignKey(IndexedDocument, on_delete=models.CASCADE, related_name="facets")
    facet = models.CharField(max_length=5, choices=Facet.choices)
    value = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "facet", "value"], name="search_facet_once")
        ]
        indexes = [models.Index(fields=["facet", "value"], name="search_facet_value")]

    def __str__(self) -> str:
        return f"{self.document_id} {self.facet}={self.value}"


class Term(models.Model):
    """An analysed term of the index and how many documents hold it: the rarer a term, the
    more it counts; a query word missing here may be a typo of one that is. Kept exact by the
    database backend's writes. The row with the empty term counts the documents."""

    term = models.CharField(primary_key=True, max_length=64)
    documents = models.IntegerField()  # summed with signed changes (search.backends.database)

    def __str__(self) -> str:
        return f"{self.term} ({self.documents})"


class OutboxEntry(models.Model):
    """A document to bring up to date in the index, written in the same transaction as the
    change that made it stale: nothing is lost while the search engine or the worker is down,
    and nothing is indexed from a change that was rolled back. The worker (search.indexing)
    processes entries in bulk and keeps them a day after, so that a reindex can replay what
    changed while it was building."""

    document_id = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)
    available_at = models.DateTimeField(default=timezone.now)  # retried later after a failure
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["available_at", "id"],
                name="search_outbox_due",
                condition=Q(processed_at=None),
            ),
            models.Index(fields=["processed_at"], name="search_outbox_processed"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.document_id}"


class SearchLogEntry(models.Model):
    """A search as it was asked, without who asked it: what librarians look for, and what they
    did not find (the knowledge gaps worth an article)."""

    query = models.CharField(_("query"), max_length=200)
    normalized = models.CharField(_("normalised query"), max_length=200, db_index=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    results = models.PositiveIntegerField(_("results"))
    opened = models.BooleanField(_("a result was opened"), default=False)
    backend = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(_("searched at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("search")
        verbose_name_plural = _("search log")
        indexes = [
            models.Index(
                fields=["normalized"], name="search_log_no_results", condition=Q(results=0)
            )
        ]

    def __str__(self) -> str:
        return self.query
