"""Search results on the real fixtures: relevance, Danish stemming, query syntax, and engine parity.

The parity test records what the PostgreSQL engine returns for a fixed query set; CI runs this file on SQLite
(the default) and on PostgreSQL (DATABASE_URL=postgres://…), so both engines must return exactly these cases.
"""

import pytest
from django.db import connection

from search.backends import get_engine
from search.models import SearchDocument
from search.query import parse
from search.services import RELEVANCE, Search
from tests import factories

pytestmark = pytest.mark.django_db


def search(q, sort=RELEVANCE):
    search = Search(parse(q))
    found = search.ordered(search.matching(SearchDocument.objects.published()), sort)
    return [f"{d.meeting_date:%Y-%m-%d}/{d.number}" for d in found]


def test_engine_follows_the_database_vendor():
    assert get_engine().name == connection.vendor


def test_sociale_klausuler_finds_sag_37_first(archive):
    assert search("sociale klausuler")[0] == "2019-10-08/37"


def test_brugerundersoegelse_finds_sag_46(archive):
    assert search("brugerundersøgelse")[0] == "2022-11-15/46"


def test_inflected_forms_find_the_same_cases(archive):
    assert search("klausul") == search("klausuler") == search("klausulerne") == ["2019-10-08/37"]
    assert search("beslutning") == search("beslutninger")
    assert search("brugerundersøgelsen") == ["2022-11-15/46"]


def test_whole_words_only(archive):
    # "sagsbehandler" occurs in sag 31 only. Quoted, a word is found only as itself; unquoted also as a
    # compound's part (sags|behandler), after the cases with the word itself (tests/test_search_compounds.py).
    assert search("sagsbehandler") == ["2020-08-11/31"]
    assert sorted(search('"kontanthjælp"')) == ["2019-10-08/38", "2022-11-15/47", "2022-11-15/48"]
    assert search("kontanthjælp")[-1] == "2022-11-15/49"  # only "kontanthjælpsmodtagere": last


def test_title_match_ranks_above_a_mention_in_passing(archive):
    # Sag 31 and 48 have "Beskæftigelsesplan" in the title; 30 and 47 only mention it in their text.
    assert set(search("beskæftigelsesplan")[:2]) == {"2020-08-11/31", "2022-11-15/48"}


def test_attachment_document_text_is_searched(archive):
    # "procesplan" occurs only in Bilag 1 of sag 30 and its linked Markdown document.
    assert search("procesplan") == ["2020-08-11/30"]
    # "Wigan" occurs only in the text of the linked document procesplan-ny-beskaeftigelsespolitik-2020.md.
    assert search("Wigan Manchester") == ["2020-08-11/30"]


def test_ties_break_newest_first(archive):
    # Every case has a "Beslutning"; PostgreSQL ranks many equally, and the date must then decide.
    found = search("Meddelelser")
    assert set(found) == {"2022-11-15/45", "2020-08-11/29", "2019-10-08/36"}
    assert search("Meddelelser", sort="newest") == ["2022-11-15/45", "2020-08-11/29", "2019-10-08/36"]
    assert search("Meddelelser", sort="oldest") == ["2019-10-08/36", "2020-08-11/29", "2022-11-15/45"]


def test_phrase_or_and_exclusion(archive):
    assert search('"sociale klausuler"') == ["2019-10-08/37"]
    assert search('"klausuler sociale"') == []
    assert set(search("klausul OR brugerundersøgelse")) == {"2019-10-08/37", "2022-11-15/46"}
    assert set(search("beskæftigelsesplan -2023")) == {"2020-08-11/30", "2020-08-11/31"}
    everything_but = search("-klausul")
    assert len(everything_but) == 19 and "2019-10-08/37" not in everything_but


def test_unpublished_meetings_are_not_found(archive):
    factories.withdraw(date="2019-10-08")
    assert search("sociale klausuler") == []


# Recorded on PostgreSQL (websearch_to_tsquery, danish, plus compound parts and prefixes); SQLite must find the
# same set of cases.
PARITY = {
    "sociale klausuler": ["2019-10-08/37"],
    "klausulerne": ["2019-10-08/37"],
    "brugerundersøgelse": ["2022-11-15/46"],
    "beskæftigelsesplan": ["2020-08-11/30", "2020-08-11/31", "2022-11-15/47", "2022-11-15/48"],
    '"ny beskæftigelsespolitik"': ["2020-08-11/30"],
    "klausul OR brugerundersøgelse": ["2019-10-08/37", "2022-11-15/46"],
    "beskæftigelsesplan -2023": ["2020-08-11/30", "2020-08-11/31"],
    "regnskab": ["2020-08-11/32", "2022-11-15/50"],
    "procesplan": ["2020-08-11/30"],
    "handleplan udsattepolitikken": ["2019-10-08/39", "2019-10-08/40"],
    "Jobcentret": [
        "2019-10-08/37",
        "2019-10-08/38",
        "2019-10-08/41",
        "2020-08-11/30",
        "2020-08-11/31",
        "2022-11-15/46",
        "2022-11-15/47",
        "2022-11-15/48",
        "2022-11-15/49",
    ],
    '"forventet regnskab" september': ["2022-11-15/50"],
    "udsatterådet OR handicappolitikken": ["2019-10-08/39", "2019-10-08/40", "2020-08-11/30"],
    "-klausul -regnskab": [
        "2019-10-08/36",
        "2019-10-08/38",
        "2019-10-08/39",
        "2019-10-08/40",
        "2019-10-08/41",
        "2019-10-08/42",
        "2020-08-11/29",
        "2020-08-11/30",
        "2020-08-11/31",
        "2020-08-11/33",
        "2020-08-11/34",
        "2022-11-15/45",
        "2022-11-15/46",
        "2022-11-15/47",
        "2022-11-15/48",
        "2022-11-15/49",
        "2022-11-15/51",
    ],
    "anbefales": [
        "2019-10-08/37",
        "2019-10-08/39",
        "2019-10-08/40",
        "2019-10-08/41",
        "2020-08-11/30",
        "2022-11-15/46",
        "2022-11-15/47",
        "2022-11-15/48",
        "2022-11-15/49",
    ],
    "kontanthjælp": ["2019-10-08/38", "2022-11-15/47", "2022-11-15/48", "2022-11-15/49"],
    '"kontanthjælp"': ["2019-10-08/38", "2022-11-15/47", "2022-11-15/48"],
    "beskæft*": [
        "2019-10-08/37",
        "2019-10-08/38",
        "2019-10-08/39",
        "2019-10-08/41",
        "2020-08-11/30",
        "2020-08-11/31",
        "2020-08-11/32",
        "2022-11-15/45",
        "2022-11-15/46",
        "2022-11-15/47",
        "2022-11-15/48",
        "2022-11-15/49",
        "2022-11-15/50",
    ],
    "puljemidler": ["2022-11-15/49"],
    "e-boks": ["2022-11-15/46"],
    "sagsbehandler": ["2020-08-11/31"],
    "og": [],
    "!!!": [],
}


@pytest.mark.parametrize("q", list(PARITY))
def test_engine_parity(archive, q):
    assert sorted(search(q)) == PARITY[q]
