""" "Følg sagen": the Atom feed of one matter's trail, read with `feedparser` as a feed reader reads it."""

import feedparser
import pytest

from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

FEED = "/moeder/{}/sag/{}/feed/"


def parsed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def test_every_body_that_treats_the_matter_is_an_entry(open_archive, client):
    # Whichever case of the matter one follows, the feed is the same matter's.
    for case in ("teknik-og-miljoeudvalget/2025-06-10", "kommunalbestyrelsen/2025-06-24"):
        number = 65 if case.startswith("teknik") else 30
        feed = parsed(client, FEED.format(case, number))
        assert feed.feed.title == "Rødovre-referater: følg sagen »Lokalplan 155 for Islev Torv«"
        assert [e.title for e in feed.entries] == [
            "Kommunalbestyrelsen, 24. juni 2025: Godkendt",
            "Økonomiudvalget, 11. juni 2025: Anbefalet",
            "Teknik- og Miljøudvalget, 10. juni 2025: Anbefalet",
        ]
    kb = feed.entries[0]
    assert kb.link == "http://testserver/moeder/kommunalbestyrelsen/2025-06-24/sag/30/"
    assert kb.id == kb.link
    assert kb.tags[0].term == "Kommunalbestyrelsen"
    assert "Sag nr. 30: Lokalplan 155 for Islev Torv" in kb.summary
    assert kb.published_parsed[:3] == (2025, 6, 24)


def test_decisions_quoted_from_bodies_outside_the_archive_are_entries_too(archive, client):
    from importer.load import protocol_import
    from tests.conftest import OWN_PROTOCOLS

    name = "kommunalbestyrelsen-2025-06-24.txt"
    protocol_import(content=(OWN_PROTOCOLS / name).read_bytes(), filename=name)
    feed = parsed(client, FEED.format("kommunalbestyrelsen/2025-06-24", 30))
    # "Beslutning fra Økonomiudvalget, 11. juni 2025, pkt. 106: Indstillingen blev vedtaget."
    assert [e.title for e in feed.entries] == [
        "Kommunalbestyrelsen, 24. juni 2025: Godkendt",
        "Økonomiudvalget, 11. juni 2025: Godkendt",
        "Teknik- og Miljøudvalget, 10. juni 2025: Anbefalet",
    ]
    quoted = feed.entries[1]
    assert quoted.link == "http://testserver/moeder/kommunalbestyrelsen/2025-06-24/sag/30/#sagsgang"
    assert quoted.id == "http://testserver/moeder/kommunalbestyrelsen/2025-06-24/sag/30/#sagsgang-1"
    assert len({e.id for e in feed.entries}) == len(feed.entries)


def test_a_case_without_a_trail_is_a_feed_of_one(archive, client):
    feed = parsed(client, FEED.format("beskaeftigelsesudvalget/2020-08-11", 30))
    assert [e.title for e in feed.entries] == ["Beskæftigelsesudvalget, 11. august 2020: Anbefalet"]


def test_feed_escapes_protocol_text_and_hides_withdrawn_cases(open_archive, client):
    from cases.models import Decision

    Decision.objects.filter(case__number=106).update(text="<script>alert(1)</script>")
    body = client.get(FEED.format("kommunalbestyrelsen/2025-06-24", 30)).content.decode()
    assert "<script>" not in body
    factories.withdraw(date="2025-06-11")
    feed = parsed(client, FEED.format("kommunalbestyrelsen/2025-06-24", 30))
    assert [e.title for e in feed.entries] == [
        "Kommunalbestyrelsen, 24. juni 2025: Godkendt",
        # Økonomiudvalget's case is withdrawn: what remains is the decision the council's case quotes.
        "Økonomiudvalget, 11. juni 2025: Godkendt",
        "Teknik- og Miljøudvalget, 10. juni 2025: Anbefalet",
    ]
    assert "sagsgang" in feed.entries[1].link
    assert client.get(FEED.format("oekonomiudvalget/2025-06-11", 106)).status_code == 404


def test_case_page_offers_the_feed(archive, client):
    html = client.get("/moeder/beskaeftigelsesudvalget/2020-08-11/sag/30/").content.decode()
    feed = FEED.format("beskaeftigelsesudvalget/2020-08-11", 30)
    assert f'<a href="{feed}">Følg sagen</a>' in html
    assert f'type="application/atom+xml" title="Følg sagen (Atom)" href="{feed}"' in html
