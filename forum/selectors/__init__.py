"""The forum's reads: what each page needs, with its joins done, in a fixed number of queries."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.http import Http404
from taggit.models import Tag

from accounts.models import User
from forum import permissions
from forum.models import (
    Attachment,
    Category,
    Flag,
    HelpfulVote,
    ModerationLog,
    Notification,
    Post,
    TaggedTopic,
    Topic,
    TopicState,
)
from forum.models.topics import POSTS_PER_PAGE
from forum.services.notifications import still_visible, unread_cache_key

TOPICS_PER_PAGE = 20


class TopicFilter:
    ALL = "all"
    UNSOLVED = "unsolved"
    SOLVED = "solved"
    UNANSWERED = "unanswered"
    CHOICES = (ALL, UNSOLVED, SOLVED, UNANSWERED)


class TopicSort:
    ACTIVITY = "activity"
    NEWEST = "newest"
    HELPFUL = "helpful"
    CHOICES = (ACTIVITY, NEWEST, HELPFUL)
    ORDER = {
        ACTIVITY: ("-last_activity_at", "-id"),
        NEWEST: ("-created_at", "-id"),
        HELPFUL: ("-helpful_count", "-last_activity_at", "-id"),
    }


@dataclass
class TopicPage:
    topics: list[Topic]
    number: int
    pages: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


# --- Categories -----------------------------------------------------------------------------


def visible_categories(*, user) -> QuerySet[Category]:
    categories = Category.objects.all()
    if not user.is_authenticated:
        categories = categories.filter(members_only=False)
    return categories


def category_for(*, slug: str, user) -> Category:
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        raise Http404
    permissions.check_can_view_category(user=user, category=category)
    return category


def forum_home(*, user) -> list[Category]:
    """The categories a reader may see, each with its latest topic and that topic's last poster."""
    return list(
        visible_categories(user=user).select_related("last_topic", "last_topic__last_post__author")
    )


# --- Topic lists ----------------------------------------------------------------------------


def listed_topics(*, user) -> QuerySet[Topic]:
    topics = Topic.objects.filter(is_visible=True)
    if not user.is_authenticated:
        topics = topics.filter(category__members_only=False)
    return topics


def topic_list(
    *,
    user,
    category: Category | None = None,
    tag: Tag | None = None,
    author: User | None = None,
    filter: str = TopicFilter.ALL,
    sort: str = TopicSort.ACTIVITY,
    page: int = 1,
) -> TopicPage:
    """A page of topics. Deep pages stay fast: the offset walks a narrow index of ids
    (topic_category_activity, topic_activity…) and only the page's rows are then loaded."""
    topics = listed_topics(user=user)
    if category is not None:
        topics = topics.filter(category=category)
    if tag is not None:
        topics = topics.filter(tags=tag)
    if author is not None:
        topics = topics.filter(author=author)
    topics = _filtered(topics, filter)

    unfiltered_category = category is not None and tag is None and author is None
    if unfiltered_category and filter == TopicFilter.ALL:
        total = category.topic_count  # kept by forum.services: no counting
    else:
        total = topics.count()
    pages = max(1, math.ceil(total / TOPICS_PER_PAGE))
    number = min(max(1, page), pages)
    offset = (number - 1) * TOPICS_PER_PAGE
    order = TopicSort.ORDER.get(sort, TopicSort.ORDER[TopicSort.ACTIVITY])
    if unfiltered_category and sort == TopicSort.ACTIVITY:
        order = ("-is_pinned", *order)  # pinned topics head their category
    ids = list(
        topics.order_by(*order).values_list("id", flat=True)[offset : offset + TOPICS_PER_PAGE]
    )
    rows = {t.pk: t for t in _topic_rows(Topic.objects.filter(pk__in=ids))}
    return TopicPage([rows[pk] for pk in ids if pk in rows], number, pages, total)


def _filtered(topics: QuerySet[Topic], filter: str) -> QuerySet[Topic]:
    if filter == TopicFilter.UNSOLVED:
        return topics.filter(solution=None)
    if filter == TopicFilter.SOLVED:
        return topics.exclude(solution=None)
    if filter == TopicFilter.UNANSWERED:
        return topics.filter(reply_count=0)
    return topics


def _topic_rows(topics: QuerySet[Topic]) -> QuerySet[Topic]:
    return topics.select_related("category", "author", "last_post__author").prefetch_related("tags")


