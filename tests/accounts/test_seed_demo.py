from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Sum
from django.test import Client

from accounts import roles
from accounts.demo import DEMO_PASSWORD
from accounts.models import Library, User
from forum.models import HelpfulVote, Post, Topic

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def test_seeding_twice_creates_everything_once():
    first = seed()
    counts = (Library.objects.count(), User.objects.count())
    second = seed()
    assert (Library.objects.count(), User.objects.count()) == counts
    assert "members: 8 (8 new)" in first
    assert "members: 8 (0 new)" in second
    assert "training sessions: 3 (3 new)" in first
    assert "training sessions: 3 (0 new)" in second
    assert "Demo content ready" in second


def test_demo_accounts_sign_in_with_the_printed_password():
    output = seed()
    assert DEMO_PASSWORD in output
    client = Client()
    for email in ("sari@serambi.test", "rahmat@serambi.test", "dewi@serambi.test"):
        assert client.login(username=email, password=DEMO_PASSWORD), email
        client.logout()


def test_demo_members_hold_their_roles():
    seed()
    assert roles.has_role(User.objects.get(username="rahmat"), roles.MODERATORS)
    assert roles.has_role(User.objects.get(username="rina"), roles.COORDINATORS)
    assert roles.has_role(User.objects.get(username="dewi"), roles.EDITORS)
    sari = User.objects.get(username="sari")
    assert roles.has_role(sari, roles.LIBRARIANS)
    assert not roles.has_role(sari, roles.MODERATORS)
    assert User.objects.get(username="admin").is_superuser


def test_seeding_refuses_a_production_site_without_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()


def test_demo_helpful_counts_agree_with_the_votes_members_made():
    seed()
    posts = Post.objects.annotate(votes=Count("helpful_votes"))
    assert HelpfulVote.objects.count() > 10
    assert [(p.pk, p.helpful_count) for p in posts] == [(p.pk, p.votes) for p in posts]
    assert not HelpfulVote.objects.filter(user=F("post__author")).exists()
    for topic in Topic.objects.annotate(votes=Sum("posts__helpful_count")):
        assert topic.helpful_count == topic.votes
