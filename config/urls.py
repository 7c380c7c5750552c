from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from config import views

# Bahasa Indonesia lives at the plain addresses; English under /en/.
urlpatterns = [
    path("healthz", views.healthz_view, name="healthz"),
]

urlpatterns += i18n_patterns(
    path("", views.home_view, name="home"),
    path("", include("accounts.urls")),
    path("forum/", include("forum.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
