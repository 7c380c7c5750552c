from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    """This list's address at another page, keeping its filter and sort."""
    query = context["request"].GET.copy()
    if int(number) > 1:
        query["page"] = number
    else:
        query.pop("page", None)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else context["request"].path


@register.filter
def page_window(number: int, pages: int) -> list[int | None]:
    """Page numbers to link: the first, the last, and two either side of the current one;
    None where pages are left out."""
    shown = {1, pages, *range(max(1, number - 2), min(pages, number + 2) + 1)}
    window: list[int | None] = []
    for n in sorted(shown):
        if window and n - (window[-1] or 0) > 1:
            window.append(None)
        window.append(n)
    return window