def latest_topics(*, user, limit: int = 10) -> list[Topic]:
    ids = list(
        listed_topics(user=user)
        .order_by("-last_activity_at", "-id")
        .values_list("id", flat=True)[:limit]
    )
    rows = {t.pk: t for t in _topic_rows(Topic.objects.filter(pk__in=ids))}
    return [rows[pk] for pk in ids if pk in rows]


def tag_for(*, slug: str, user) -> Tag:
    """A tag that some topic the reader may see carries; any other tag does not exist for
    them (a tag of members-only topics reveals nothing to visitors)."""
    topics = listed_topics(user=user)
    used = TaggedTopic.objects.filter(tag=OuterRef("pk"), content_object__in=topics)
    tag = Tag.objects.filter(Exists(used), slug=slug).first()
    if tag is None:
        raise Http404
    return tag


def tag_suggestions(*, prefix: str, user, limit: int = 10) -> list[str]:
    """Existing tags starting with `prefix`, the most used first, from topics the reader can
    see (a members-only topic's tags are not shown to visitors)."""
    prefix = prefix.strip().lower()[:40]
    if not prefix:
        return []
    used = TaggedTopic.objects.filter(content_object__in=listed_topics(user=user))
    return list(
        Tag.objects.filter(name__startswith=prefix, forum_taggedtopic_items__in=used)
        .annotate(uses=Count("forum_taggedtopic_items"))
        .order_by("-uses", "name")
        .values_list("name", flat=True)[:limit]
    )


# --- One topic ------------------------------------------------------------------------------


def topic_page(*, topic_id: int, user) -> Topic:
    """The topic with everything its page shows once: category, asker, the accepted solution
    and its author, and the reader's own state (subscribed, read up to)."""
    # Only what the page shows: posts carry their own authors; a merged topic's target is
    # loaded on the rare redirect.
    topics = Topic.objects.select_related("category", "solution__author")
    if user.is_authenticated:
        state = TopicState.objects.filter(topic=OuterRef("pk"), user=user)
        unread = Notification.objects.filter(recipient=user, topic=OuterRef("pk"), read_at=None)
        topics = topics.annotate(
            reader_subscribed=Subquery(state.values("subscribed")[:1]),
            reader_read_up_to=Subquery(state.values("last_read_position")[:1]),
            # Whether reading the topic reads notifications: only then is anything written.
            reader_unread=Exists(unread),
        )
    try:
        topic = topics.get(pk=topic_id)  # .first() would add an ORDER BY
    except Topic.DoesNotExist:
        raise Http404 from None
    if topic.merged_into_id is None:  # a merged topic only leads on; its target checks
        permissions.check_can_view_topic(user=user, topic=topic)
    return topic


def visitor_page_version(*, topic_id: int) -> tuple | None:
    """What a visitor's page of the topic is a rendering of, in one small query: the topic's
    latest event and its category's version. None when a visitor may not read it from the
    cache (members only, hidden, merged, gone): the full page then decides."""
    row = (
        Topic.objects.filter(pk=topic_id, is_visible=True, merged_into=None)
        .values_list("event_number", "category__version", "category__members_only")
        .first()
    )
    if row is None or row[2]:
        return None
    return row[:2]


def reply_pages(topic: Topic) -> int:
    return max(1, math.ceil((topic.last_position - 1) / POSTS_PER_PAGE))


def page_of_position(position: int) -> int:
    return 1 if position <= 1 else (position - 2) // POSTS_PER_PAGE + 1


def topic_posts(*, topic: Topic, user, page: int) -> list[Post]:
    """The question (on the first page) and one page of replies, in order. Pages are ranges of
    positions, so page 1,000 costs what page 1 does."""
    first = (page - 1) * POSTS_PER_PAGE + 2
    positions = Q(position__range=(first, first + POSTS_PER_PAGE - 1))
    if page == 1:
        positions |= Q(position=1)
    posts = Post.objects.filter(positions, topic=topic).select_related("author__library")
    if user.is_authenticated:
        posts = posts.annotate(
            reader_voted=Exists(HelpfulVote.objects.filter(post=OuterRef("pk"), user=user))
        )
    posts = list(posts.order_by("position"))
    with_files = [p.pk for p in posts if p.attachment_count]
    attachments: dict[int, list[Attachment]] = {}
    if with_files:
        for attachment in Attachment.objects.filter(post_id__in=with_files):
            attachments.setdefault(attachment.post_id, []).append(attachment)
    for post in posts:
        post.topic = topic  # the page's topic: no query per post for permission checks
        post.files = attachments.get(post.pk, [])
    return posts


