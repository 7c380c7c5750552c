"""The forum's answers to a search (search.views gathers them)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.html import strip_tags

from forum import rendering, selectors
from search.results import Result, words


def search(*, query: str, user, limit: int) -> list[Result]:
    matches = Q()
    for word in words(query):
        matches &= Q(title__icontains=word) | Q(tags__name__icontains=word)
    topics = (
        selectors.listed_topics(user=user)
        .filter(matches)
        .distinct()
        .order_by("-last_activity_at")
        .select_related("solution")[:limit]
    )
    return [
        Result(
            kind="topic",
            title=topic.title,
            url=topic.get_absolute_url(),
            # From the stored HTML: rendering again would look up every @mention.
            excerpt=rendering.excerpt(" ".join(strip_tags(topic.solution.html).split()))
            if topic.solution
            else "",
            solved=topic.solution_id is not None,
            date=topic.last_activity_at,
        )
        for topic in topics
    ]
