from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path, register_converter
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import views as accounts_views
from config import views
from config.ids import IdConverter

# Every id in Serambi's addresses is range-checked here (config/ids.py).
register_converter(IdConverter, "id")

urlpatterns = [
    path("healthz", views.healthz_view, name="healthz"),
    # One sign-in door (allauth's): the admins' own sign-in and password pages lead there.
    path("cms/login/", accounts_views.staff_door_view, {"area": "cms"}, name="cms_login"),
    re_path(r"^cms/password_reset/", RedirectView.as_view(pattern_name="account_reset_password")),
    # The editors' admin (Wagtail) speaks each editor's chosen language, Indonesian by default.
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

# Bahasa Indonesia lives at the plain addresses; English under /en/.
urlpatterns += i18n_patterns(
    path("", views.home_view, name="home"),
    path("", include("accounts.urls")),
    path("forum/", include("forum.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/login/", accounts_views.staff_door_view, {"area": "admin"}, name="admin_login"),
    path(
        "admin/password_change/",
        RedirectView.as_view(pattern_name="account_change_password"),
    ),
    path("admin/", admin.site.urls),
    path("search/", include("search.urls")),
    path("program/", include("programme.urls")),
    path("kb/", include("kb.urls")),
    # The knowledge base's pages, served by Wagtail from its page tree: last, it takes the rest.
    path("kb/", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Error pages in the member's language, in Serambi's layout (config.views).
handler400 = "config.views.bad_request_view"
