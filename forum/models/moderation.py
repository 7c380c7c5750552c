from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Flag(models.Model):
    """A member's report that a post needs a moderator."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        RUDE = "rude", _("Rude or abusive")
        OFF_TOPIC = "off_topic", _("Off-topic")
        OTHER = "other", _("Something else")

    class Resolution(models.TextChoices):
        HIDDEN = "hidden", _("Post hidden")
        DISMISSED = "dismissed", _("Dismissed: nothing wrong")

    post = models.ForeignKey("forum.Post", on_delete=models.CASCADE, related_name="flags")
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.CharField(max_length=20, choices=Resolution.choices, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # One open flag per member and post; a new one is possible once it is resolved.
            models.UniqueConstraint(
                fields=["post", "flagged_by"],
                condition=Q(resolved_at=None),
                name="flag_open_once",
            )
        ]
        indexes = [
            models.Index(fields=["created_at"], name="flag_open", condition=Q(resolved_at=None))
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.post}"


class ModerationLog(models.Model):
    """Every moderator action, for accountability."""

    class Action(models.TextChoices):
        PIN = "pin", _("Pinned")
        UNPIN = "unpin", _("Unpinned")
        LOCK = "lock", _("Locked")
        UNLOCK = "unlock", _("Unlocked")
        MOVE = "move", _("Moved")
        MERGE = "merge", _("Merged")
        HIDE = "hide", _("Hidden")
        UNHIDE = "unhide", _("Shown again")
        MARK_SOLUTION = "mark_solution", _("Marked the solution")
        UNMARK_SOLUTION = "unmark_solution", _("Unmarked the solution")
        DISMISS_FLAGS = "dismiss_flags", _("Dismissed flags")

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    topic = models.ForeignKey(
        "forum.Topic", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    post = models.ForeignKey(
        "forum.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    details = models.CharField(max_length=300, blank=True)  # e.g. "from X to Y", a reason
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.actor} {self.get_action_display()} {self.topic or ''}"
