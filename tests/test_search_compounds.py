"""Compound words: a word finds the cases where it is a part (first, middle, last; across linking -s-/-e-; in any
inflection of the whole), never through letters inside an unrelated word, and whole words rank first — on the
real fixtures and a protocol written for this (tests/protocols/teknik-og-miljoeudvalget-2024-05-14.txt), on the
database the suite runs on (CI runs it on SQLite and PostgreSQL)."""

import re

import pytest
from django.db import connection

from importer.load import protocol_import
from search import danish, decompound
from search.models import SearchDocument
from search.query import parse
from search.services import RELEVANCE, Search
from tests.conftest import OWN_PROTOCOLS

pytestmark = pytest.mark.django_db

OWN = OWN_PROTOCOLS / "teknik-og-miljoeudvalget-2024-05-14.txt"


def search(q, sort=RELEVANCE):
    s = Search(parse(q))
    return [f"{d.meeting_date:%Y-%m-%d}/{d.number}" for d in s.ordered(s.matching(SearchDocument.objects.all()), sort)]


@pytest.fixture
def own_protocol(db):
    protocol_import(content=OWN.read_bytes(), filename=OWN.name)


def case_words(doc) -> set[str]:
    return set(danish.words("\n".join((doc.title, doc.text_b, doc.text_c, doc.text_d))))


# Hand-checked against every word of the fixtures that contains the query's letters: the compounds that hold the
# query word as a real part. Left out on purpose: "indflydelse" and "indbydelse" (no "ydelse"), "område" (no
# "råd"), "politiske" and "politikere" (other words; "politikere" shares the stem "politik" and is found whole).
COMPOUNDS = {
    "beskæftigelse": (
        "beskæftigelses beskæftigelsesindsats beskæftigelsesindsatsen beskæftigelsesindsatsens "
        "beskæftigelsesindsatser beskæftigelsesindsatserne beskæftigelsesministeren beskæftigelsesministerens "
        "beskæftigelsesministeriet beskæftigelsesministeriets beskæftigelsesområdet beskæftigelsesordninger "
        "beskæftigelsesplan beskæftigelsesplanen beskæftigelsespolitik beskæftigelsespolitikken "
        "beskæftigelsespolitiske beskæftigelsesrettede beskæftigelsesudvalget beskæftigelsesudvalgets"
    ),
    "plan": (
        "beskæftigelsesplan beskæftigelsesplanen handleplan handleplanen helhedsplan helhedsplanen jobplaner "
        "landsplan plangrundlag planperiode planperioden planperioder procesplan tidsplan tidsplanen"
    ),
    "skole": "erhvervsskoler erhvervsskolerne folkeskolen grundskolen skoleområdet skoleudvalget",
    "politik": (
        "beskæftigelsespolitik beskæftigelsespolitikken handicappolitik handicappolitikken handicappolitikkens "
        "sundhedspolitik sundhedspolitikken udbudspolitik udsattepolitik udsattepolitikken ungepolitik "
        "ungepolitikken"
    ),
    "ydelse": (
        "forsørgelsesydelse forsørgelsesydelser integrationsydelse ledighedsydelse ledighedsydelsesmodtagere "
        "overgangsydelse overgangsydelsesmodtagere ressourceforløbsydelse tjenesteydelser"
    ),
    "job": (
        "fleksjob jobafklaringsforløb jobcenter jobcentermedarbejder jobcentermedarbejdere jobcentre jobcentret "
        "jobcentrets jobindsats jobparate jobplaner jobåbninger"
    ),
    "råd": "erhvervsrådet handicaprådet integrationsrådet udsatterådet udsatterådsmøderne",
    "kontanthjælp": "kontanthjælpsmodtagere kontanthjælpssystemet",
}


@pytest.mark.parametrize("word", list(COMPOUNDS))
def test_a_word_finds_exactly_the_cases_that_hold_it_whole_or_as_a_compound_part(archive, word):
    compounds = set(COMPOUNDS[word].split())
    stem = danish.stem(word)
    expected = sorted(
        f"{doc.meeting_date:%Y-%m-%d}/{doc.number}"
        for doc in SearchDocument.objects.all()
        if any(danish.stem(w) == stem or w in compounds for w in case_words(doc))
    )
    assert sorted(search(word)) == expected


def test_beskaeftigelse_finds_its_compounds_not_only_the_word(archive):
    # Before: 6 cases have the word itself (any inflection); 13 hold it, most only in compounds.
    whole = [d for d in SearchDocument.objects.all() if danish.stem("beskæftigelse") in map(danish.stem, case_words(d))]
    assert len(whole) == 6
    assert len(search("beskæftigelse")) == 13


