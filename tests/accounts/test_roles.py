from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_role_groups_exist_with_their_permissions():
    permissions = {
        group.name: {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        for group in Group.objects.prefetch_related("permissions__content_type")
    }
    assert set(permissions) >= set(roles.ROLES)
    assert {"accounts.view_user", "accounts.view_library"} <= permissions[roles.MODERATORS]
    assert {"accounts.add_library", "accounts.change_library"} <= permissions[roles.EDITORS]
    assert "accounts.change_user" not in permissions[roles.MODERATORS]


def test_an_administrator_grants_a_role_in_the_admin(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    member = UserFactory(librarian=True)
    assert not member.has_perm("accounts.view_user")
    client.force_login(admin)
    url = reverse("admin:accounts_user_change", args=[member.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"groups", "user_permissions", "password"}
    }
    data["groups"] = [
        g.pk for g in Group.objects.filter(name__in=[roles.LIBRARIANS, roles.MODERATORS])
    ]
    data["last_login_0"], data["last_login_1"] = "", ""
    data["date_joined_0"] = member.date_joined.strftime("%Y-%m-%d")
    data["date_joined_1"] = member.date_joined.strftime("%H:%M:%S")
    data["library"] = member.library_id
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    member = type(member).objects.get(pk=member.pk)
    assert roles.has_role(member, roles.MODERATORS)
    assert member.has_perm("accounts.view_user")


def test_a_member_without_staff_rights_cannot_open_the_admin(member_client):
    response = member_client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_has_role():
    moderator = UserFactory(role=roles.MODERATORS)
    member = UserFactory(librarian=True)
    assert roles.has_role(moderator, roles.MODERATORS)
    assert not roles.has_role(member, roles.MODERATORS)
    assert roles.has_role(member, roles.LIBRARIANS)
    assert roles.has_role(UserFactory(is_superuser=True), roles.EDITORS)


def test_the_admin_names_the_roles_in_the_administrator_s_language(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    member = UserFactory(librarian=True)
    client.force_login(admin)

    form = (
        client.get(reverse("admin:accounts_user_change", args=[member.pk]))
        .context["adminform"]
        .form
    )
    labels = {label for _pk, label in form.fields["groups"].choices}

    assert {"Pustakawan", "Moderator", "Editor", "Koordinator program"} <= labels
