"""The search backends: one engine per database vendor, each compiling the same parsed query into its own form,
and one `Search` per request that compiles its query once for every step of the search."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import services
from search.backends import ENGINES, get_engine
from search.backends.base import BaseEngine
from search.backends.postgres.base import PostgresEngine
from search.backends.postgres.compiler import compile_query as compile_tsqueries
from search.backends.postgres.compiler import danish_lexemes
from search.backends.sqlite.base import SqliteEngine
from search.backends.sqlite.compiler import Fts5Query
from search.backends.sqlite.compiler import compile_query as compile_fts5
from search.models import SearchDocument
from search.query import parse

# The lexemes PostgreSQL's `danish` configuration gives these texts (positions count stop words).
LEXEMES = {
    "sociale klausuler": [(1, "social"), (2, "klausul")],
    "Arbejdsmarked og Rekruttering": [(1, "arbejdsmarked"), (3, "rekruttering")],
    "budget": [(1, "budg")],
    "regnskab": [(1, "regnskab")],
    "klausul": [(1, "klausul")],
}

# One parsed query each, and what each engine makes of it: (FTS5 positive, FTS5 exclusions), (index tsquery,
# exact, positional tsquery).
COMPILED = {
    '"sociale klausuler" -budget': (
        ('(({title text_b text_c text_d} : "social klausul") NOT ("budg"))', ()),
        (
            "(('social klausul') & !('budg' | '»budg'))",
            True,
            "(('social' <-> 'klausul') & !('budg' | '»budg'))",
        ),
    ),
    "klausul OR regnskab": (
        ('("klausul") OR ("regnskab")', ()),
        (
            "(('klausul' | '»klausul')) | (('regnskab' | '»regnskab'))",
            True,
            "(('klausul' | '»klausul')) | (('regnskab' | '»regnskab'))",
        ),
    ),
    '"Arbejdsmarked og Rekruttering"': (
        ('({title text_b text_c text_d} : "arbejdsmarked rekruttering")', ()),
        ("(('arbejdsmarked' & 'rekruttering'))", False, "(('arbejdsmarked' <2> 'rekruttering'))"),
    ),
    "-klausul -regnskab": (
        (None, ('"klausul" OR "regnskab"',)),
        (
            "(!('klausul' | '»klausul') & !('regnskab' | '»regnskab'))",
            True,
            "(!('klausul' | '»klausul') & !('regnskab' | '»regnskab'))",
        ),
    ),
    "beskæft* -budget": (
        ('(({title text_b text_c text_d} : "beskæft" *) NOT ("budg"))', ()),
        ("(('beskæft':*) & !('budg' | '»budg'))", True, "(('beskæft':*) & !('budg' | '»budg'))"),
    ),
}


@pytest.mark.parametrize("q", list(COMPILED))
def test_each_backend_compiles_the_same_parsed_query_to_what_it_runs(q):
    query = parse(q)
    (positive, exclusions), (index, exact, positional) = COMPILED[q]
    assert compile_fts5(query) == Fts5Query(query, positive, exclusions)
    compiled = compile_tsqueries(query, LEXEMES)
    assert (compiled.index, compiled.exact, compiled.positional) == (index, exact, positional)
    # The rank query is the positional one without the compound parts.
    assert compiled.rank == re.sub(r" \| '»[^']*'", "", positional)
    # Both keep the parsed query, so snippets mark the same words whichever engine runs.
    assert compile_fts5(query).highlight == compiled.highlight
    assert compiled.highlight.stems | set(compiled.highlight.prefixes) <= query.positive_stems | {"beskæft"}


def test_only_longer_phrases_make_postgresql_check_rows():
    assert not compile_tsqueries(parse('"sociale klausuler"'), LEXEMES).checks_rows
    assert compile_tsqueries(parse('"Arbejdsmarked og Rekruttering"'), LEXEMES).checks_rows
    assert not compile_tsqueries(parse("og"), {"og": []}).checks_rows  # nothing searchable: nothing to check


def test_the_engine_follows_the_database_vendor_and_production_knows_only_two():
    assert set(ENGINES) == {"postgresql", "sqlite"}
    assert {"postgresql": PostgresEngine, "sqlite": SqliteEngine} == ENGINES
    assert type(get_engine()) is ENGINES[connection.vendor]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL gives the lexemes")
@pytest.mark.django_db
def test_postgresql_reads_each_term_as_its_danish_configuration_does():
    danish_lexemes.cache_clear()
    assert danish_lexemes(tuple(sorted(LEXEMES))) == LEXEMES


class CountingCompile:
    """Counts the compilations of the engine this database's searches get."""

    def __init__(self, monkeypatch):
        self.calls = 0
        engine_class = ENGINES[connection.vendor]
        original = engine_class.compile

        def compile(engine, query):
            self.calls += 1
            return original(engine, query)

        monkeypatch.setattr(engine_class, "compile", compile)