@pytest.mark.parametrize("letters", ["by", "hed", "tal", "ydelse", "råd"])
def test_letters_inside_unrelated_words_find_nothing_through_them(archive, letters):
    # The fixtures spell these inside byggeri, tilbyde, ledighed, mulighed, aftale, antal, kvartal, samtale,
    # indflydelse, indbydelse, område: none is found through them (only where the word itself, or a compound
    # that really holds it, occurs).
    unrelated = {
        "by": "byggeri byggeris tilbyde tilbyder tilbydes udbydere udbygges indbydelse bygge bygger",
        "hed": "ledighed ledigheden mulighed muligheder myndighed tryghed sikkerhedsnet helhedsplan virksomhed",
        "tal": "aftale aftaler antal antallet kvartal kvartalsvise samtale samtaler kulturaftalen",
        "ydelse": "indflydelse indbydelse",
        "råd": "område områder området fokusområder anlægsområdet",
    }[letters].split()
    found = set(search(letters))
    for doc in SearchDocument.objects.all():
        key = f"{doc.meeting_date:%Y-%m-%d}/{doc.number}"
        words = case_words(doc)
        if words & set(unrelated) and not any(
            danish.stem(w) == danish.stem(letters) or danish.stem(letters) in decompound.parts(w) for w in words
        ):
            assert key not in found, (letters, key)
    if letters in ("by", "hed", "tal"):
        assert found == set()


def test_issue_examples_first_middle_last_part_and_linking_letters(own_protocol):
    assert search("klima") == ["2024-05-14/62", "2024-05-14/61"]  # klimaet (whole) first, then klimatilpasningen
    assert "2024-05-14/62" in search("plan")  # lokal|plan|forslaget: a middle part
    assert set(search("skole")) == {"2024-05-14/62", "2024-05-14/63"}  # skolen; folke|skole|reformens, skolerne
    assert search("folkeskole") == ["2024-05-14/63"]  # a part that is itself a compound
    assert search("reform") == ["2024-05-14/63"]  # the last part, in the whole word's genitive
    assert search("børn") == ["2024-05-14/63"]  # børn|e|haverne: linking -e-
    assert search("fritid") == ["2024-05-14/63"]  # fritid|s|tilbuddene: linking -s-
    assert search("tilbud") == ["2024-05-14/63"]
    assert search("sti") == ["2024-05-14/66", "2024-05-14/62"]  # sti (whole) first, then cykel|stien
    assert search("cykelsti") == ["2024-05-14/62"]
    assert search("lokalplan") == ["2024-05-14/62"]
    assert search("parkering") == ["2024-05-14/63"]  # cykel|parkerings|pladser


def test_no_part_is_read_into_an_unrelated_word(own_protocol):
    assert search("by") == ["2024-05-14/65"]  # "en by", not byggeri or byggebranchen
    assert search("hed") == ["2024-05-14/66"]  # "den hede sommer", not ledigheden
    assert search("tal") == ["2024-05-14/65"]  # "tallene", not samtaler or antallet


def test_whole_words_rank_above_part_matches(own_protocol):
    # Sag 61 is titled with "Plan"; sag 62 has it only inside "Lokalplanforslag" (title too).
    assert search("plan")[:2] == ["2024-05-14/61", "2024-05-14/62"]
    # Sag 62 says "klimaet" in its text; 61 has "klimatilpasning" in the title: the word itself wins.
    assert search("klima")[0] == "2024-05-14/62"


def test_exclusion_leaves_out_the_compounds_too(own_protocol):
    assert "2024-05-14/63" not in search("trafikken -skole")
    assert "2024-05-14/63" in search("trafikken -cykelsti")


def test_a_phrase_is_matched_on_whole_words_only(own_protocol):
    # "plan for" occurs in sag 61 only; sag 62's lokalplanforslaget does not make it a phrase match elsewhere.
    assert search('"plan for klimatilpasningen"') == ["2024-05-14/61"]
    assert search('"sommer skole"') == []


def test_the_index_holds_each_documents_part_stems(own_protocol):
    doc = SearchDocument.objects.get(number=63)
    assert {"folkeskol", "folk", "skol", "reform", "børn", "fritid", "tilbud"} <= set(doc.parts.split())
    assert "hed" not in SearchDocument.objects.get(number=64).parts.split()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT array(SELECT lexeme FROM unnest(vector) WHERE lexeme LIKE '»%%' ORDER BY lexeme),"
                " match_vector @@ '»skol'::tsquery FROM search_searchdocument WHERE case_id = %s",
                [doc.pk],
            )
            marked, matched = cursor.fetchone()
        assert "»skol" in marked and "»folkeskol" in marked and matched
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT parts FROM search_fts WHERE rowid = %s", [doc.pk])
            assert cursor.fetchone()[0] == doc.parts


def test_snippets_mark_the_compound_that_holds_the_word(client, own_protocol):
    html = client.get("/soeg/", {"q": "skole"}).content.decode()
    assert re.search(r"<mark>folkeskolereformens</mark>", html)
    html = client.get("/soeg/", {"q": "cykel"}).content.decode()
    assert "<mark>Cykelstien</mark>" in html or "<mark>cykelsti</mark>" in html
