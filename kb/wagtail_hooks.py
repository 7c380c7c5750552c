"""The knowledge base in Wagtail's admin: the competency areas (the forum's categories, one
taxonomy) editable as a snippet, and the readers' feedback as a report for editors."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.views.generic import IndexView
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from forum import services as forum_services
from forum.models import Category
from kb import permissions, selectors
from kb.models import Feedback
from kb.services import SUBMISSIONS_COLLECTION


class CompetencyAreaViewSet(SnippetViewSet):
    model = Category
    icon = "folder-inverse"
    menu_label = _("Competency areas")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "name_en", "position", "members_only"]
    ordering = ["position", "name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("description_en"),
        FieldPanel("position"),
        FieldPanel("colour"),
        FieldPanel("members_only"),
    ]


register_snippet(CompetencyAreaViewSet)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def competency_area_saved(request, instance):
    if isinstance(instance, Category):
        forum_services.category_changed(category=instance)  # its topics' search documents


class FeedbackReportView(IndexView):
    """Per page: how many readers found it helpful, and what they wrote."""

    page_title = _("Readers' feedback")
    header_icon = "comment"
    template_name = "kb/admin/feedback_report.html"
    results_template_name = "kb/admin/feedback_report.html"
    paginate_by = 50
    index_url_name = "kb_feedback_report"

    def get_queryset(self):
        return (
            Feedback.objects.values("page_id", "page__title")
            .annotate(
                yes=Count("id", filter=Q(helpful=True)), no=Count("id", filter=Q(helpful=False))
            )
            .order_by("-yes")
        )

    def dispatch(self, request, *args, **kwargs):
        permissions._require(permissions.is_editor(request.user) or request.user.is_superuser)
        return super().dispatch(request, *args, **kwargs)


@hooks.register("register_admin_urls")
def register_feedback_report_url():
    return [path("kb/feedback/", FeedbackReportView.as_view(), name="kb_feedback_report")]


@hooks.register("register_reports_menu_item")
def register_feedback_report_menu_item():
    return MenuItem(
        _("Readers' feedback"), reverse("kb_feedback_report"), icon_name="comment", order=700
    )


@hooks.register("before_serve_document")
def serve_librarians_documents_once_published(document, request):
    """A document a librarian attached to a submission is theirs and the editors' until a
    published page uses it; Wagtail would serve it to anyone who guesses its address."""
    if document.collection.name != SUBMISSIONS_COLLECTION:
        return None
    user = request.user
    if user.is_authenticated and (
        document.uploaded_by_user_id == user.pk or permissions.is_editor(user) or user.is_superuser
    ):
        return None
    if selectors.is_used_by_live_page(document):
        return None
    raise Http404
