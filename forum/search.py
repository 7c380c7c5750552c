"""The forum's adapter to search (registered by search.apps at start-up): a topic as one search
document, and every indexable topic for a full reindex.

A topic is indexed while readers can list it (visible, not merged away); its text is what they
can read: the question, the accepted answer and the other visible replies, never a hidden or
deleted post. Members-only categories make members-only documents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from django.conf import settings
from django.utils import translation
from django.utils.html import strip_tags

from forum.models import Category, Post, Topic
from forum.services.writes import SEARCH_PREFIX
from search.documents import Audience, Kind, SearchDocument

# A thread longer than this is indexed by its first part: the question, the answer and the
# earliest replies say what it is about, and a few huge threads must not slow every search.
MAX_REPLIES_CHARACTERS = 60_000


def _text(post: Post) -> str:
    # The rendered text, as readers see it: Markdown's punctuation and link targets left out.
    return " ".join(strip_tags(post.html).split())


class TopicAdapter:
    prefix = SEARCH_PREFIX

    def documents(self, pks: Sequence[int]) -> dict[int, SearchDocument]:
        topics = list(
            Topic.objects.filter(pk__in=list(pks), is_visible=True, merged_into=None)
            .select_related("category", "author")
            .prefetch_related("tags")
        )
        posts: dict[int, list[Post]] = defaultdict(list)
        visible = Post.objects.filter(
            topic__in=[t.pk for t in topics], deleted_at=None, hidden_at=None
        )
        for post in visible.only("topic_id", "position", "html").order_by("topic_id", "position"):
            posts[post.topic_id].append(post)
        # Addresses in the site's default language, whatever language the writer used.
        with translation.override(settings.LANGUAGE_CODE):
            return {t.pk: self._document(t, posts[t.pk]) for t in topics}

    def _document(self, topic: Topic, posts: list[Post]) -> SearchDocument:
        question = next((p for p in posts if p.position == 1), None)
        answer = next((p for p in posts if p.pk == topic.solution_id), None)
        replies, length = [], 0
        for post in posts:
            if post.position > 1 and post is not answer and length < MAX_REPLIES_CHARACTERS:
                replies.append(_text(post))
                length += len(replies[-1])
        members_only = topic.category.members_only
        return SearchDocument(
            id=f"{self.prefix}:{topic.pk}",
            kind=Kind.TOPIC,
            title=topic.title,
            url=topic.get_absolute_url(),
            created_at=topic.created_at,
            updated_at=topic.last_activity_at,
            body=_text(question) if question else "",
            answer=_text(answer) if answer else "",
            replies="\n".join(replies)[:MAX_REPLIES_CHARACTERS],
            areas=(topic.category.slug,),
            tags=tuple(sorted(tag.slug for tag in topic.tags.all())),
            author=str(topic.author),
            solved=answer is not None,
            helpful=topic.helpful_count,
            audience=Audience.MEMBERS if members_only else Audience.PUBLIC,
        )

    def batches(self, size: int) -> Iterator[list[SearchDocument]]:
        pks = Topic.objects.filter(is_visible=True, merged_into=None).order_by("pk")
        chunk: list[int] = []
        for pk in pks.values_list("pk", flat=True).iterator(chunk_size=size):
            chunk.append(pk)
            if len(chunk) == size:
                yield list(self.documents(chunk).values())
                chunk = []
        if chunk:
            yield list(self.documents(chunk).values())

    def count(self) -> int:
        return Topic.objects.filter(is_visible=True, merged_into=None).count()


def labels(facet: str) -> dict[str, str]:
    """The competency areas' names in the active language, for the search page's facets."""
    if facet != "areas":
        return {}
    return {category.slug: category.display_name for category in Category.objects.all()}


ADAPTER = TopicAdapter()
