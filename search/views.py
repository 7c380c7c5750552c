from __future__ import annotations

from datetime import date, datetime, time

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from config.discovery import app_modules
from search.results import MAX_QUERY_LENGTH, Result, words

PER_SOURCE = 20


def _when(result: Result) -> float:
    moment = result.date
    if isinstance(moment, date) and not isinstance(moment, datetime):
        moment = timezone.make_aware(datetime.combine(moment, time()))
    return moment.timestamp() if moment else 0.0


@require_safe
def search_view(request: HttpRequest) -> HttpResponse:
    """Questions and knowledge-base pages matching every word, solved and reviewed ones first.

    A first search over titles, tags and summaries (and Wagtail's own index for the knowledge
    base); full-text search of answers in Bahasa Indonesia comes with the search service of
    DESIGN.md."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results: list[Result] = []
    if words(query):
        for module in app_modules("search"):
            results += module.search(query=query, user=request.user, limit=PER_SOURCE)
    results.sort(key=lambda r: (not r.solved, -_when(r)))
    return render(request, "search/results.html", {"search_query": query, "results": results})
