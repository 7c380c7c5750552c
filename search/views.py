"""The search page, the suggestions while typing, similar questions, and the note that a
result was opened. Every page works without script: facets are links, the header's box is a
plain form; the script adds suggestions and the "similar questions" panel."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from config.context_processors import path_in
from config.ids import parse_id
from search import items, registry, service
from search.analysis import analyze_query
from search.backends.base import FACETS, Filters, Sort
from search.documents import Kind
from search.highlight import highlight, snippet

KIND_LABELS = {
    Kind.TOPIC: _("Forum questions"),
    Kind.ARTICLE: _("Best-practice articles"),
    Kind.REPORT: _("Internship reports"),
}
SOLVED_LABELS = {"true": _("Solved or reviewed"), "false": _("Not solved yet")}
FACET_TITLES = {
    "kind": _("Kind"),
    "areas": _("Competency area"),
    "tags": _("Tags"),
    "solved": _("Status"),
    "year": _("Year"),
}
# Query-string names of the facets' filters.
PARAMETERS = {"kind": "kind", "areas": "area", "tags": "tag", "solved": "solved", "year": "year"}


def filters_from(request: HttpRequest) -> Filters:
    get = request.GET

    def values(name: str, limit: int = 10) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v[:100] for v in get.getlist(name) if v))[:limit]

    solved = get.get("solved")
    years = tuple(int(y) for y in values("year") if y.isascii() and y.isdecimal() and len(y) == 4)
    return Filters(
        kinds=tuple(k for k in values("kind") if k in Kind.ALL),
        areas=values("area"),
        tags=values("tag"),
        solved={"true": True, "false": False}.get(solved or ""),
        years=years,
    )


def _toggle_url(request: HttpRequest, parameter: str, value: str) -> tuple[str, bool]:
    """The address of these results with one facet value added or removed (page 1)."""
    chosen = request.GET.getlist(parameter)
    selected = value in chosen
    if parameter == "solved":
        chosen = [] if selected else [value]
    else:
        chosen = [v for v in chosen if v != value] if selected else [*chosen, value]
    pairs = [(k, v) for k, vs in request.GET.lists() if k not in {parameter, "page"} for v in vs]
    return "?" + urlencode([*pairs, *((parameter, v) for v in chosen)]), selected


def _facets(request: HttpRequest, results: service.Results) -> list[dict]:
    names = {
        "kind": {k: str(v) for k, v in KIND_LABELS.items()},
        "areas": registry.labels("areas"),
        "solved": {k: str(v) for k, v in SOLVED_LABELS.items()},
    }
    shown = []
    for facet in FACETS:
        values = []
        for value, count in results.facets.get(facet, []):
            url, selected = _toggle_url(request, PARAMETERS[facet], value)
            label = names.get(facet, {}).get(value, f"#{value}" if facet == "tags" else value)
            values.append({"label": label, "count": count, "url": url, "selected": selected})
        if values:
            shown.append({"name": facet, "title": FACET_TITLES[facet], "values": values})
    return shown


def _items(results: service.Results, terms: list[str]) -> list[dict]:
    language = get_language()
    areas = registry.labels("areas")
    shown = []
    for hit in results.hits:
        document = hit.document
        shown.append(
            {
                "document": document,
                "url": path_in(document.url, language),
                "kind": items.KIND_LABELS.get(document.kind, ""),
                "title": highlight(document.title, terms),
                "snippet": snippet([document.answer, document.body, document.replies], terms),
                "areas": [areas.get(a, a) for a in document.areas],
            }
        )
    return shown


@require_safe
def search_view(request: HttpRequest) -> HttpResponse:
    query = service.clean_query(request.GET.get("q", ""))
    sort = request.GET.get("sort", Sort.RELEVANCE)
    page = parse_id(request.GET.get("page", "1")) or 1
    results = service.search(
        query=query,
        user=request.user,
        filters=filters_from(request),
        sort=sort if sort in Sort.ALL else Sort.RELEVANCE,
        page=page,
        correct=request.GET.get("exact") != "1",
    )
    terms = analyze_query(results.corrected or query)
    context = {
        "search_query": query,
        "results": results,
        "items": _items(results, terms),
        "facets": _facets(request, results),
        "sort": sort,
        "exact_url": "?" + urlencode({"q": query, "exact": "1"}),
        "page_urls": _page_urls(request, results),
        "sort_urls": {choice: _with(request, sort=choice, page=None) for choice in Sort.ALL},
        "ask_url": "?" + urlencode({"title": query}),
    }
    return render(request, "search/results.html", context)


def _with(request: HttpRequest, **changes) -> str:
    """These results' address with some parameters set (or, given None, left out)."""
    pairs = [(k, v) for k, vs in request.GET.lists() if k not in changes for v in vs]
    pairs += [(k, str(v)) for k, v in changes.items() if v is not None]
    return "?" + urlencode(pairs)


def _page_urls(request: HttpRequest, results: service.Results) -> dict:
    return {
        "previous": _with(request, page=results.page - 1) if results.page > 1 else "",
        "next": _with(request, page=results.page + 1) if results.page < results.pages else "",
    }


@require_safe
def suggest_view(request: HttpRequest) -> JsonResponse:
    language = get_language()
    found = service.suggestions(text=request.GET.get("q", ""), user=request.user)
    return JsonResponse(
        {
            "suggestions": [
                {"title": s.title, "url": path_in(s.url, language), "kind": s.kind} for s in found
            ]
        }
    )


@require_safe
def similar_view(request: HttpRequest) -> HttpResponse:
    """Questions and pages like the text being typed, as a fragment for the ask form."""
    exclude = tuple(request.GET.getlist("exclude"))[:5]
    hits = service.similar(text=request.GET.get("text", ""), user=request.user, exclude=exclude)
    return render(request, "search/includes/similar.html", {"similar": items.listed(hits)})


@require_POST
def opened_view(request: HttpRequest) -> HttpResponse:
    """A result of a logged search was opened (sent by the page's script as it leaves)."""
    log_id = parse_id(request.POST.get("log"))
    if log_id is not None:
        service.mark_opened(log_id)
    return HttpResponse(status=204)
