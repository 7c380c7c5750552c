from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from config.reversing import reverse_one

TITLE_MIN_LENGTH = 10
TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 50_000
MAX_TAGS = 5
POSTS_PER_PAGE = 20


class TaggedTopic(TaggedItemBase):
    content_object = models.ForeignKey("forum.Topic", on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("topic tag")
        verbose_name_plural = _("topic tags")


class Topic(models.Model):
    """A question met at the service desk, and the thread that answers it. Its first post
    (position 1) is the question itself."""

    category = models.ForeignKey(
        "forum.Category",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="topics",
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    slug = models.SlugField(max_length=80, allow_unicode=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="topics",
    )
    tags = TaggableManager(through=TaggedTopic, blank=True, verbose_name=_("tags"))
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)

    # Listed at all: false once merged into another topic or hidden by moderation.
    is_visible = models.BooleanField(default=True)
    # False for a discussion Serambi opens itself (a training session's): the programme's
    # figures count the questions librarians ask, not these.
    is_question = models.BooleanField(default=True, editable=False)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_topics"
    )

    # The moments the programme's evaluation needs (DESIGN.md, Insights).
    first_answered_at = models.DateTimeField(null=True, blank=True)
    first_answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    solution = models.OneToOneField(
        "forum.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="solution_of"
    )
    solved_at = models.DateTimeField(null=True, blank=True)
    solved_by = models.ForeignKey(  # who marked it: the asker or a moderator
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # Kept by forum.services.
    last_position = models.PositiveIntegerField(default=0)  # hands out post positions
    # The number of the topic's latest event (forum.models.events): what a page was rendered
    # at, and the version of everything a visitor sees of the topic.
    event_number = models.PositiveIntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0)  # replies readers can see
    helpful_count = models.PositiveIntegerField(default=0)  # "helpful" votes on all its posts
    view_count = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(default=timezone.now)
    last_post = models.ForeignKey(
        "forum.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The published knowledge-base article distilled from this topic (kept by the knowledge
    # base when it publishes one), so that the topic page shows it without a query.
    documented_in_title = models.CharField(max_length=255, blank=True)
    documented_in_url = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        indexes = [
            # One index per list order; pagination walks them (forum.selectors).
            models.Index(
                fields=["category", "-is_pinned", "-last_activity_at", "-id"],
                name="topic_category_activity",
                condition=Q(is_visible=True),
            ),
            models.Index(
                fields=["-last_activity_at", "-id"],
                name="topic_activity",
                condition=Q(is_visible=True),
            ),
            models.Index(fields=["category", "-created_at", "-id"], name="topic_category_newest"),
            models.Index(fields=["author", "-created_at"], name="topic_author"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:topic", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def is_solved(self) -> bool:
        return self.solution_id is not None


class Post(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    position = models.PositiveIntegerField()  # 1 is the question; replies follow in order
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    source = models.TextField(_("text"), max_length=BODY_MAX_LENGTH)  # Markdown, as written
    html = models.TextField()  # rendered and sanitised by forum.rendering
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    revision_count = models.PositiveIntegerField(default=0)  # earlier versions kept
    helpful_count = models.PositiveIntegerField(default=0)
    attachment_count = models.PositiveSmallIntegerField(default=0)

    # The one-time key of the form that sent it: the same form sent twice (a double click, a
    # retry on a slow connection) finds this post instead of making another.
    submission_key = models.CharField(max_length=32, blank=True, default="", editable=False)

    deleted_at = models.DateTimeField(null=True, blank=True)  # by its author; soft
    hidden_at = models.DateTimeField(null=True, blank=True)  # by a moderator
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["position"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(fields=["topic", "position"], name="post_unique_position"),
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=~Q(submission_key=""),
                name="post_submission_once",
            ),
        ]
        indexes = [
            models.Index(fields=["author", "-created_at"], name="post_author"),
            # The programme's answers in a period (forum.selectors.statistics): the posts'
            # rows hold their bodies, so a count over a year reads this instead of the table
            # (an index-only scan on PostgreSQL, which keeps the two columns with it).
            models.Index(
                fields=["created_at"],
                include=["author", "topic"],
                condition=Q(position__gt=1, deleted_at=None, hidden_at=None),
                name="post_answers_by_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} #{self.position}"

    def get_absolute_url(self) -> str:
        # Its actions live below it (forum/urls.py): <this>helpful/, <this>edit/…
        return reverse_one("forum:post", "pk", self.pk)

    @property
    def is_question(self) -> bool:
        return self.position == 1

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_visible(self) -> bool:
        return self.deleted_at is None and self.hidden_at is None


class PostRevision(models.Model):
    """An earlier version of a post, kept when it is edited; readers can see them all."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX_LENGTH, blank=True)  # the question's title then
    source = models.TextField()
    html = models.TextField()
    created_at = models.DateTimeField()  # when this version was written
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="revision_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.post} v{self.number}"


class HelpfulVote(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="helpful_votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helpful_votes"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="helpful_vote_once")]

    def __str__(self) -> str:
        return f"{self.user} → {self.post}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Never the uploaded name: a random one, so addresses cannot be guessed or collide.
    now = timezone.now()
    return f"forum/{now:%Y/%m}/{secrets.token_urlsafe(12)}{instance.extension}"


class Attachment(models.Model):
    """A screenshot, photo or small document attached to a post. Uploaded with the form; kept
    without a post until the post is saved, and removed if it never is."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        DOCUMENT = "document", _("Document")

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    filename = models.CharField(max_length=100)  # shown and offered for download
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["post"], name="attachment_post")]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("forum:attachment", kwargs={"pk": self.pk, "filename": self.filename})
