"""Wagtail's publish path, heard (STYLE.md: the one place where signals are right): what the
knowledge base does when an editor publishes, unpublishes, moves, deletes, approves or returns
a page. Each of these brings the page's search document up to date (search.indexing); what a
crash between Wagtail's steps leaves behind, search_housekeeping repairs."""

from __future__ import annotations

from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import override
from wagtail.models import Page
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    workflow_approved,
    workflow_rejected,
)

from forum import services as forum_services
from forum.models import Notification
from forum.services import notifications


def _link(page) -> str:
    with override(None):  # the address in the default language; emails add the host
        return page.get_url() or ""


def _reindex(page: Page) -> None:
    from kb.search import PREFIX
    from search import indexing

    # The page and every page below it: a move or an unpublish changes their address or state.
    pages = Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)
    indexing.record(*(f"{PREFIX}:{pk}" for pk in pages))


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, instance, **kwargs):
    _reindex(instance)


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    _reindex(instance)


@receiver(post_delete, sender=Page)
def page_deleted(sender, instance, **kwargs):
    from kb.search import PREFIX
    from search import indexing

    indexing.record(f"{PREFIX}:{instance.pk}")


@receiver(page_published)
def article_published(sender, instance, **kwargs):
    from kb.models import ArticlePage

    page = instance.specific
    if isinstance(page, ArticlePage):
        for topic in page.source_topics.all():
            forum_services.topic_set_documentation(topic=topic, title=page.title, url=_link(page))


@receiver(page_unpublished)
def article_unpublished(sender, instance, **kwargs):
    from kb.models import ArticlePage

    page = instance.specific
    if isinstance(page, ArticlePage):
        for topic in page.source_topics.all():
            forum_services.topic_set_documentation(topic=topic)


@receiver(workflow_approved)
def submission_approved(sender, instance, user=None, **kwargs):
    page = instance.content_object.specific
    if page.owner_id and page.owner_id != getattr(user, "pk", None):
        notifications.notify(
            recipients=[page.owner],
            kind=Notification.Kind.REVIEW_APPROVED,
            actor=user,
            subject=page.title,
            link=_link(page),
        )


@receiver(workflow_rejected)
def submission_returned(sender, instance, user=None, **kwargs):
    from kb.models import ReportPage

    page = instance.content_object.specific
    task_state = instance.current_task_state
    comment = (task_state.get_comment() if task_state else "") or ""
    if page.owner_id:
        # Reports are edited through the guided form; articles in the admin, from the list.
        name = "kb:submission_edit" if isinstance(page, ReportPage) else "kb:submissions"
        with override(None):
            link = reverse(name, kwargs={"pk": page.pk}) if name.endswith("edit") else reverse(name)
        notifications.notify(
            recipients=[page.owner],
            kind=Notification.Kind.REVIEW_CHANGES,
            actor=user,
            subject=page.title,
            link=link,
            message=comment,
        )
