from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from config.reversing import reverse_one


@pytest.mark.parametrize("username", ["sari", "sari.w", "a+b@c-d_e", "dewi_ayu", "Ñandú"])
def test_reverse_one_gives_what_reverse_gives(username):
    for language in ("id", "en"):
        with translation.override(language):
            expected = reverse("accounts:profile", kwargs={"username": username})
            assert reverse_one("accounts:profile", "username", username) == expected


def test_reverse_one_with_numbers():
    with translation.override("en"):
        assert reverse_one("forum:post", "pk", 12) == reverse("forum:post", kwargs={"pk": 12})
