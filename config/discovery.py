"""Finding a named module in each of Serambi's apps, so that shared commands and routes reach
what the apps offer without importing them by name (keeping DESIGN.md's one-way arrows)."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from django.conf import settings


def app_modules(name: str) -> list[ModuleType]:
    """The `<app>.<name>` modules that exist, in SERAMBI_APPS order."""
    modules = []
    for app in settings.SERAMBI_APPS:
        try:
            modules.append(import_module(f"{app}.{name}"))
        except ModuleNotFoundError as error:
            if error.name != f"{app}.{name}":
                raise  # the module exists but something it imports does not
    return modules