def post_for(*, pk: int, user) -> Post:
    """One post for an action on it, with what permission checks read."""
    post = Post.objects.select_related("topic__category", "author").filter(pk=pk).first()
    if post is None:
        raise Http404
    permissions.check_can_view_topic(user=user, topic=post.topic)
    return post


def post_for_reader(*, pk: int, user) -> Post:
    """One post with what its buttons read: the reader's own vote, the topic's category."""
    posts = Post.objects.select_related("topic__category", "author")
    if user.is_authenticated:
        posts = posts.annotate(
            reader_voted=Exists(HelpfulVote.objects.filter(post=OuterRef("pk"), user=user))
        )
    post = posts.filter(pk=pk).first()
    if post is None:
        raise Http404
    permissions.check_can_view_topic(user=user, topic=post.topic)
    return post


def quotable_post(*, pk: int | None, user) -> Post | None:
    """The post a reply quotes, if it exists and the reader may read it, else None."""
    if pk is None:
        return None
    post = Post.objects.select_related("topic__category", "author").filter(pk=pk).first()
    if post is None or not post.is_visible or not permissions.can_view_topic(user, post.topic):
        return None
    return post


def post_revisions(*, post: Post) -> list:
    return list(post.revisions.select_related("author").order_by("-number"))


def attachment_for(*, pk: int, user) -> Attachment:
    attachment = Attachment.objects.select_related("post__topic__category").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    permissions.check_can_view_attachment(user=user, attachment=attachment)
    return attachment


# --- People ---------------------------------------------------------------------------------


def member_activity(*, member: User, user) -> dict:
    """What a profile shows of a member's forum life, within what the reader may see."""
    topics = listed_topics(user=user)
    answers = Post.objects.filter(
        author=member,
        position__gt=1,
        deleted_at=None,
        hidden_at=None,
        topic__in=topics,
    )
    return {
        "questions": _topic_rows(topics.filter(author=member)).order_by("-created_at")[:10],
        "answers": answers.select_related("topic").order_by("-created_at")[:10],
        "question_count": topics.filter(author=member).count(),
        "answer_count": answers.count(),
        "solution_count": topics.filter(solution__author=member).count(),
        "helpful_received": answers.aggregate(total=Sum("helpful_count"))["total"] or 0,
    }


# --- Notifications and moderation -----------------------------------------------------------


def unread_count(*, user) -> int:
    """The bell's number, from the cache; forum.services forgets it whenever it changes."""
    if not user.is_authenticated:
        return 0
    key = unread_cache_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at=None).count()
        cache.set(key, count, timeout=60 * 60)
    return count


def notifications_inbox(*, user, limit: int = 50) -> list[Notification]:
    """The member's latest notifications, leaving out those about what they may no longer see
    (a topic or post hidden since)."""
    notifications = (
        Notification.objects.filter(recipient=user)
        .select_related("recipient", "actor", "topic__category", "post")
        .order_by("-created_at", "-id")[:limit]
    )
    for notification in notifications:
        notification.recipient = user  # the signed-in member, with roles: no query per check
    return [n for n in notifications if still_visible(n)]


def flag_queue(*, user) -> list[Post]:
    """Posts with open flags, the longest waiting first, each with its open flags."""
    permissions.check_can_moderate(user=user)
    open_flags = Flag.objects.filter(resolved_at=None)
    first_flagged = open_flags.filter(post=OuterRef("pk")).order_by("created_at")
    return list(
        Post.objects.filter(Exists(open_flags.filter(post=OuterRef("pk"))))
        .annotate(first_flagged_at=Subquery(first_flagged.values("created_at")[:1]))
        .select_related("topic", "author")
        .prefetch_related(
            Prefetch(
                "flags", queryset=open_flags.select_related("flagged_by"), to_attr="open_flags"
            )
        )
        .order_by("first_flagged_at", "pk")
    )


def open_flag_count() -> int:
    return Flag.objects.filter(resolved_at=None).values("post").distinct().count()


def moderation_log(*, user, limit: int = 100) -> list[ModerationLog]:
    permissions.check_can_moderate(user=user)
    return list(ModerationLog.objects.select_related("actor", "topic", "post")[:limit])
