"""The knowledge base's page tree and the rules of what stands where."""

from __future__ import annotations

import pytest
from wagtail.models import Page, Site

from kb.models import ArticleIndexPage, ArticlePage, KnowledgeBaseHome, ReportIndexPage, ReportPage

pytestmark = pytest.mark.django_db


def test_the_tree_is_in_place_after_migrating(client):
    home = KnowledgeBaseHome.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert home.url == "/kb/"
    assert ArticleIndexPage.objects.get().url == "/kb/praktik-baik/"
    assert ReportIndexPage.objects.get().url == "/kb/laporan-magang/"
    assert client.get("/kb/").status_code == 200
    assert client.get("/en/kb/laporan-magang/").status_code == 200


def test_each_page_type_stands_only_where_it_belongs():
    home = KnowledgeBaseHome.objects.get()
    articles, reports = ArticleIndexPage.objects.get(), ReportIndexPage.objects.get()
    assert ArticlePage.can_create_at(articles)
    assert not ArticlePage.can_create_at(reports) and not ArticlePage.can_create_at(home)
    assert ReportPage.can_create_at(reports)
    assert not ReportPage.can_create_at(articles) and not ReportPage.can_create_at(home)
    assert not KnowledgeBaseHome.can_create_at(Page.get_first_root_node())  # one only
    assert not ArticleIndexPage.can_create_at(home)  # one only
    assert ArticlePage.allowed_subpage_models() == []


def test_wagtails_default_grants_to_forum_moderators_are_gone():
    from django.contrib.auth.models import Group
    from wagtail.models import GroupPagePermission, Workflow

    moderators = Group.objects.get(name="Moderators")
    assert not GroupPagePermission.objects.filter(group=moderators).exists()
    assert not moderators.permissions.filter(codename="access_admin").exists()
    assert list(Workflow.objects.values_list("name", flat=True)) == ["Tinjauan basis pengetahuan"]
    assert Group.objects.get(name="Editors").permissions.filter(codename="access_admin").exists()
