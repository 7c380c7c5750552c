"""Serambi's customisation of django-allauth, through its adapter only."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter

from accounts import services


class AccountAdapter(DefaultAccountAdapter):
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
