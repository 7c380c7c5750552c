"""The search log's reads, for the editors' reports and the development programme."""

from __future__ import annotations

from django.db.models import Count, Max

from search.models import SearchLogEntry


def empty_searches(*, start, end, limit: int = 30) -> list[dict]:
    """Searches in [start, end) that found nothing, grouped by their normalised query (so that
    "Denda?" and "denda" are one), the most frequent first, each with an example as typed."""
    return list(
        SearchLogEntry.objects.filter(results=0, created_at__gte=start, created_at__lt=end)
        .exclude(normalized="")
        .values("normalized")
        .annotate(searches=Count("id"), example=Max("query"), last=Max("created_at"))
        .order_by("-searches", "-last")[:limit]
    )
