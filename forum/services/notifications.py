"""Who hears about what. The in-app notification is written with the change; its email is
sent after commit (immediately) or gathered into the daily digest (forum.tasks)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from forum.models import (
    CategorySubscription,
    EmailFrequency,
    Notification,
    NotificationSettings,
    Post,
    TagSubscription,
    Topic,
    TopicState,
)

Kind = Notification.Kind


def unread_cache_key(user_id: int) -> str:
    return f"forum:unread:{user_id}"


def _forget_unread(user_ids: Iterable[int]) -> None:
    keys = [unread_cache_key(pk) for pk in user_ids]
    transaction.on_commit(lambda: cache.delete_many(keys))


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    actor: User | None,
    topic: Topic | None = None,
    post: Post | None = None,
    action: str = "",
    message: str = "",
    subject: str = "",
    link: str = "",
) -> list[Notification]:
    """Write one notification per recipient (never to the actor themselves) and schedule the
    emails their settings ask for."""
    people = {u.pk: u for u in recipients if u.is_active and (actor is None or u.pk != actor.pk)}
    if not people:
        return []
    chosen = {s.user_id: s for s in NotificationSettings.objects.filter(user_id__in=people)}
    setting = Notification.SETTING_FOR_KIND[kind]
    created, immediate = [], []
    for pk, person in people.items():
        frequency = getattr(chosen.get(pk) or NotificationSettings(user=person), setting)
        notification = Notification(
            recipient=person,
            kind=kind,
            actor=actor,
            topic=topic,
            post=post,
            action=action,
            message=message[:300],
            subject=subject[:255],
            link=link[:500],
            email_due=frequency == EmailFrequency.DAILY,
        )
        created.append(notification)
        if frequency == EmailFrequency.IMMEDIATELY:
            immediate.append(notification)
    Notification.objects.bulk_create(created)
    _forget_unread(people)
    from forum import realtime  # their open pages update their badge (forum.consumers)

    recipients = list(people)
    transaction.on_commit(lambda: realtime.notify_members(recipients, kind=kind))
    if immediate:
        from forum.tasks import send_notification_emails

        ids = [n.pk for n in immediate]
        transaction.on_commit(lambda: send_notification_emails.enqueue(ids))
    return created


def _users(ids: Iterable[int]) -> list[User]:
    return list(User.objects.filter(pk__in=set(ids), is_active=True))


def _mentioned(usernames: Iterable[str]) -> list[User]:
    return list(User.objects.filter(username__in=list(usernames), is_active=True))


def still_visible(notification: Notification) -> bool:
    """Whether its recipient may still see what a notification is about: a topic or post hidden
    (or taken back) since must not reach them by email or in the inbox."""
    from forum import permissions

    recipient = notification.recipient
    if notification.topic_id and not permissions.can_view_topic(recipient, notification.topic):
        return False
    post = notification.post
    return post is None or permissions.can_see_post_content(recipient, post)


def _visible_to(users: Iterable[User], topic: Topic) -> list[User]:
    # Members-only categories are for members, which every recipient is; hidden topics reach
    # nobody but their author.
    return [u for u in users if topic.is_visible or u.pk == topic.author_id]


def on_topic_created(*, topic: Topic, post: Post, mentions: Iterable[str]) -> None:
    mentioned = _visible_to(_mentioned(mentions), topic)
    notify(recipients=mentioned, kind=Kind.MENTION, actor=topic.author, topic=topic, post=post)
    followers = set(
        CategorySubscription.objects.filter(category=topic.category).values_list("user", flat=True)
    ) | set(TagSubscription.objects.filter(tag__in=topic.tags.all()).values_list("user", flat=True))
    followers -= {u.pk for u in mentioned}
    notify(
        recipients=_users(followers),
        kind=Kind.NEW_TOPIC,
        actor=topic.author,
        topic=topic,
        post=post,
    )


def on_reply_created(*, topic: Topic, post: Post, mentions: Iterable[str]) -> None:
    mentioned = _visible_to(_mentioned(mentions), topic)
    notify(recipients=mentioned, kind=Kind.MENTION, actor=post.author, topic=topic, post=post)
    followers = set(
        TopicState.objects.filter(topic=topic, subscribed=True).values_list("user", flat=True)
    ) - {u.pk for u in mentioned}
    notify(
        recipients=_visible_to(_users(followers), topic),
        kind=Kind.REPLY,
        actor=post.author,
        topic=topic,
        post=post,
    )


def on_post_edited(*, post: Post, new_mentions: Iterable[str]) -> None:
    if new_mentions:
        notify(
            recipients=_visible_to(_mentioned(new_mentions), post.topic),
            kind=Kind.MENTION,
            actor=post.author,
            topic=post.topic,
            post=post,
        )


def on_solution_marked(*, topic: Topic, post: Post, by: User) -> None:
    notify(recipients=[post.author], kind=Kind.SOLUTION, actor=by, topic=topic, post=post)


def on_moderated(*, post: Post, by: User, action: str, message: str = "") -> None:
    notify(
        recipients=[post.author],
        kind=Kind.MODERATION,
        actor=by,
        topic=post.topic,
        post=post,
        action=action,
        message=message,
    )


# --- The member's own inbox -----------------------------------------------------------------


def notification_mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark some (or, with None, all) of a member's notifications read."""
    unread = Notification.objects.filter(recipient=user, read_at=None)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    count = unread.update(read_at=timezone.now())
    if count:
        _forget_unread([user.pk])
    return count


def notifications_mark_read_for_topic(*, user: User, topic: Topic) -> None:
    """Reading a topic reads its notifications."""
    count = Notification.objects.filter(recipient=user, topic=topic, read_at=None).update(
        read_at=timezone.now()
    )
    if count:
        _forget_unread([user.pk])


@transaction.atomic
def notification_settings_update(
    *, user: User, language: str | None = None, **frequencies: str
) -> NotificationSettings:
    """Choose, per kind, whether notifications also come by email and how often, and the
    language of those emails."""
    fields = set(Notification.SETTING_FOR_KIND.values())
    unknown = set(frequencies) - fields
    if unknown or any(f not in EmailFrequency.values for f in frequencies.values()):
        raise ValueError(f"unknown notification settings: {sorted(unknown) or frequencies}")
    if language is not None:
        user.language = language
        user.save(update_fields=["language"])
    chosen, _ = NotificationSettings.objects.update_or_create(user=user, defaults=frequencies)
    # Items gathered for the digest of a kind no longer set to "daily" are not due any more.
    not_daily = [
        kind
        for kind, field in Notification.SETTING_FOR_KIND.items()
        if getattr(chosen, field) != EmailFrequency.DAILY
    ]
    Notification.objects.filter(recipient=user, email_due=True, kind__in=not_daily).update(
        email_due=False
    )
    return chosen


def notification_email_stop(*, user: User, setting: str) -> NotificationSettings:
    """The one-click unsubscribe of an email: that kind (or, for the digest, every kind that
    was gathered into it) is emailed no more. In-app notifications go on."""
    chosen = NotificationSettings.objects.filter(user=user).first() or NotificationSettings(
        user=user
    )
    if setting == "digest":
        fields = [
            f
            for f in Notification.SETTING_FOR_KIND.values()
            if getattr(chosen, f) == EmailFrequency.DAILY
        ]
    else:
        fields = [setting]
    return notification_settings_update(user=user, **dict.fromkeys(fields, EmailFrequency.NEVER))
