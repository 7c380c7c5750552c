"""Serambi's customisation of django-allauth, through its adapter only."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.contrib.sites.requests import RequestSite

from accounts import services
from config.client_ip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context_data: dict) -> None:
        # Without django.contrib.sites, allauth's emails would greet "from 127.0.0.1:8000";
        # they name Serambi and keep the host the member actually used.
        site = RequestSite(context.request)
        site.name = "Serambi"
        super().send_mail(template_prefix, email, {"current_site": site, **context_data})

    def save_user(self, request, user, form, commit=True):
        # The sign-up form's own fields, set before allauth's single save.
        user.name = form.cleaned_data["name"]
        user.library = form.cleaned_data.get("library")
        return super().save_user(request, user, form, commit=commit)

    def confirm_email(self, request, email_address) -> bool:
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            services.librarian_grant_membership(user=email_address.user)
        return confirmed

    def get_client_ip(self, request) -> str:
        # Behind the reverse proxy, the address it saw (config/client_ip.py): the same one
        # Serambi's own limits count by.
        return client_ip(request)


def user_display(user) -> str:
    """How allauth names a member in its messages and emails: by display name, not handle."""
    return str(user)
