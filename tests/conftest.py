from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from tests.factories import LibraryFactory, UserFactory


def clear_cache() -> None:
    # Only our own keys: on Redis, cache.clear() would empty the whole database.
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth's rate limits live in the cache; one test's sign-ins must not throttle the next.
    clear_cache()
    yield
    clear_cache()


@pytest.fixture(autouse=True)
def _fresh_speller():
    # The speller is built once per process from the vocabulary of its time (search.vocabulary):
    # each test has a vocabulary of its own.
    from search import vocabulary

    vocabulary.forget_speller()


@pytest.fixture(autouse=True)
def _site_language():
    # A request under /en/ leaves English active in the test's thread, and reverse() would
    # then give /en/ addresses to the tests that follow: start and end in the default.
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def library(db):
    return LibraryFactory()


@pytest.fixture
def librarian(db):
    return UserFactory(librarian=True)


@pytest.fixture
def member_client(client, librarian):
    client.force_login(librarian)
    return client