@pytest.fixture
def broad(archive, monkeypatch):
    """Every document in the first sampling bucket and a cap of 5: a word in many cases takes the broad path."""
    SearchDocument.objects.update(bucket=0)
    if connection.vendor == "postgresql":  # the sampling lexeme in the stored vector follows the bucket
        PostgresEngine().write(list(SearchDocument.objects.values_list("pk", flat=True)), [])
    monkeypatch.setattr(services, "CAP", 5)
    monkeypatch.setattr(services, "SAMPLE", 4)


@pytest.mark.parametrize("q", ["beslutning", '"sociale klausuler"', '"Arbejdsmarked og Rekruttering" -budget'])
def test_one_search_compiles_its_query_once_for_every_step(broad, monkeypatch, q):
    counter = CountingCompile(monkeypatch)
    danish_lexemes.cache_clear()
    search = services.Search(parse(q))
    with CaptureQueriesContext(connection) as queries:
        # Match, sample, exact or estimated counts, relevance (a broad page for "beslutning"), snippets; and the
        # CSV export's matching and ordering.
        results = search.results(SearchDocument.objects.published(), sort=services.RELEVANCE, page=1)
        list(search.ordered(search.matching(SearchDocument.objects.published()), services.NEWEST))
    assert results.total and results.documents
    assert counter.calls == 1
    lexeme_lookups = [query for query in queries if "to_tsvector('danish', t)" in query["sql"]]
    assert len(lexeme_lookups) == (1 if connection.vendor == "postgresql" else 0)


@pytest.mark.parametrize("output", [None, "csv", "atom"])
def test_one_request_compiles_its_query_once(client, broad, monkeypatch, output):
    counter = CountingCompile(monkeypatch)
    params = {"q": "beslutning", **({"format": output} if output else {})}
    response = client.get("/soeg/", params)
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert "2022-11-15" in content.decode() or "2022-11-15" in str(response.context)
    assert counter.calls == 1


def test_a_query_with_nothing_to_search_is_never_compiled(archive, monkeypatch):
    counter = CountingCompile(monkeypatch)
    for q in ("", "og i at", "!!!"):
        services.Search(parse(q)).results(SearchDocument.objects.published())
    assert counter.calls == 0


def test_the_benchmark_baseline_is_swapped_in_by_the_benchmark_alone(archive):
    from bench.naive import NaiveEngine, baseline

    assert not any(issubclass(engine, NaiveEngine) for engine in ENGINES.values())
    with baseline():
        search = services.Search(parse("klausuler"))
        assert isinstance(search.engine, NaiveEngine) and isinstance(search.engine, BaseEngine)
        found = search.results(SearchDocument.objects.published()).documents
    assert [(d.meeting_date.isoformat(), d.number) for d in found] == [("2019-10-08", 37)]
    assert type(services.Search(parse("klausuler")).engine) is ENGINES[connection.vendor]
