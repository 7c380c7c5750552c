"""Authentication backends that load the signed-in member with their roles in one query
(User.objects.with_roles), once per request, instead of one query per permission check."""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from accounts.models import User


class _RolesLoaded:
    def get_user(self, user_id):
        try:
            user = User.objects.with_roles().select_related("library").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackend(_RolesLoaded, DjangoModelBackend):
    """Django's backend (the admin's sign-in by username)."""


class AuthenticationBackend(_RolesLoaded, AllauthBackend):
    """allauth's backend (sign-in by email)."""
