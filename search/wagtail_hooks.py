"""What librarians search for, in the editors' admin (Reports): the most frequent searches,
and the searches that found nothing, the knowledge gaps worth a new article. Grouped by the
normalised query, so that "Denda?" and "denda" count as one. The log holds no identity."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import IndexView

from accounts import roles
from search.models import SearchLogEntry

PERIOD = timedelta(days=90)


class SearchReportView(IndexView):
    template_name = "search/admin/search_report.html"
    results_template_name = "search/admin/search_report.html"
    header_icon = "search"
    paginate_by = 50
    only_empty = False

    def dispatch(self, request, *args, **kwargs):
        if not (roles.has_role(request.user, roles.EDITORS) or request.user.is_superuser):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        searches = SearchLogEntry.objects.filter(created_at__gte=timezone.now() - PERIOD)
        if self.only_empty:
            searches = searches.filter(results=0)
        return (
            searches.exclude(normalized="")
            .values("normalized")
            .annotate(
                searches=Count("id"),
                opened=Count("id", filter=Q(opened=True)),
                example=Max("query"),
                last=Max("created_at"),
                results=Max("results"),
            )
            .order_by("-searches", "-last")
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "only_empty": self.only_empty}


class TopSearchesView(SearchReportView):
    page_title = _("Top searches")
    index_url_name = "search_top_report"


class EmptySearchesView(SearchReportView):
    page_title = _("Searches that found nothing")
    index_url_name = "search_empty_report"
    only_empty = True


@hooks.register("register_admin_urls")
def register_search_report_urls():
    return [
        path("search/top/", TopSearchesView.as_view(), name="search_top_report"),
        path("search/empty/", EmptySearchesView.as_view(), name="search_empty_report"),
    ]


@hooks.register("register_reports_menu_item")
def register_top_searches_menu_item():
    return MenuItem(_("Top searches"), reverse("search_top_report"), icon_name="search", order=710)


@hooks.register("register_reports_menu_item")
def register_empty_searches_menu_item():
    return MenuItem(
        _("Searches that found nothing"),
        reverse("search_empty_report"),
        icon_name="help",
        order=720,
    )
