"""The knowledge base's page tree:

    KnowledgeBaseHome                  /kb/
    ├── ArticleIndexPage               /kb/praktik-baik/       best-practice articles
    │   └── ArticlePage
    └── ReportIndexPage                /kb/laporan-magang/     internship (magang) reports
        └── ReportPage

Each page type declares where it may stand (parent_page_types / subpage_types)."""

from __future__ import annotations

import math
import re

from django.conf import settings
from django.db import models
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from kb import blocks

WORDS_PER_MINUTE = 200


class KnowledgeBaseHome(Page):
    intro = models.TextField(_("introduction"), blank=True, max_length=600)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["kb.ArticleIndexPage", "kb.ReportIndexPage"]
    max_count = 1

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("knowledge base home")

    def get_context(self, request, *args, **kwargs):
        from kb import permissions, selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(
            articles=selectors.latest(model=ArticlePage),
            reports=selectors.latest(model=ReportPage),
            indexes=self.get_children().live().specific(),
            can_submit=permissions.can_submit(request.user),
        )
        return context


class ArticleIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True, max_length=600)

    parent_page_types = ["kb.KnowledgeBaseHome"]
    subpage_types = ["kb.ArticlePage"]
    max_count = 1

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("best-practice articles")

    def get_context(self, request, *args, **kwargs):
        from kb import selectors

        context = super().get_context(request, *args, **kwargs)
        context["groups"] = selectors.articles_by_area(index=self)
        return context


class ReportIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True, max_length=600)

    parent_page_types = ["kb.KnowledgeBaseHome"]
    subpage_types = ["kb.ReportPage"]
    max_count = 1

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("internship reports")

    def get_context(self, request, *args, **kwargs):
        from kb import permissions

        context = super().get_context(request, *args, **kwargs)
        context["reports"] = (
            ReportPage.objects.child_of(self)
            .live()
            .select_related("host_library")
            .order_by("-end_date")
        )
        context["can_submit"] = permissions.can_submit(request.user)
        return context


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "kb.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ReportTag(TaggedItemBase):
    content_object = ParentalKey(
        "kb.ReportPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ReaderFeatures:
    """What both kinds of knowledge page offer their readers."""

    def headings(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def plain_text(self) -> str:
        raise NotImplementedError

    @property
    def reading_minutes(self) -> int:
        words = len(re.findall(r"\w+", self.plain_text()))
        return max(1, math.ceil(words / WORDS_PER_MINUTE))

    def get_context(self, request, *args, **kwargs):
        from kb import permissions, selectors

        context = super().get_context(request, *args, **kwargs)
        areas, tags = list(self.areas.all()), list(self.tags.all())
        context.update(
            areas=areas,
            tags=tags,
            headings=self.headings(),
            related=selectors.related_content(page=self, user=request.user, tags=tags),
            feedback=selectors.feedback_for(page=self, user=request.user),
            can_give_feedback=permissions.can_give_feedback(request.user),
            can_see_contacts=permissions.can_see_contacts(request.user),
        )
        return context


class ArticlePage(ReaderFeatures, Page):
    class Audience(models.TextChoices):
        ALL = "all", _("Every librarian")
        FRONT_DESK = "front_desk", _("Service desk staff")
        SCHOOL = "school", _("School librarians")
        MANAGERS = "managers", _("Library heads and managers")
        IT = "it", _("Library IT staff")

    summary = models.TextField(_("summary"), max_length=600)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.ALL
    )
    areas = ParentalManyToManyField(
        "forum.Category", verbose_name=_("competency areas"), related_name="articles"
    )
    tags = ClusterTaggableManager(through=ArticleTag, blank=True, verbose_name=_("tags"))
    body = StreamField(blocks.ARTICLE_BLOCKS, verbose_name=_("body"))
    source_reports = ParentalManyToManyField(
        "kb.ReportPage",
        blank=True,
        verbose_name=_("distilled from reports"),
        related_name="articles",
    )
    source_topics = ParentalManyToManyField(
        "forum.Topic",
        blank=True,
        verbose_name=_("distilled from forum topics"),
        related_name="articles",
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    parent_page_types = ["kb.ArticleIndexPage"]
    subpage_types: list[str] = []

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("audience"), FieldPanel("areas"), FieldPanel("tags")],
            heading=_("Who and what it is for"),
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("source_reports"),
                FieldPanel("source_topics"),
                FieldPanel("last_reviewed"),
                FieldPanel("reviewer"),
            ],
            heading=_("Sources and review"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = _("best-practice article")

    def headings(self) -> list[tuple[str, str]]:
        return [
            (slugify(block.value["text"]) or "bagian", block.value["text"])
            for block in self.body
            if block.block_type == "heading"
        ]

    def plain_text(self) -> str:
        parts = [self.summary]
        for block in self.body.raw_data:
            value = block.get("value")
            if isinstance(value, str):
                parts.append(strip_tags(value))
            elif isinstance(value, dict):
                parts.extend(strip_tags(str(v)) for v in value.values() if isinstance(v, str))
            elif isinstance(value, list):
                parts.extend(
                    strip_tags(str(item.get("value", item) if isinstance(item, dict) else item))
                    for item in value
                )
        return " ".join(parts)


class ReportPage(ReaderFeatures, Page):
    """An internship (magang) write-up: what was seen at the host library, and the plan to
    bring it home. Librarians fill it through the guided form (kb.views); editors publish."""

    class FollowUp(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        IMPLEMENTED = "implemented", _("Implemented")

    participants = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participants"),
        related_name="reports",
        limit_choices_to={"groups__name": "Librarians", "is_active": True},
    )
    host_library = models.ForeignKey(
        "accounts.Library",
        verbose_name=_("host library"),
        on_delete=models.PROTECT,
        related_name="hosted_reports",
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    scheme = models.CharField(
        _("scheme or funder"),
        max_length=200,
        blank=True,
        help_text=_("e.g. the city's development programme, a provincial grant."),
    )
    areas = ParentalManyToManyField(
        "forum.Category", verbose_name=_("competency areas"), related_name="reports"
    )
    tags = ClusterTaggableManager(through=ReportTag, blank=True, verbose_name=_("tags"))
    summary = models.TextField(_("summary"), max_length=1000)
    objectives = models.TextField(_("objectives"), max_length=3000)
    practices = StreamField(
        [("practice", blocks.PracticeBlock())], verbose_name=_("practices observed")
    )
    adaptation_plan = StreamField(
        [("step", blocks.AdaptationStepBlock())], verbose_name=_("plan for home"), blank=True
    )
    lessons_learned = models.TextField(_("lessons learned"), max_length=3000, blank=True)
    contacts = StreamField(
        [("contact", blocks.ContactBlock())],
        verbose_name=_("contacts"),
        blank=True,
        help_text=_("Shown to signed-in members only."),
    )
    attachments = StreamField(
        [("document", blocks.DocumentBlock())], verbose_name=_("attachments"), blank=True
    )
    follow_up_status = models.CharField(
        _("follow-up"), max_length=20, choices=FollowUp.choices, default=FollowUp.PLANNED
    )
    follow_up_date = models.DateField(_("follow-up date"), null=True, blank=True)

    parent_page_types = ["kb.ReportIndexPage"]
    subpage_types: list[str] = []

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("participants"),
                FieldPanel("host_library"),
                FieldPanel("start_date"),
                FieldPanel("end_date"),
                FieldPanel("scheme"),
                FieldPanel("areas"),
                FieldPanel("tags"),
            ],
            heading=_("The internship"),
        ),
        FieldPanel("summary"),
        FieldPanel("objectives"),
        FieldPanel("practices"),
        FieldPanel("adaptation_plan"),
        FieldPanel("lessons_learned"),
        FieldPanel("contacts"),
        FieldPanel("attachments"),
        MultiFieldPanel(
            [FieldPanel("follow_up_status"), FieldPanel("follow_up_date")],
            heading=_("Follow-up"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("objectives"),
        index.SearchField("practices"),
        index.SearchField("lessons_learned"),
    ]

    class Meta:
        verbose_name = _("internship report")

    def headings(self) -> list[tuple[str, str]]:
        sections = [("tujuan", _("Objectives"))]
        sections += [
            (f"praktik-{n}", block.value["title"])
            for n, block in enumerate(self.practices, start=1)
        ]
        if self.adaptation_plan:
            sections.append(("rencana", _("Plan for home")))
        if self.lessons_learned:
            sections.append(("pelajaran", _("Lessons learned")))
        return sections

    def plain_text(self) -> str:
        parts = [self.summary, self.objectives, self.lessons_learned]
        for block in self.practices.raw_data:
            value = block.get("value", {})
            parts += [str(value.get(key, "")) for key in ("title", "description", "why_it_works")]
        return " ".join(parts)
