"""Who may do what in the forum. Every view and service asks here; templates only mirror the
answers (`can_*`), the server enforces them (`check_can_*`): what a reader may not see does not
exist for them (Http404, so that a members-only or hidden topic's address reveals nothing);
what they may see but not do is refused (PermissionDenied, 403).

Roles come with the signed-in member in one query (accounts.backends), so these checks cost
no query on a page.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts import roles
from forum.models import Attachment, Category, Post, Topic


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _visible(allowed: bool) -> None:
    if not allowed:
        raise Http404


def is_librarian(user) -> bool:
    return roles.has_role(user, roles.LIBRARIANS)


def is_moderator(user) -> bool:
    return roles.has_role(user, roles.MODERATORS)


# --- Reading --------------------------------------------------------------------------------


def can_view_category(user, category: Category) -> bool:
    return not category.members_only or user.is_authenticated


def can_view_topic(user, topic: Topic) -> bool:
    if not can_view_category(user, topic.category):
        return False
    return topic.is_visible or is_moderator(user) or topic.author_id == user.pk


def can_see_post_content(user, post: Post) -> bool:
    """Hidden posts keep their place in the thread, but only their author and moderators
    read what they said; deleted posts are read by nobody but moderators."""
    if post.is_deleted:
        return is_moderator(user)
    if post.is_hidden:
        return is_moderator(user) or post.author_id == user.pk
    return True


def can_view_attachment(user, attachment: Attachment) -> bool:
    if attachment.post is None:  # uploaded with a form not yet saved
        return attachment.uploader_id == user.pk
    post = attachment.post
    return can_view_topic(user, post.topic) and can_see_post_content(user, post)


# --- Writing --------------------------------------------------------------------------------


def can_ask(user, category: Category | None = None) -> bool:
    return is_librarian(user) and (category is None or can_view_category(user, category))


def can_reply(user, topic: Topic) -> bool:
    return (
        is_librarian(user)
        and can_view_topic(user, topic)
        and topic.merged_into_id is None
        and (not topic.is_locked or is_moderator(user))
    )


def can_edit_post(user, post: Post) -> bool:
    # Only the author edits what they wrote; moderators hide instead.
    return (
        is_librarian(user)
        and post.author_id == user.pk
        and post.is_visible
        and not post.topic.is_locked
    )


def can_delete_post(user, post: Post) -> bool:
    return is_librarian(user) and post.author_id == user.pk and not post.is_deleted


def can_mark_solution(user, topic: Topic) -> bool:
    if is_moderator(user):
        return True
    return is_librarian(user) and topic.author_id == user.pk and not topic.is_locked


def can_be_solution(post: Post) -> bool:
    return not post.is_question and post.is_visible


def can_vote(user, post: Post) -> bool:
    return is_librarian(user) and post.author_id != user.pk and post.is_visible


def can_flag(user, post: Post) -> bool:
    return is_librarian(user) and post.author_id != user.pk and post.is_visible


def can_subscribe(user) -> bool:
    return is_librarian(user)


def can_moderate(user) -> bool:
    return is_moderator(user)


# --- The same answers, enforced ------------------------------------------------------------


def check_can_view_category(*, user, category: Category) -> None:
    _visible(can_view_category(user, category))


def check_can_view_topic(*, user, topic: Topic) -> None:
    _visible(can_view_topic(user, topic))


def check_can_view_attachment(*, user, attachment: Attachment) -> None:
    _visible(can_view_attachment(user, attachment))


def check_can_ask(*, user, category: Category | None = None) -> None:
    _require(can_ask(user, category))


def check_can_reply(*, user, topic: Topic) -> None:
    _require(can_reply(user, topic))


def check_can_edit_post(*, user, post: Post) -> None:
    _require(can_edit_post(user, post))


def check_can_delete_post(*, user, post: Post) -> None:
    _require(can_delete_post(user, post))


def check_can_mark_solution(*, user, topic: Topic, post: Post | None = None) -> None:
    _require(can_mark_solution(user, topic))
    if post is not None:
        _require(post.topic_id == topic.pk and can_be_solution(post))


def check_can_vote(*, user, post: Post) -> None:
    _require(can_vote(user, post))


def check_can_flag(*, user, post: Post) -> None:
    _require(can_flag(user, post))


def check_can_upload(*, user) -> None:
    _require(is_librarian(user))


def check_can_subscribe(*, user) -> None:
    _require(can_subscribe(user))


def check_can_moderate(*, user) -> None:
    _require(can_moderate(user))
