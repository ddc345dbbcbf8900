"""The decompounder without a database: how Danish compounds split (the dictionary's linking letters, real parts
only, frequencies that tell a compound from a coincidence), what a word contributes to the index, and that the
committed word lists are what the build makes from hunspell-da and wordfreq."""

import gzip
import os

import pytest

from search import danish, decompound, wordlists


@pytest.mark.parametrize(
    ("word", "split"),
    [
        ("beskæftigelsesplanen", "beskæftigelses|planen"),  # linking -s-
        ("fritidstilbuddene", "fritids|tilbuddene"),
        ("børnehaverne", "børne|haverne"),  # linking -e- (on "børn")
        ("folkeskolen", "folke|skolen"),
        ("arbejdsmarkedet", "arbejds|markedet"),  # "arbejde" drops its e before -s-
        ("klimatilpasningen", "klima|tilpasningen"),  # no linking letter
        ("lokalplanforslaget", "lokal|plan|forslaget"),  # three parts
        ("jobcentermedarbejdere", "jobcenter|medarbejdere"),  # fewest parts first; "jobcenter" splits again
        ("handicaprådet", "handicap|rådet"),
        ("udsattepolitikken", "udsatte|politikken"),  # a common word the dictionary does not list as joining
        ("integrationsydelse", "integrations|ydelse"),
        ("sagsbehandlere", "sags|behandlere"),
    ],
)
def test_compounds_split_the_way_danish_builds_them(word, split):
    assert decompound.explain(word) == split


@pytest.mark.parametrize(
    "word",
    [
        # Letters inside another word are no part (the examples and their kin).
        "byggeri",
        "byggeriet",
        "ledighed",
        "ledigheden",
        "samtale",
        "samtaler",
        "antallet",
        "aftale",
        "indflydelse",
        "området",
        # Derivational suffixes that are also words: -hed, -skab, -vis, -lig, -ende, -este.
        "myndighed",
        "regnskab",
        "fællesskab",
        "delvis",
        "faglig",
        "faldende",
        "laveste",
        # Only inflection after a word: "borg|er", "bil|aget", "økonomi|ske".
        "borgere",
        "bilaget",
        "økonomiske",
        # Spelt like two words, but more common than them together: "kul|tur", "pro|cent", "met|ode".
        "kultur",
        "procent",
        "metode",
        # Protected: the rules would split them, wrongly.
        "vejledning",
        "velfærd",
        "deltager",
        # Too short to hold two parts of three letters; stop words are never parts ("gennem|føre").
        "bytal",
        "gennemføre",
    ],
)
def test_words_that_are_no_compound_stay_whole(word):
    assert decompound.split(word) == ()
    assert decompound.parts(word) == ()


def test_a_word_contributes_the_stems_of_its_parts_and_of_runs_that_are_words():
    assert decompound.parts("lokalplanforslaget") == ("lokal", "plan", "forslag", "lokalplan")
    assert set(decompound.parts("jobcentermedarbejdere")) == {"jobcent", "medarbejd", "job", "cent"}
    # Parts stand for their dictionary words too: "centret" is "center", "stien" is "sti", whatever Snowball says.
    assert {"centr", "cent"} <= set(decompound.parts("jobcentret"))
    assert "sti" in decompound.parts("cykelstien")
    # A query word meets its part by stem: "skolerne", "skole", "skolen" all find "folkeskolen".
    assert {danish.stem(w) for w in ("skole", "skolen", "skolerne")} <= set(decompound.parts("folkeskolen"))
    # Never the word's own stem; a stop word's ending is no part a search can ask for.
    assert danish.stem("folkeskolen") not in decompound.parts("folkeskolen")
    assert decompound.parts("børnehave") == ("børn",)


def test_every_part_is_a_real_word_of_at_least_three_letters():
    for word in ("beskæftigelsesindsatsen", "kontanthjælpsmodtagere", "ungdomsuddannelse", "tillægsbevillinger"):
        for part in decompound.split(word):
            assert len(part.text) >= decompound.MIN_PART
            assert all(len(s) >= 2 for s in part.stems)


def test_text_parts_are_distinct_in_order_of_appearance():
    text = "Folkeskolen og folkeskolerne; beskæftigelsesplanen. Byggeriet."
    assert decompound.text_parts(text) == ["folk", "skol", "beskæftig", "plan"]


def test_the_lexicon_reader_follows_hunspells_compound_flags():
    aff = """SET UTF-8
FLAG num
SFX 11 Y 2
SFX 11 0 er/34 .
SFX 11 0 erne/34 .
SFX 29 Y 2
SFX 29 0 s/32,35,36 .
SFX 29 0 s/33,35,36 .
SFX 30 Y 1
SFX 30 0 e/32,36,35 .
SFX 31 Y 1
SFX 31 0 0/32,36,35 .
SFX 39 Y 1
SFX 39 0 0/35,34 .
""".splitlines()
    dic = ["4", "plan/11,39,31", "beskæftigelse/39,29", "børn/39,30", "hed/39"]
    lexicon = wordlists.read_lexicon(dic, aff)
    assert dict(lexicon.joining) == {
        "plan": {"plan"},
        "beskæftigelses": {"beskæftigelse"},
        "børne": {"børn"},
    }
    endings = ("plan", "planer", "planerne", "beskæftigelse", "børn", "hed")
    assert set(lexicon.ending) == {danish.stem(w) for w in endings}


REQUIRED = os.environ.get("CI") == "true"


@pytest.mark.skipif(
    not wordlists.HUNSPELL_DIC.exists() and not REQUIRED,
    reason="needs hunspell-da (apt-get install -y hunspell-da); required when CI=true",
)
def test_the_committed_compound_lexicon_is_what_hunspell_da_gives():
    header, lines = wordlists.compounds_lines()
    with gzip.open(wordlists.COMPOUNDS_FILE, "rt", encoding="utf-8") as committed:
        assert committed.read() == "\n".join([*(f"# {h}" for h in header), *lines]) + "\n"


def test_the_committed_frequencies_are_what_wordfreq_gives():
    pytest.importorskip("wordfreq", reason="needs wordfreq (pip install wordfreq, in the dev extras)")
    header, lines = wordlists.frequency_lines()
    with gzip.open(wordlists.FREQUENCIES_FILE, "rt", encoding="utf-8") as committed:
        assert committed.read() == "\n".join([*(f"# {h}" for h in header), *lines]) + "\n"
