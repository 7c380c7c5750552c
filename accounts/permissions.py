"""Who may enter the two admins behind the one sign-in door (accounts.views.staff_door_view)."""

from __future__ import annotations


def can_enter_editors_admin(user) -> bool:
    """Wagtail's admin (/cms/): editors, and administrators (Wagtail's own permission)."""
    return user.is_active and user.has_perm("wagtailadmin.access_admin")


def can_enter_django_admin(user) -> bool:
    """Django's admin (/admin/): administrators, who are staff."""
    return user.is_active and user.is_staff
