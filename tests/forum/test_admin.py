from __future__ import annotations

import pytest
from django.urls import reverse

from forum.models import Category
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_administrator_edits_a_competency_area(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    area = Category.objects.get(slug="literasi-informasi")
    url = reverse("admin:forum_category_change", args=[area.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Literasi Informasi dan Digital",
            "name_en": "Information and Digital Literacy",
            "slug": area.slug,
            "description": area.description,
            "description_en": area.description_en,
            "position": 3,
            "colour": "purple",
            "members_only": "on",
        },
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert (area.name, area.members_only) == ("Literasi Informasi dan Digital", True)


def test_the_admin_lists_open_for_looking_things_up(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for name in ("forum_topic", "forum_flag", "forum_moderationlog", "forum_category"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200
