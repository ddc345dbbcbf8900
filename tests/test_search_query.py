"""The query language and the Danish text handling, without a database: websearch rules, FTS5 quoting, stems."""

import re

import pytest

from search import danish
from search.backends.sqlite.compiler import compile_query
from search.query import MAX_QUERY_LENGTH, Term, parse


def test_inflected_forms_share_a_stem():
    assert {danish.stem(w) for w in ["klausul", "klausuler", "klausulerne"]} == {"klausul"}
    assert danish.stem("beslutninger") == danish.stem("beslutning")
    # Different stems: "sag" finds "sagsbehandler" only as a compound part (search/decompound.py).
    assert danish.stem("sagsbehandler") != danish.stem("sag")


def test_stop_words_are_dropped_like_postgresql_danish():
    assert danish.stems("Status på samarbejde med virksomheder") == ["status", "samarbejd", "virksom"]


def test_words_are_anded_phrases_kept_or_splits_groups():
    query = parse('sociale klausuler "ny beskæftigelsespolitik" OR brugerundersøgelse')
    assert query.groups == (
        (Term(("social",)), Term(("klausul",)), Term(("ny", "beskæftigelsespolitik"))),
        (Term(("brugerundersøg",)),),
    )
    # A single word is looked for in every column, its compound parts included; a phrase in the text only.
    expected = (
        '("social" AND "klausul" AND {title text_b text_c text_d} : "ny beskæftigelsespolitik") OR ("brugerundersøg")'
    )
    assert compile_query(query).positive == expected


def test_exclusions():
    query = parse('klausul -"hårde klausuler" -status')
    assert query.groups == ((Term(("klausul",)), Term(("hård", "klausul"), True), Term(("status",), True)),)
    expected = '(("klausul") NOT ({title text_b text_c text_d} : "hård klausul" OR "status"))'
    assert compile_query(query).positive == expected
    assert query.positive_stems == {"klausul"}
    only_exclusion = parse("-klausul")
    assert only_exclusion.negative_groups == ((Term(("klausul",), True),),)
    assert compile_query(only_exclusion).positive is None


def test_or_is_an_operator_only_between_two_operands_as_in_websearch():
    # websearch_to_tsquery('danish', …): 'or' & 'klausul', 'klausul' & 'or', 'a' | 'or' & 'b', 'or'.
    assert parse("OR klausul").groups == ((Term(("or",)), Term(("klausul",))),)
    assert parse("klausul OR").groups == ((Term(("klausul",)), Term(("or",))),)
    assert parse("regnskab OR OR budget").groups == ((Term(("regnskab",)),), (Term(("or",)), Term(("budg",))))
    assert parse("OR").groups == ((Term(("or",)),),)


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "!!!", "og i at", '"', '"""', "()", "- -", "*", "\x00\x01", "%_\\"],
)
def test_nothing_searchable_is_an_empty_query(raw):
    assert parse(raw).is_empty


@pytest.mark.parametrize(
    "raw",
    [
        "'; DROP TABLE cases_case; --",
        '<script>alert("x")</script>',
        'klausul AND NOT "unbalanced',
        "title:klausul NEAR/2 x*",
        "a" * 5000,
        'x" OR "1"="1',
    ],
)
def test_odd_queries_become_quoted_fts5_tokens_only(raw):
    query = parse(raw)
    expression = compile_query(query).positive or ""
    # Every FTS5 token is a quoted string: strip them and only operators, parentheses, the text columns' filter
    # and a prefix star remain.
    rest = re.sub(r'"[^"]*"', " ", expression).replace("(", " ").replace(")", " ")
    rest = rest.replace("{title text_b text_c text_d} :", " ")
    assert set(rest.split()) <= {"AND", "OR", "NOT", "*"}
    assert len(query.text) <= MAX_QUERY_LENGTH


def test_control_characters_and_sentinels_are_removed():
    assert parse("klau\x00sul\ue000").text == "klau sul"


def test_highlight_marks_every_inflection_and_nothing_else():
    text = "Sociale klausuler i udbud. Klausulerne følges op. Ingen klausul-fri zone."
    out = danish.highlight(text, frozenset({"klausul"}), max_words=50)
    marked = [part.split(danish.MARK_STOP)[0] for part in out.split(danish.MARK_START)[1:]]
    assert marked == ["klausuler", "Klausulerne", "klausul"]


def test_highlight_without_a_match_gives_the_start_and_strips_foreign_sentinels():
    out = danish.highlight(f"Anbefales{danish.MARK_START}. " + "ord " * 100, frozenset({"klausul"}), max_words=5)
    assert out.startswith("Anbefales. ord ord ord ord")
    assert danish.MARK_START not in out


def test_passage_is_the_stretch_around_the_first_matching_word():
    text = "Indledning om sagsbehandlere. " * 200 + "Her står sagen om sociale klausuler. " + "Afslutning. " * 200
    out = danish.passage(text, frozenset({"sag", "klausul"}), before=100, length=400)
    # "sagsbehandlere" begins with "sag" but is another word; "sagen" is the first real match.
    assert "Her står sagen om sociale klausuler." in out
    assert 400 <= len(out) <= 520 and not out.startswith(" ") and text.find(out) > 5000
    assert danish.passage("Ingen træf her.", frozenset({"klausul"})) == "Ingen træf her."
    assert danish.passage("Klausul først.", frozenset({"klausul"})) == "Klausul først."


def _first_phrase_by_stemming_every_word(text: str, phrases) -> int | None:
    """The plain reading of `danish.first_phrase`: every word stemmed, stop words skipped, phrases compared."""
    tokens = [m for m in danish.WORD.finditer(text) if m.group().lower() not in danish.STOP_WORDS]
    stems = [danish.stem(m.group().lower()) for m in tokens]
    starts = [
        tokens[k].start()
        for phrase in phrases
        if len(phrase) > 1
        for k in range(len(stems) - len(phrase) + 1)
        if tuple(stems[k : k + len(phrase)]) == phrase
    ]
    return min(starts, default=None)


def test_first_phrase_finds_what_stemming_every_word_finds():
    import random

    from tests.conftest import PROTOCOLS

    rng = random.Random(13)
    texts = [path.read_text("utf-8") for path in sorted(PROTOCOLS.glob("*.txt"))]
    checked = found = 0
    for text in texts:
        stems = danish.stems(text)
        for _ in range(150):
            n = rng.randint(2, 4)
            k = rng.randrange(len(stems) - n)
            # Phrases from the text (found, often later than their first word) and others made of its words.
            taken = tuple(stems[k : k + n])
            mixed = tuple(rng.choice(stems) for _ in range(n))
            for phrases in ([taken], [mixed], [mixed, taken], [(taken[0],), mixed]):
                expected = _first_phrase_by_stemming_every_word(text, phrases)
                assert danish.first_phrase(text, phrases) == expected, phrases
                checked += 1
                found += expected is not None
    assert checked == 1800 and found > 900
    assert danish.first_phrase("Status på samarbejde med virksomheder", [("samarbejd", "virksom")]) == 10
    assert danish.first_phrase("Samarbejde. Med virksomheder", [("samarbejd", "virksom")]) == 0
    assert danish.first_phrase("samarbejde om andet", [("samarbejd", "virksom")]) is None
