"""Quoted phrases: found through the word-pair index on PostgreSQL without ever losing a match.

The pair condition (search.engines.PostgresEngine._pairs_query) only narrows what the GIN index hands to the
exact websearch check, so with and without it the same cases must match — checked here for phrases taken from
every fixture case and for generated queries mixing phrases, words, OR and exclusions.
"""

import random
import re

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.engines import PostgresEngine
from search.models import SearchDocument
from search.query import parse
from search.services import matching

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the pair index is PostgreSQL's")

# Words as they stand in the texts, hyphenated compounds, numbers and punctuation kept next to them.
RAW_WORD = re.compile(r"\S+")


def found(q: str) -> set[int]:
    return set(matching(SearchDocument.objects.all(), parse(q)).values_list("pk", flat=True))


def found_without_pairs(q: str) -> set[int]:
    """The websearch query alone: what PostgreSQL matches when no pair narrows it."""
    query = PostgresEngine._query(parse(q))
    return set(SearchDocument.objects.filter(vector=query).values_list("pk", flat=True))


def fixture_phrases(n_words: int, count: int, seed: int) -> list[str]:
    """Quoted runs of n_words consecutive words from the fixture cases' own texts, stop words included."""
    rng = random.Random(seed)
    phrases = []
    for doc in SearchDocument.objects.order_by("pk"):
        words = RAW_WORD.findall("\n".join((doc.title, doc.text_b, doc.text_c, doc.text_d)))
        for _ in range(count):
            start = rng.randrange(max(1, len(words) - n_words))
            phrases.append('"' + " ".join(words[start : start + n_words]).replace('"', "") + '"')
    return phrases


def test_a_phrase_finds_only_cases_with_the_words_together(archive):
    assert sorted(d.number for d in SearchDocument.objects.filter(pk__in=found('"sociale klausuler"'))) == [37]
    assert found('"klausuler sociale"') == set()
    # Both words occur in three cases, together in one: the phrase must not degrade to AND.
    assert len(found("Arbejdsmarked Rekruttering")) == 3
    assert len(found('"Arbejdsmarked og Rekruttering"')) == 1


@postgresql_only
def test_documents_hold_their_word_pairs(archive):
    doc = SearchDocument.objects.get(meeting_date="2019-10-08", number=37)
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsvector_to_array(pair_vector) FROM search_searchdocument WHERE case_id = %s", [doc.pk])
        pairs = set(cursor.fetchone()[0])
        # What the importer wrote equals what migration 0006 computes for documents indexed before it.
        cursor.execute(
            "SELECT count(*) FROM search_searchdocument WHERE pair_vector IS DISTINCT FROM search_pairs(vector)"
        )
        assert cursor.fetchone()[0] == 0
    assert "social klausul" in pairs
    assert "klausul social" not in pairs


@postgresql_only
@pytest.mark.parametrize(
    ("q", "narrowed"),
    [
        ('"sociale klausuler"', True),
        ('"forventet regnskab" september', True),
        ('"sociale klausuler" OR "forventet regnskab"', True),
        ("e-boks", True),  # a hyphenated word is a phrase for websearch_to_tsquery too
        ("sociale klausuler", False),
        ('"sociale klausuler" OR september', False),  # the second group matches without any pair
        ('"sociale klausuler" -"forventet regnskab"', True),
        ('-"sociale klausuler"', False),
        ('"klausuler"', False),  # one word in quotes: nothing to pair
    ],
)
def test_pairs_narrow_only_where_every_group_needs_a_phrase(archive, q, narrowed):
    sql = str(matching(SearchDocument.objects.all(), parse(q)).query)
    assert ('"pair_vector" @@' in sql) is narrowed


@postgresql_only
@pytest.mark.parametrize("n_words", [2, 3, 4])
def test_pairs_never_lose_a_phrase_from_the_fixtures(archive, n_words):
    phrases = fixture_phrases(n_words, count=6, seed=n_words)
    assert len(phrases) > 100
    lost = {q: found_without_pairs(q) - found(q) for q in phrases}
    assert {q: ids for q, ids in lost.items() if ids} == {}
    # Most phrases come back to the case they were taken from: the test exercises real matches.
    assert sum(bool(found(q)) for q in phrases) > 0.8 * len(phrases)


def _query_parts():
    words = st.sampled_from(
        ["sociale", "klausuler", "forventet", "regnskab", "e-boks", "og", "i", "Jobcentret", "2022", "ny", "sag"]
    )
    phrase = st.lists(words, min_size=2, max_size=3).map(lambda ws: '"' + " ".join(ws) + '"')
    part = st.one_of(words, phrase, words.map(lambda w: "-" + w), phrase.map(lambda p: "-" + p), st.just("OR"))
    return st.lists(part, min_size=1, max_size=6).map(" ".join)


@postgresql_only
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=_query_parts())
def test_pairs_never_change_what_a_query_matches(archive, q):
    assert found(q) == found_without_pairs(q)


def test_a_phrase_across_a_stop_word_is_still_found(archive):
    # The stop word leaves a gap in the positions, so there is no pair to require; the phrase is still exact.
    with_gap = found('"flygtninge og familiesammenførte"')
    assert with_gap and with_gap <= found("flygtninge familiesammenførte")
    assert found('"familiesammenførte og flygtninge"') == set()
