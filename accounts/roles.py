"""The roles of DESIGN.md, held as Django groups so that an administrator grants them in the
admin. The names are the groups' names in the database; migrations create the groups."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LIBRARIANS = "Librarians"  # every member with a verified email
MODERATORS = "Moderators"
EDITORS = "Editors"
COORDINATORS = "Coordinators"  # of the development programme: its insight and its training

ROLES = (LIBRARIANS, MODERATORS, EDITORS, COORDINATORS)
BITS = {LIBRARIANS: 1, MODERATORS: 2, EDITORS: 4, COORDINATORS: 8}  # with_roles()' roles_mask
# How the admin names them (the groups keep their English names in the database).
LABELS = {
    LIBRARIANS: _("Librarians"),
    MODERATORS: _("Moderators"),
    EDITORS: _("Editors"),
    COORDINATORS: _("Programme coordinators"),
}


def label(name: str) -> str:
    return str(LABELS.get(name, name))


def has_role(user, role: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    mask = getattr(user, "roles_mask", None)
    if mask is not None:  # loaded with the user (accounts.backends): no query
        return bool(mask & BITS[role])
    return user.groups.filter(name=role).exists()
