""" "Mente du …?": a misspelt search gets the archive's own spellings, on both databases, counted against what is
published; the vocabulary follows the index; without pg_trgm PostgreSQL falls back to a slower lookup."""

import pytest
from django.core.management import call_command
from django.db import connection

from search import danish
from search.backends import get_engine
from search.backends.base import BaseEngine
from search.models import SearchDocument, SearchWord
from search.query import parse
from search.services import Search
from search.suggest import suggestions
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/soeg/"


def suggest(q, documents=None):
    search = Search(parse(q))
    documents = SearchDocument.objects.published() if documents is None else documents
    total = search.matching(documents).count()
    return [s.text for s in suggestions(search, documents, total)]


def test_the_vocabulary_holds_the_archives_words(archive):
    words = set(SearchWord.objects.values_list("word", flat=True))
    assert {"brugerundersøgelse", "klausuler", "beskæftigelsesplanen", "jobcentret"} <= words
    assert not words & danish.STOP_WORDS
    assert all(w == w.lower() and w.isalpha() and len(w) >= 3 for w in words)


def test_python_similarity_is_pg_trgms():
    assert sorted(danish.trigrams("ab")) == ["  a", " ab", "ab "]
    assert danish.similarity("klausul", "klausul") == 1.0
    assert round(danish.similarity("lokalplanforlsag", "lokalplanforslag"), 3) == 0.619
    if connection.vendor == "postgresql" and _has_pg_trgm():
        with connection.cursor() as cursor:
            cursor.execute("SELECT similarity('brugerundersøgelse', 'brugerundersøgelsen')")
            assert round(cursor.fetchone()[0], 4) == round(
                danish.similarity("brugerundersøgelse", "brugerundersøgelsen"), 4
            )


def _has_pg_trgm():
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')")
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("brugerundersøgelsse", "brugerundersøgelse"),
        ("klasuler", "klausuler"),
        ("jobcentert", "jobcenter"),
        ("handicapolitikken", "handicappolitikken"),
        ("krugerundersøgelse", "brugerundersøgelse"),  # the first letter wrong: found by trigrams
    ],
)
def test_a_misspelt_word_gets_the_archives_spelling(archive, typed, meant):
    assert Search(parse(typed)).matching(SearchDocument.objects.published()).count() == 0
    assert suggest(typed)[0] == meant


def test_only_the_misspelt_word_of_a_query_is_replaced(archive):
    assert suggest("sociale klasuler") == ["sociale klausuler"]
    assert suggest("Klasuler OR budget") == ["klausuler OR budget"]


def test_no_suggestion_for_a_search_that_finds_enough_or_for_an_unknown_word(archive):
    assert suggest("klausuler") == []
    assert suggest("xyzzyq") == []


def test_a_word_only_in_withdrawn_meetings_is_never_suggested(archive):
    # "klausuler" occurs only in the meeting of 2019-10-08; withdrawn, it must not be offered.
    factories.withdraw(date="2019-10-08")
    assert "klausuler" in set(SearchWord.objects.values_list("word", flat=True))
    assert "klausuler" not in suggest("klasuler")


def test_suggestions_are_counted_within_the_filters(archive):
    documents = SearchDocument.objects.published()
    assert suggest("klasuler", documents.filter(meeting_date__year=2019))[0] == "klausuler"
    assert "klausuler" not in suggest("klasuler", documents.filter(meeting_date__year=2022))


def test_a_word_the_filters_leave_without_cases_is_no_misspelling(client, archive):
    response = client.get(URL, {"q": "klausuler", "year": "2022"})
    assert response.context["results"].total == 0
    assert response.context["suggestions"] == []
    assert "Mente du" not in response.content.decode()


def test_the_page_offers_a_link_that_keeps_the_filters(client, archive):
    response = client.get(URL, {"q": "klasuler", "year": "2019"})
    assert response.context["results"].total == 0
    html = response.content.decode()
    assert "Mente du" in html
    assert 'href="/soeg/?q=klausuler&amp;year=2019"' in html


def test_rebuilding_the_index_starts_the_vocabulary_afresh(archive):
    SearchWord.objects.create(word="forældetord")
    call_command("rebuild_search_index", verbosity=0)
    words = set(SearchWord.objects.values_list("word", flat=True))
    assert "forældetord" not in words and "klausuler" in words
    assert suggest("klasuler")[0] == "klausuler"


def test_the_fallback_lookup_finds_words_of_the_same_first_letter(archive):
    # What PostgreSQL does without pg_trgm (and any engine without a trigram index).
    engine = BaseEngine()
    assert engine.similar_words("klasuler", 3)[0] == "klausuler"
    assert "brugerundersøgelse" not in engine.similar_words("krugerundersøgelse", 3)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_postgresql_without_the_trigram_index_still_suggests_and_warns(archive):
    from search.checks import check_trigram_index

    assert check_trigram_index(None, databases=["default"]) == []
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX search_word_trgm")
    warnings = check_trigram_index(None, databases=["default"])
    assert [w.id for w in warnings] == ["search.W002"]
    assert "CREATE EXTENSION IF NOT EXISTS pg_trgm" in warnings[0].hint
    assert get_engine().similar_words("klasuler", 3)[0] == "klausuler"
    assert suggest("klasuler")[0] == "klausuler"
