"""The roles of DESIGN.md, held as Django groups so that an administrator grants them in the
admin. The names are the groups' names in the database; migrations create the groups."""

from __future__ import annotations

LIBRARIANS = "Librarians"  # every member with a verified email
MODERATORS = "Moderators"
EDITORS = "Editors"

ROLES = (LIBRARIANS, MODERATORS, EDITORS)
BITS = {LIBRARIANS: 1, MODERATORS: 2, EDITORS: 4}  # User.objects.with_roles()' roles_mask


def has_role(user, role: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    mask = getattr(user, "roles_mask", None)
    if mask is not None:  # loaded with the user (accounts.backends): no query
        return bool(mask & BITS[role])
    return user.groups.filter(name=role).exists()
