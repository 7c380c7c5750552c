"""The knowledge base's answers to a search, from Wagtail's own search index (search.views
gathers them)."""

from __future__ import annotations

from wagtail.models import Page

from kb.models import ArticlePage, ReportPage
from search.results import Result, words


def search(*, query: str, user, limit: int) -> list[Result]:
    pages = Page.objects.live().public().type(ArticlePage, ReportPage).specific()
    found = pages.search(" ".join(words(query)), operator="and")[:limit]
    return [
        Result(
            kind="article" if isinstance(page, ArticlePage) else "report",
            title=page.title,
            url=page.url,
            excerpt=page.summary[:200],
            solved=True,  # reviewed and published by an editor
            date=page.last_published_at,
        )
        for page in found
    ]
