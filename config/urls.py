from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config import views

urlpatterns = [
    path("healthz", views.healthz_view, name="healthz"),
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
    path("admin/", admin.site.urls),
    path("search/", include("search.urls")),
    path("kb/", include("kb.urls")),
    # The knowledge base's pages, served by Wagtail from its page tree: last, it takes the rest.
    path("kb/", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
