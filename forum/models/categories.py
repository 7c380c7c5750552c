from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """A competency area of the librarian development programme: the one taxonomy that
    forum categories, knowledge-base pages and search facets share (DESIGN.md)."""

    class Colour(models.TextChoices):
        # Classes in serambi.css (no inline styles under our CSP), each at AA contrast.
        TEAL = "teal", _("Teal")
        BLUE = "blue", _("Blue")
        PURPLE = "purple", _("Purple")
        RED = "red", _("Red")
        ORANGE = "orange", _("Orange")
        GREEN = "green", _("Green")
        BROWN = "brown", _("Brown")
        GREY = "grey", _("Grey")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name (Indonesian)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    description = models.TextField(_("description (Indonesian)"), max_length=500, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    colour = models.CharField(_("colour"), max_length=10, choices=Colour.choices)
    members_only = models.BooleanField(
        _("members only"),
        default=False,
        help_text=_("Visitors who are not signed in cannot see this category or its topics."),
    )

    # Bumped by forum.services whenever an administrator edits the category: the version of
    # what visitors' cached topic pages show of it (its name, whether it is for members only).
    version = models.PositiveIntegerField(default=0, editable=False)
    # Kept by forum.services, so that the forum home needs no counting.
    topic_count = models.PositiveIntegerField(default=0, editable=False)
    reply_count = models.PositiveIntegerField(default=0, editable=False)
    last_topic = models.ForeignKey(
        "forum.Topic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("forum:category", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name

    @property
    def display_description(self) -> str:
        if get_language() == "en" and self.description_en:
            return self.description_en
        return self.description
