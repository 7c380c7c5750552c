"""Asking, replying, editing and deleting."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from forum import permissions, ratelimits, rendering
from forum.models import Attachment, Category, Post, PostRevision, Topic, TopicState
from forum.models.topics import (
    BODY_MAX_LENGTH,
    MAX_TAGS,
    TITLE_MAX_LENGTH,
    TITLE_MIN_LENGTH,
)
from forum.services import notifications
from forum.services.counters import (
    categories_for_update,
    category_refresh,
    category_reply_added,
    category_topic_added,
    topic_clear_solution,
    topic_refresh,
)
from forum.services.writes import topic_write, topics_changed

MAX_ATTACHMENTS = 5
TAG_MAX_LENGTH = 40


# A topic's address is /forum/t/<pk>/<slug>/; these words are the topic's own actions there.
RESERVED_SLUGS = {"reply", "follow", "moderate"}


def topic_slug(title: str) -> str:
    slug = slugify(title)[:80] or "topik"
    return f"{slug}-topik" if slug in RESERVED_SLUGS else slug


def clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not TITLE_MIN_LENGTH <= len(title) <= TITLE_MAX_LENGTH:
        raise ValidationError(
            _("The question must be %(min)d to %(max)d characters long.")
            % {"min": TITLE_MIN_LENGTH, "max": TITLE_MAX_LENGTH},
            code="title_length",
        )
    return title


def clean_body(body: str) -> str:
    body = body.replace("\r\n", "\n").strip("\n")
    if not body.strip():
        raise ValidationError(_("Write something first: the text is empty."), code="empty")
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError(
            _("The text is too long: at most %(max)d characters.") % {"max": BODY_MAX_LENGTH},
            code="too_long",
        )
    return body


def clean_tags(tags: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for tag in tags:
        tag = slugify(tag.strip().lstrip("#"))[:TAG_MAX_LENGTH]
        if tag and tag not in cleaned:
            cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError(_("At most %(max)d tags.") % {"max": MAX_TAGS}, code="too_many_tags")
    return cleaned


def _attach(post: Post, *, uploader: User, attachment_ids: Iterable[int]) -> None:
    ids = list(dict.fromkeys(attachment_ids))
    if not ids:
        return
    already = post.attachment_count
    if already + len(ids) > MAX_ATTACHMENTS:
        raise ValidationError(
            _("At most %(max)d attachments per post.") % {"max": MAX_ATTACHMENTS},
            code="too_many_attachments",
        )
    # Only the uploader's own files that no post holds yet.
    attached = Attachment.objects.filter(pk__in=ids, uploader=uploader, post=None).update(post=post)
    post.attachment_count = already + attached
    post.save(update_fields=["attachment_count"])


def _subscribe_automatically(user: User, topic: Topic) -> None:
    state, created = TopicState.objects.get_or_create(
        user=user, topic=topic, defaults={"subscribed": True}
    )
    if not created and state.subscribed is None:  # never chosen: follow; chosen off: respect it
        state.subscribed = True
        state.save(update_fields=["subscribed"])


def _already_sent(author: User, submission_key: str) -> Post | None:
    """The post an earlier sending of the same form made, if any."""
    if not submission_key:
        return None
    return Post.objects.filter(author=author, submission_key=submission_key).first()


@transaction.atomic
def topic_create(
    *,
    author: User,
    category: Category,
    title: str,
    body: str,
    tags: Iterable[str] = (),
    attachment_ids: Iterable[int] = (),
    submission_key: str = "",
    discussion: bool = False,
) -> Topic:
    """Ask a question: the topic, its first post, the author's subscription, notifications.
    The same form sent again (`submission_key`) returns the topic it made the first time.
    `discussion=True` for a topic Serambi opens itself (a training session's): not a question
    in the programme's figures, and not held to the posting limit."""
    permissions.check_can_ask(user=author, category=category)
    title, body, tags = clean_title(title), clean_body(body), clean_tags(tags)
    # The category is locked first: a second sending of the same form waits here, then finds
    # the topic the first one made.
    categories_for_update(category)
    if earlier := _already_sent(author, submission_key):
        return earlier.topic
    if not discussion:
        ratelimits.hit(user=author, action="topic")
    rendered = rendering.render_markdown(body)
    now = timezone.now()
    topic = Topic.objects.create(
        category=category,
        title=title,
        slug=topic_slug(title),
        author=author,
        created_at=now,
        last_activity_at=now,
        last_position=1,
        is_question=not discussion,
    )
    question = Post.objects.create(
        topic=topic,
        position=1,
        author=author,
        source=body,
        html=rendered.html,
        created_at=now,
        submission_key=submission_key,
    )
    topic.last_post = question
    topic.save(update_fields=["last_post"])
    if tags:
        topic.tags.set(tags)
    _attach(question, uploader=author, attachment_ids=attachment_ids)
    _subscribe_automatically(author, topic)
    category_topic_added(category, topic)
    notifications.on_topic_created(topic=topic, post=question, mentions=rendered.mentions)
    topics_changed(topic.pk)  # a new topic: the write path's record, without a lock to take
    from forum import realtime

    transaction.on_commit(lambda: realtime.broadcast_topic_created(topic.pk))
    return topic


def reply_create(
    *,
    author: User,
    topic: Topic,
    body: str,
    attachment_ids: Iterable[int] = (),
    submission_key: str = "",
) -> Post:
    """Answer a topic. The same form sent again (`submission_key`) returns the reply it made
    the first time."""
    # Positions are handed out one by one, and a moderator's lock may have just come. The lock
    # also makes a second sending of the same form wait, and then find the first one's reply.
    with topic_write(topic.pk) as write:
        topic = write.topic
        if earlier := _already_sent(author, submission_key):
            return earlier
        permissions.check_can_reply(user=author, topic=topic)
        body = clean_body(body)
        ratelimits.hit(user=author, action="post")
        rendered = rendering.render_markdown(body)
        topic.last_position += 1
        post = Post.objects.create(
            topic=topic,
            position=topic.last_position,
            author=author,
            source=body,
            html=rendered.html,
            submission_key=submission_key,
        )
        update = ["last_position"]
        if topic.first_answered_at is None and author.pk != topic.author_id:
            topic.first_answered_at, topic.first_answered_by = post.created_at, author
            update += ["first_answered_at", "first_answered_by"]
        topic.save(update_fields=update)
        _attach(post, uploader=author, attachment_ids=attachment_ids)
        _subscribe_automatically(author, topic)
        topic_refresh(topic)
        category_reply_added(topic.category, topic)
        notifications.on_reply_created(topic=topic, post=post, mentions=rendered.mentions)
        write.event("post.created", post=post.pk)
        return post


def post_edit(
    *,
    post: Post,
    editor: User,
    body: str,
    title: str | None = None,
    tags: Iterable[str] | None = None,
    attachment_ids: Iterable[int] = (),
    remove_attachment_ids: Iterable[int] = (),
) -> Post:
    """Change a post (and, for the question, the topic's title and tags, its attachments); the
    earlier version is kept as a revision that readers can see."""
    with topic_write(post.topic_id) as write:
        topic = post.topic = write.topic
        post.refresh_from_db()  # as it is now: a moderator may have just hidden it
        permissions.check_can_edit_post(user=editor, post=post)
        body = clean_body(body)
        new_title = clean_title(title) if post.is_question and title is not None else topic.title
        new_tags = clean_tags(tags) if post.is_question and tags is not None else None
        if body != post.source or new_title != topic.title:
            _keep_revision(post, title=topic.title)
            old_mentions = rendering.mention_candidates(post.source)
            rendered = rendering.render_markdown(body)
            post.source, post.html = body, rendered.html
            post.edited_at = timezone.now()
            post.revision_count += 1
            post.save(update_fields=["source", "html", "edited_at", "revision_count"])
            notifications.on_post_edited(post=post, new_mentions=rendered.mentions - old_mentions)
        if post.is_question and new_title != topic.title:
            topic.title, topic.slug = new_title, topic_slug(new_title)
            topic.save(update_fields=["title", "slug"])
            write.event("topic.retitled", title=topic.title, url=topic.get_absolute_url())
        if new_tags is not None:
            topic.tags.set(new_tags)
        _detach(post, attachment_ids=remove_attachment_ids)
        _attach(post, uploader=editor, attachment_ids=attachment_ids)
        write.event("post.edited", post=post.pk)
        return post


def _keep_revision(post: Post, *, title: str) -> None:
    PostRevision.objects.create(
        post=post,
        number=post.revision_count + 1,
        title=title if post.is_question else "",
        source=post.source,
        html=post.html,
        created_at=post.edited_at or post.created_at,
        author=post.author,  # only the author edits (forum.permissions)
    )


def _detach(post: Post, *, attachment_ids: Iterable[int]) -> None:
    leaving = list(Attachment.objects.filter(post=post, pk__in=list(attachment_ids)))
    if not leaving:
        return
    files = [(a.file.storage, a.file.name) for a in leaving]
    Attachment.objects.filter(pk__in=[a.pk for a in leaving]).delete()
    post.attachment_count = max(0, post.attachment_count - len(leaving))
    post.save(update_fields=["attachment_count"])
    # Files are not part of the transaction: removed only once the rows are surely gone.
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


def post_delete(*, post: Post, by: User) -> None:
    """The author takes a post back: it stays in the thread as "deleted by its author"."""
    with topic_write(post.topic_id) as write:
        topic = post.topic = write.topic
        post.refresh_from_db()
        permissions.check_can_delete_post(user=by, post=post)
        post.deleted_at = timezone.now()
        post.save(update_fields=["deleted_at"])
        write.event("post.deleted", post=post.pk)
        if topic.solution_id == post.pk:
            topic_clear_solution(topic)
            write.event("solution.changed", post=None)
        topic_refresh(topic)
        if post.is_question and topic.reply_count == 0:
            # A question taken back before anyone answered leaves the lists.
            topic.is_visible = False
            topic.save(update_fields=["is_visible"])
            write.event("topic.hidden")
        category_refresh(topic.category)


def topic_set_documentation(*, topic: Topic, title: str = "", url: str = "") -> None:
    """Record (or, with empty values, clear) the published article distilled from a topic."""
    with topic_write(topic.pk) as write:
        write.topic.documented_in_title, write.topic.documented_in_url = title[:255], url[:500]
        write.topic.save(update_fields=["documented_in_title", "documented_in_url"])
        write.event("topic.documented", title=title[:255], url=url[:500])
