"""Writes on members and libraries."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from accounts import roles
from accounts.models import Library, User


@transaction.atomic
def librarian_grant_membership(*, user: User) -> None:
    """Make a member whose email is verified a librarian: they may now ask and answer."""
    user.groups.add(Group.objects.get(name=roles.LIBRARIANS))


@transaction.atomic
def profile_update(
    *, user: User, name: str, position: str, library: Library | None, bio: str
) -> User:
    """Change the public part of a member's profile."""
    user.name = name
    user.position = position
    user.library = library
    user.bio = bio
    user.full_clean(exclude=["password"])
    user.save(update_fields=["name", "position", "library", "bio"])
    return user
