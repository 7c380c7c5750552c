from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        # Each app's adapter (forum/search.py, kb/search.py), found by name: search never
        # imports the apps' models (DESIGN.md).
        from config.discovery import app_modules
        from search import registry

        for module in app_modules("search"):
            registry.register(module.ADAPTER, labels=getattr(module, "labels", None))
