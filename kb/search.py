"""The knowledge base's adapter to search (registered by search.apps at start-up): a published
article or internship report as one search document.

A page is indexed while it is live and readable: a page behind a sign-in restriction is for
members, one behind a password or a group restriction is not found at all. Its text is its
searchable content as Wagtail defines it for each block (StreamField.get_searchable_content),
not an approximation; a report's contacts (for members only, on the page) are never indexed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.conf import settings
from django.db.models import Count, Q
from django.utils import translation
from wagtail.models import Page, PageViewRestriction

from kb.models import ArticlePage, Feedback, ReportPage
from search.documents import Audience, Kind, SearchDocument

PREFIX = "page"
TEXT_FIELDS = {
    ArticlePage: ("summary", "body"),
    ReportPage: ("summary", "objectives", "practices", "adaptation_plan", "lessons_learned"),
}


def _searchable(page: Page, name: str) -> str:
    field = page._meta.get_field(name)
    value = getattr(page, name)
    if hasattr(field, "get_searchable_content"):
        parts = field.get_searchable_content(value)
    else:
        parts = [value or ""]
    return "\n".join(" ".join(str(part).split()) for part in parts if part)


def _audience(page: Page, restrictions: list[PageViewRestriction]) -> str | None:
    """Who may read the page, from the view restrictions on it or above it; None: nobody
    through search (a password or a group restriction)."""
    applying = [r for r in restrictions if page.path.startswith(r.page.path)]
    if not applying:
        return Audience.PUBLIC
    if all(r.restriction_type == PageViewRestriction.LOGIN for r in applying):
        return Audience.MEMBERS
    return None


class PageAdapter:
    prefix = PREFIX

    def _live(self):
        return Page.objects.live().type(ArticlePage, ReportPage)

    def documents(self, pks: Sequence[int]) -> dict[int, SearchDocument]:
        pages = list(self._live().filter(pk__in=list(pks)).specific())
        if not pages:
            return {}
        restrictions = list(PageViewRestriction.objects.select_related("page"))
        helpful = dict(
            Feedback.objects.filter(page__in=pages)
            .values("page")
            .annotate(n=Count("id", filter=Q(helpful=True)))
            .values_list("page", "n")
        )
        found = {}
        with translation.override(settings.LANGUAGE_CODE):
            for page in pages:
                audience = _audience(page, restrictions)
                if audience is not None:
                    found[page.pk] = self._document(page, audience, helpful.get(page.pk, 0))
        return found

    def _document(self, page: Page, audience: str, helpful: int) -> SearchDocument:
        is_report = isinstance(page, ReportPage)
        text = [_searchable(page, name) for name in TEXT_FIELDS[type(page)]]
        if is_report and page.scheme:
            text.append(page.scheme)
        published = page.first_published_at or page.last_published_at
        return SearchDocument(
            id=f"{self.prefix}:{page.pk}",
            kind=Kind.REPORT if is_report else Kind.ARTICLE,
            title=page.title,
            url=page.get_url() or "",
            created_at=published,
            updated_at=page.last_published_at or published,
            body="\n\n".join(t for t in text if t),
            areas=tuple(sorted(area.slug for area in page.areas.all())),
            tags=tuple(sorted(tag.slug for tag in page.tags.all())),
            host_library=str(page.host_library.name) if is_report and page.host_library else "",
            author=str(page.owner) if page.owner_id else "",
            solved=True,  # reviewed by an editor before it was published
            helpful=helpful,
            audience=audience,
        )

    def batches(self, size: int) -> Iterator[list[SearchDocument]]:
        pks = list(self._live().order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), size):
            yield list(self.documents(pks[start : start + size]).values())

    def count(self) -> int:
        return self._live().count()


ADAPTER = PageAdapter()
