"""What a member follows and hears about: subscriptions, reading position, notifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TopicState(models.Model):
    """One member's relation to one topic: subscribed or not, and how far they have read.
    One row for both, so the topic page reads them with the topic in one query."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_states"
    )
    topic = models.ForeignKey("forum.Topic", on_delete=models.CASCADE, related_name="states")
    # None: never chosen; subscribed automatically on asking or replying, unless chosen off.
    subscribed = models.BooleanField(null=True)
    last_read_position = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="topic_state_once")]
        indexes = [
            models.Index(
                fields=["topic"], name="topic_state_subscribers", condition=Q(subscribed=True)
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.topic}"


class CategorySubscription(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="category_subscriptions"
    )
    category = models.ForeignKey(
        "forum.Category", on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="category_subscription_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.category}"


class TagSubscription(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tag_subscriptions"
    )
    tag = models.ForeignKey("taggit.Tag", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "tag"], name="tag_subscription_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} → #{self.tag}"


class EmailFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("In a daily digest")
    NEVER = "never", _("Never")


def frequency_field(label, default: str) -> models.CharField:
    return models.CharField(label, max_length=12, choices=EmailFrequency.choices, default=default)


class NotificationSettings(models.Model):
    """Which notifications a member also wants by email, and how often."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    replies = frequency_field(_("New replies in topics I follow"), EmailFrequency.DAILY)
    new_topics = frequency_field(
        _("New questions in categories and tags I follow"), EmailFrequency.DAILY
    )
    mentions = frequency_field(_("Someone mentions me"), EmailFrequency.IMMEDIATELY)
    solutions = frequency_field(
        _("My answer is chosen as the solution"), EmailFrequency.IMMEDIATELY
    )
    moderation = frequency_field(_("A moderator acts on my post"), EmailFrequency.IMMEDIATELY)
    reviews = frequency_field(
        _("An editor reviews my knowledge-base submission"), EmailFrequency.IMMEDIATELY
    )
    training = frequency_field(
        _("My training sessions: reminders, a place from the waiting list, the evaluation"),
        EmailFrequency.IMMEDIATELY,
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.user}"


class Notification(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply")
        NEW_TOPIC = "new_topic", _("New question")
        MENTION = "mention", _("Mention")
        SOLUTION = "solution", _("Solution chosen")
        MODERATION = "moderation", _("Moderation")
        REVIEW_APPROVED = "review_approved", _("Submission published")
        REVIEW_CHANGES = "review_changes", _("Changes requested")
        TRAINING = "training", _("Training")

    # Which NotificationSettings field decides the email for each kind.
    SETTING_FOR_KIND = {
        Kind.REPLY: "replies",
        Kind.NEW_TOPIC: "new_topics",
        Kind.MENTION: "mentions",
        Kind.SOLUTION: "solutions",
        Kind.MODERATION: "moderation",
        Kind.REVIEW_APPROVED: "reviews",
        Kind.REVIEW_CHANGES: "reviews",
        Kind.TRAINING: "training",
    }

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    topic = models.ForeignKey("forum.Topic", on_delete=models.CASCADE, null=True, related_name="+")
    post = models.ForeignKey("forum.Post", on_delete=models.CASCADE, null=True, related_name="+")
    # For moderation: what was done (a ModerationLog.Action) and the moderator's reason or
    # the topic's new place.
    action = models.CharField(max_length=20, blank=True)
    message = models.CharField(max_length=300, blank=True)
    # For what is not a forum post (a knowledge-base page): its title and address.
    subject = models.CharField(max_length=255, blank=True)
    link = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Waiting for the daily digest, or already sent by email (then set).
    email_due = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient"], name="notification_unread", condition=Q(read_at=None)
            ),
            models.Index(
                fields=["recipient"], name="notification_digest", condition=Q(email_due=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient}"
