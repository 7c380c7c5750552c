"""The roles of DESIGN.md, held as Django groups so that an administrator grants them in the
admin. The names are the groups' names in the database; migrations create the groups."""

from __future__ import annotations

LIBRARIANS = "Librarians"  # every member with a verified email
MODERATORS = "Moderators"
EDITORS = "Editors"

ROLES = (LIBRARIANS, MODERATORS, EDITORS)


def has_role(user, role: str) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    # prefetch-friendly: reuses user.groups if the caller prefetched it
    return any(group.name == role for group in user.groups.all())
