"""The search pages as librarians meet them: results with facets as links, suggestions while
typing, similar questions while asking, the search log without identities, and the editors'
reports of what was searched and not found."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from accounts import roles
from search import indexing, service
from search.models import SearchLogEntry
from tests.factories import UserFactory
from tests.forum.factories import ReplyFactory, TopicFactory, create_member
from tests.search.conftest import document

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum():
    solved = TopicFactory(title="Pemustaka selalu terlambat mengembalikan buku")
    ReplyFactory(topic=solved, body="Kirim pengingat lewat WhatsApp dua hari sebelumnya.")
    TopicFactory(title="Jam buka perpustakaan desa saat musim panen", tags=["jam-layanan"])
    indexing.drain()
    return solved


def results(client, **parameters):
    return client.get(reverse("search:results"), parameters)


def test_facet_values_are_links_that_add_and_remove_a_filter(client, forum):
    page = results(client, q="perpustakaan buku")
    facet = next(f for f in page.context["facets"] if f["name"] == "tags")
    [tag] = [v for v in facet["values"] if v["label"] == "#jam-layanan"]

    narrowed = client.get(reverse("search:results") + tag["url"])
    chosen = next(f for f in narrowed.context["facets"] if f["name"] == "tags")
    [selected] = [v for v in chosen["values"] if v["selected"]]
    widened = client.get(reverse("search:results") + selected["url"])

    assert tag["url"] == "?q=perpustakaan+buku&tag=jam-layanan"
    assert [i["document"].title for i in narrowed.context["items"]] == [
        "Jam buka perpustakaan desa saat musim panen"
    ]
    assert 'aria-current="true"' in narrowed.content.decode()
    assert widened.context["results"].total == 2


def test_a_typo_is_corrected_and_the_exact_search_is_one_click_away(client, forum):
    html = results(client, q="kirm pengingat").content.decode()

    assert "Menampilkan hasil untuk <strong>kirim pengingat</strong>" in html
    assert 'href="?q=kirm+pengingat&amp;exact=1"' in html


def test_an_empty_search_offers_to_ask_with_the_question_prefilled(client, forum):
    member = create_member()
    client.force_login(member)

    html = results(client, q="mesin fotokopi macet").content.decode()
    link = re.search(r'href="(/forum/ask/\?title=[^"]+)"', html).group(1)
    ask = client.get(link.replace("&amp;", "&"))

    assert 'value="mesin fotokopi macet"' in ask.content.decode()


def test_results_under_en_lead_to_english_addresses(client, forum):
    page = client.get("/en/search/", {"q": "terlambat"})

    assert page.context["items"][0]["url"].startswith("/en/forum/t/")


def test_suggestions_answer_as_json_with_addresses_in_the_readers_language(client, forum):
    address = forum.get_absolute_url()
    indonesian = client.get(reverse("search:suggest"), {"q": "pemustaka sel"}).json()
    english = client.get("/en/search/suggest/", {"q": "pemustaka sel"}).json()

    assert [s["title"] for s in indonesian["suggestions"]] == [forum.title]
    assert indonesian["suggestions"][0]["url"] == address
    assert english["suggestions"][0]["url"] == "/en" + address


def test_similar_questions_come_as_a_fragment_for_the_ask_form(client, forum):
    html = client.get(
        reverse("search:similar"), {"text": "anggota sering telat mengembalikan buku pinjaman"}
    ).content.decode()

    assert "Pertanyaan dan artikel serupa" in html
    assert forum.title in html
    assert "<html" not in html


def test_without_script_the_ask_form_shows_similar_questions_with_its_preview(client, forum):
    client.force_login(create_member())

    page = client.post(
        reverse("forum:ask"),
        {"title": "Anggota telat mengembalikan buku terus", "body": "Bagaimana?", "preview": "1"},
    )

    assert forum.title in page.content.decode()


def test_a_topic_page_offers_related_questions_and_a_link_for_readers_without_script(client, forum):
    html = client.get(forum.get_absolute_url()).content.decode()

    aside = re.search(r'<aside class="related".*?</aside>', html, re.S).group(0)
    assert f'data-exclude="topic:{forum.pk}"' in aside
    assert "/search/?q=Pemustaka%20selalu%20terlambat" in aside


def test_searches_are_logged_without_who_searched_and_an_opened_result_is_noted(forum):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(create_member())
    page = browser.get(reverse("search:results"), {"q": "terlambat mengembalikan"})
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())

    opened = browser.post(
        reverse("search:opened"),
        {"log": page.context["results"].log_id, "csrfmiddlewaretoken": token.group(1)},
    )

    [entry] = SearchLogEntry.objects.all()
    assert opened.status_code == 204
    assert (entry.query, entry.results, entry.opened) == ("terlambat mengembalikan", 2, True)
    assert not [f.name for f in SearchLogEntry._meta.get_fields() if f.is_relation]


def test_noting_an_opened_result_needs_the_form_token(forum):
    browser = Client(enforce_csrf_checks=True)

    assert browser.post(reverse("search:opened"), {"log": 1}).status_code == 403


def test_editors_see_the_searches_that_found_nothing(client, forum):
    for query in ("mesin fotokopi macet", "Mesin fotokopi macet?", "terlambat"):
        results(client, q=query)
    client.force_login(UserFactory(librarian=True, role=roles.EDITORS))

    report = client.get(reverse("search_empty_report"))

    rows = [row["normalized"] for row in report.context["object_list"]]
    assert report.status_code == 200
    assert rows == ["mesin fotokopi macet"]
    assert report.context["object_list"][0]["searches"] == 2


def test_librarians_do_not_see_the_search_reports(client):
    client.force_login(UserFactory(librarian=True))

    report = client.get(reverse("search_top_report"), follow=True)

    assert report.status_code == 403  # the editors' admin: the "only editors" page
    assert report.redirect_chain[0][0].startswith(reverse("cms_login"))


def test_a_query_of_ten_thousand_characters_is_cut_not_refused(index):
    index.put(document("Denda keterlambatan"))
    long = "denda " + "x" * 10_000

    found = service.search(query=long, user=AnonymousUser())

    assert len(found.query) == 200
    assert [h.document.title for h in found.hits] == ["Denda keterlambatan"]
