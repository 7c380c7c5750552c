from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import roles
from forum import services
from forum.models import Category
from tests.factories import UserFactory


def member(**kwargs):
    """A librarian whose account is older than a day (the stricter new-account posting limits
    are tested on their own)."""
    kwargs.setdefault("date_joined", timezone.now() - timedelta(days=30))
    return UserFactory(librarian=True, **kwargs)


@pytest.fixture
def category(db) -> Category:
    return Category.objects.get(slug="layanan-pemustaka")


@pytest.fixture
def asker(db):
    return member(username="sari", name="Sari Wulandari")


@pytest.fixture
def colleague(db):
    return member(username="budi", name="Budi Santoso")


@pytest.fixture
def moderator(db):
    return member(username="rahmat", name="Rahmat Hidayat", role=roles.MODERATORS)


@pytest.fixture
def topic(asker, category):
    return services.topic_create(
        author=asker,
        category=category,
        title="Pemustaka selalu terlambat mengembalikan buku",
        body="Apa yang sudah berhasil di perpustakaan Anda?",
        tags=["keterlambatan", "sirkulasi"],
    )
