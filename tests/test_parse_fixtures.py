"""Golden tests: the parser on the three real protocols of Beskæftigelsesudvalget, asserting exact facts.

Also proves, over every fixture (real and hand-written), that no word of the input outside the structural lines
is dropped, and that the compact export style applied to the 2019 and 2020 protocols still yields the right titles.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from importer.parse import parse_protocol
from importer.records import (
    APPROVED,
    FORMAT_VERSION,
    NOTED,
    OTHER,
    POSTPONED,
    RECOMMENDED,
    Protocol,
    protocol_from_json,
    protocol_to_json,
)

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "fixtures" / "protocols"
OWN = Path(__file__).resolve().parent / "protocols"
P2019 = REAL / "beskaeftigelsesudvalget-2019-10-08.txt"
P2020 = REAL / "beskaeftigelsesudvalget-2020-08-11.txt"
P2022 = REAL / "beskaeftigelsesudvalget-2022-11-15.txt"
ALL_FIXTURES = sorted(REAL.glob("*.txt")) + sorted(OWN.glob("*.txt"))


def parse(path: Path) -> Protocol:
    return parse_protocol(path.read_bytes())


def case_facts(p: Protocol) -> list[tuple]:
    return [
        (
            c.number,
            c.title,
            c.authority,
            c.decision.outcome if c.decision else None,
            len(c.recommendations),
            [a.title for a in c.attachments],
        )
        for c in p.cases
    ]


# ---------------------------------------------------------------------------------------------------- 2020-08-11


def test_2020_header_committee_date_end_range():
    p = parse(P2020)
    assert (p.committee, p.meeting_title, p.date, p.ended_at) == (
        "Beskæftigelsesudvalget",
        None,
        dt.date(2020, 8, 11),
        dt.time(15, 45),
    )
    assert (p.first_case, p.last_case) == (29, 34)


def test_2020_members_with_chair_first_and_the_absence_for_all_cases():
    p = parse(P2020)
    assert [(m.name, m.party, m.chair, m.substitute_for) for m in p.members] == [
        ("Michel Berg", "A", True, None),
        ("Jan Kongebro", "A", False, None),
        ("Steen Skriver Rasmussen", "A", False, None),
        ("Anders Torm Nielsen", "C", False, None),
        ("Peter Mikkelsen", "Ø", False, None),
    ]
    assert [(a.name, a.party, a.cases) for a in p.absent] == [("Jan Kongebro", "A", (29, 30, 31, 32, 33, 34))]


def test_2020_every_case():
    assert case_facts(parse(P2020)) == [
        (29, "Meddelelser", "BEU", NOTED, 1, ["Nyhedsliste for Social i perioden 15.05.2020 - 03.08.2020"]),
        (
            30,
            "Udvikling af ny beskæftigelsespolitik i Rødovre Kommune",
            "KB",
            RECOMMENDED,
            2,
            ["Procesplan til udvikling af ny beskæftigelsespolitik i Rødovre Kommune"],
        ),
        (
            31,
            "Drøftelse vedrørende Beskæftigelsesplan 2021-22",
            "BEU",
            NOTED,
            2,
            ["Ministermål 2021 - Brev til kommuner og jobcentre fra beskæftigelsesministeren"],
        ),
        (
            32,
            "Forventet regnskab pr. ultimo juni 2020 - Beskæftigelsesudvalget",
            "BEU",
            NOTED,
            1,
            ["Forventet regnskab - Beskæftigelsesudvalget pr ultimo juni 2020"],
        ),
        (
            33,
            "Budgetforslag 2021 - 2024",
            "Beskæftigelsesudvalget",
            NOTED,
            1,
            ["Bilag BEU Grå bokse", "Bilag BEU Hvide bokse"],
        ),
        (34, "Diverse", "BEU", NOTED, 0, []),
    ]


def test_2020_sag_29_recommendation_decision_and_attachment_number():
    case = parse(P2020).cases[0]
    assert [(r.by, r.text) for r in case.recommendations] == [
        ("Social- og Sundhedsforvaltningen", "at meddelelsespunkterne forelægges til orientering.")
    ]
    assert (case.decision.text, case.decision.outcome) == ("Taget til efterretning.", NOTED)
    assert [a.number for a in case.attachments] == [1]
    assert case.history == ()


def test_2020_sag_30_numbered_clauses_keep_their_text_without_the_number():
    case = parse(P2020).cases[1]
    assert [r.text for r in case.recommendations] == [
        "at der igangsættes en proces, der skal føre til vedtagelse af ny beskæftigelsespolitik i Rødovre Kommune samt",
        "at forslag til proces godkendes.",
    ]


def test_2020_sections_in_source_order_with_blank_lines_collapsed():
    case = parse(P2020).cases[1]
    assert [s.heading for s in case.sections] == [
        "Sagens kerne",
        "Indstilling",
        "Beslutning",
        "Sagsfremstilling",
        "Lov- og plangrundlag",
        "Økonomiske konsekvenser",
        "Tidsplan",
        "Bilag",
    ]
    texts = {s.heading: s.text for s in case.sections}
    assert texts["Lov- og plangrundlag"] == (
        "Lov om aktiv beskæftigelsespolitik.\nLov om organisering og understøttelse af beskæftigelsesindsatsen."
    )
    assert texts["Tidsplan"] == "August 2020 - juni 2021."
    assert all("\n\n" not in s.text and s.text == s.text.strip() for c in parse(P2020).cases for s in c.sections)


def test_2020_list_items_keep_their_bullets_and_numbers():
    sagsfremstilling = parse(P2020).cases[2].sections[3]
    assert sagsfremstilling.heading == "Sagsfremstilling"
    assert "\n1. Alle ledige skal have en værdig sagsbehandling\n2. Flere ledige skal opkvalificeres\n" in (
        sagsfremstilling.text
    )
    assert "\n• I Jobcentret er en værdig sagsbehandling" in sagsfremstilling.text


def test_2020_sag_34_keeps_its_empty_sagens_kerne():
    case = parse(P2020).cases[-1]
    assert [(s.heading, s.text) for s in case.sections] == [
        ("Sagens kerne", ""),
        ("Beslutning", "Taget til efterretning."),
    ]


def test_2020_closing_line_is_not_part_of_the_last_decision():
    assert parse(P2020).cases[-1].decision.text == "Taget til efterretning."


def test_real_fixtures_parse_without_warnings():
    for path in (P2019, P2020, P2022):
        assert parse(path).warnings == (), path.name


# ---------------------------------------------------------------------------------------------------- 2019-10-08


def test_2019_header_with_chair_listed_last():
    p = parse(P2019)
    assert (p.committee, p.date, p.ended_at, p.first_case, p.last_case) == (
        "Beskæftigelsesudvalget",
        dt.date(2019, 10, 8),
        dt.time(15, 20),
        36,
        42,
    )
    assert [(m.name, m.party, m.chair) for m in p.members] == [
        ("Steen Skriver Rasmussen", "A", False),
        ("Jan Kongebro", "A", False),
        ("Peter Mikkelsen", "Ø", False),
        ("Anders Torm Nielsen", "C", False),
        ("Annie Arnoldsen Petersen", "A", True),
    ]
    assert p.absent == ()


def test_2019_every_case():
    assert case_facts(parse(P2019)) == [
        (36, "Meddelelser", "BEU", NOTED, 1, ["Nyhedsliste for Social for perioden 29.08.2019 - 26.09.2019"]),
        (
            37,
            "Status på samarbejde med virksomheder omfattet af sociale klausuler, 2019",
            "KB",
            RECOMMENDED,
            2,
            ["Bilag - Sociale Klausuler 2019", "Opdateret vejledning om sociale klausuler i udbud"],
        ),
        (38, "Evaluering - Flere Skal Med", "BEU", NOTED, 1, ["Bilag - Evaluering af Flere Skal Med"]),
        (
            39,
            "Status på handleplan for udsattepolitikken",
            "KB",
            RECOMMENDED,
            1,
            ["Status på handleplan for udsattepolitikken"],
        ),
        (
            40,
            "Handleplan for handicappolitikken 2020",
            "KB",
            RECOMMENDED,
            1,
            ["Handleplan for handicappolitikken 2020 og 2021"],
        ),
        (41, "Sammen med unge", "KB", RECOMMENDED, 1, []),
        (42, "Diverse", "Diverse", NOTED, 0, []),
    ]


def test_2019_proposer_is_stripped_but_spelled_as_typed():
    case = parse(P2019).cases[2]
    assert [(r.by, r.text) for r in case.recommendations] == [
        ("Social og Sundhedsforvaltningen", "at evalueringen drøftes og tages til efterretning.")
    ]


def test_2019_another_administration_can_propose():
    assert parse(P2019).cases[5].recommendations[0].by == "Børne- og Kulturforvaltningen"


def test_2019_no_break_spaces_become_plain_spaces():
    p = parse(P2019)
    assert not any("\u00a0" in s.text for c in p.cases for s in c.sections)
    assert "det såkaldte ”følg eller forklar”-princip" in p.cases[1].sections[3].text


# ---------------------------------------------------------------------------------------------------- 2022-11-15


def test_2022_header_without_chair_or_absences():
    p = parse(P2022)
    assert (p.committee, p.date, p.ended_at, p.first_case, p.last_case) == (
        "Beskæftigelsesudvalget",
        dt.date(2022, 11, 15),
        dt.time(15, 50),
        45,
        51,
    )
    assert [(m.name, m.party, m.chair) for m in p.members] == [
        ("Peter Mikkelsen", "Ø", False),
        ("Birgitte Glifberg", "A", False),
        ("Flemming Lunde Østergaard", "A", False),
        ("Mikkel Molin", "V", False),
    ]
    assert p.absent == ()


def test_2022_every_case_with_glued_titles_split():
    assert case_facts(parse(P2022)) == [
        (45, "Meddelelser", "BEU", NOTED, 1, ["En håndsrækning til de hårdest ramte rødovreborgere"]),
        (46, "Design af brugerundersøgelse i Jobcentret", "KB", RECOMMENDED, 1, []),
        (47, "Mål for beskæftigelsesindsatsen 2023", "KB", RECOMMENDED, 1, ["Mål for beskæftigelsesindsatsen 2023"]),
        (
            48,
            "Godkendelse af Beskæftigelsesplan 2023 -2024",
            "KB",
            RECOMMENDED,
            1,
            ["Beskæftigelsesplan Rødovre Kommune 2023 -2024"],
        ),
        (
            49,
            "Udgiftsneutrale tillægsbevillinger vedr. den regionale uddannelsespulje",
            "KB",
            RECOMMENDED,
            3,
            [
                "Tilsagn om midler fra den regionale uddannelsespulje 2022",
                "Brev fra Styrelsen vedr. den regionale uddannelsespulje",
            ],
        ),
        (
            50,
            "Forventet regnskab pr. ultimo september 2022",
            "BEU",
            NOTED,
            1,
            ["Forventet regnskab pr ultimo september 2022 - Beskæftigelsesudvalget"],
        ),
        (51, "Diverse", "BEU", NOTED, 0, []),
    ]


def test_2022_sag_50_keeps_its_attachment_although_the_next_title_is_glued_to_it():
    case = parse(P2022).cases[5]
    assert [(a.number, a.title) for a in case.attachments] == [
        (1, "Forventet regnskab pr ultimo september 2022 - Beskæftigelsesudvalget")
    ]
    assert case.sections[-1].text == "Bilag 1: Forventet regnskab pr ultimo september 2022 - Beskæftigelsesudvalget"


def test_2022_glued_bilag_lines_are_split_in_the_section_text_too():
    bilag = parse(P2022).cases[4].sections[-1]
    assert bilag.heading == "Bilag"
    assert bilag.text == (
        "Bilag 1: Tilsagn om midler fra den regionale uddannelsespulje 2022\n"
        "Bilag 2: Brev fra Styrelsen vedr. den regionale uddannelsespulje"
    )
    assert [a.number for a in parse(P2022).cases[4].attachments] == [1, 2]


def test_2022_recommendation_without_proposer_or_at_clause_counts_as_one():
    case = parse(P2022).cases[0]
    assert [(r.by, r.text) for r in case.recommendations] == [(None, "Meddelelsespunktet forelægges til orientering.")]


def test_2022_bulleted_clauses_and_subheadings_inside_sagsfremstilling():
    p = parse(P2022)
    assert [r.text[:40] for r in p.cases[4].recommendations] == [
        "at modtagelse af puljemidlerne godkendes",
        "at der i 2022 gives endnu en udgiftsneut",
        "at der i 2022 ligeledes gives en udgifts",
    ]
    sag46 = p.cases[1]
    assert "Sagsfremstilling" in [s.heading for s in sag46.sections]
    assert "Baggrund" not in [s.heading for s in sag46.sections]
    assert "\nDesign af brugerundersøgelsen\n" in dict((s.heading, s.text) for s in sag46.sections)["Sagsfremstilling"]


def test_2022_sag_46_has_no_bilag_section():
    assert [s.heading for s in parse(P2022).cases[1].sections][-1] == "Tidsplan"


# ---------------------------------------------------------------------------------------------- compact style


def compact(text: str, *, glue_bilag_lines: bool = False) -> str:
    """The 2022 export style: no blank lines, each title glued onto a preceding Bilag line (and Bilag lines glued)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    out: list[str] = []
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if following.startswith("Sag nr.") and out and re.match(r"Bilag \d+:", out[-1]):
            out[-1] += " " + line
        elif glue_bilag_lines and re.match(r"Bilag \d+:", line) and out and re.match(r"Bilag \d+:", out[-1]):
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("path", [P2019, P2020, OWN / "kommunalbestyrelsen-2025-06-24.txt"], ids=lambda p: p.stem)
@pytest.mark.parametrize("glue_bilag_lines", [False, True])
def test_compact_style_applied_to_other_protocols_recovers_titles_and_attachments(path, glue_bilag_lines):
    text = path.read_text(encoding="utf-8")
    assert "Bilag" in compact(text) and compact(text).count("\n") < text.count("\n")
    original, glued = parse_protocol(text), parse_protocol(compact(text, glue_bilag_lines=glue_bilag_lines))
    assert [(c.number, c.title) for c in glued.cases] == [(c.number, c.title) for c in original.cases]
    assert [c.attachments for c in glued.cases] == [c.attachments for c in original.cases]
    assert [c.sections for c in glued.cases] == [c.sections for c in original.cases]
    assert [w.code for w in glued.warnings] == [w.code for w in original.warnings]


def test_compact_style_actually_glued_some_titles():
    glued = compact(P2020.read_text(encoding="utf-8"))
    assert "Bilag 1: Nyhedsliste for Social i perioden 15.05.2020 - 03.08.2020 Udvikling af ny" in glued
    assert "Bilag 2: Bilag BEU Hvide bokse Diverse\nSag nr. 34" in glued


# ---------------------------------------------------------------------------------------------- nothing dropped

_STRUCTURAL = re.compile(
    r"^(?:Sag nr\..*|Beslutningskompetence:.*|Sager \d+.*|Fold alle ud|Lukket punkt|"
    r"Protokollen oplæst.*|Mødet afsluttet.*|Sagens kerne|Indstilling|Beslutning|Sagsfremstilling|"
    r"Lov- og plangrundlag|Økonomiske konsekvenser|Tidsplan|Bilag|Høring)$"
)
_WORDS = re.compile(r"[^\W\d_]+|\d+")


def words(text: str) -> list[str]:
    # Glued Bilag lines ("…pulje 2022Bilag 2: …") are two lines; count their words apart.
    text = re.sub(r"(?<=\S)(Bilag \d+:)", r" \1", text)
    return [w.casefold() for w in _WORDS.findall(text)]


def body_lines(text: str) -> list[str]:
    """The non-blank, non-structural lines from the first case's title on (the header is structural)."""
    lines = [line.strip() for line in text.replace("\u00a0", " ").splitlines() if line.strip()]
    first_case = next(i for i, line in enumerate(lines) if line.startswith("Sag nr."))
    return [line for line in lines[first_case - 1 :] if not _STRUCTURAL.match(line)]


def output_words(p: Protocol) -> Counter:
    found: Counter = Counter()
    for c in p.cases:
        for text in (c.title, c.authority or "", c.reference or "", *(s.text for s in c.sections)):
            found.update(words(text))
    for w in p.warnings:
        found.update(words(str(w)))
    return found


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: p.stem)
@pytest.mark.parametrize("style", ["as-is", "compact"])
def test_nothing_outside_structural_lines_is_dropped(path, style):
    text = path.read_text(encoding="utf-8")
    if style == "compact":
        text = compact(text, glue_bilag_lines=True)
    source = Counter(w for line in body_lines(text) for w in words(line))
    missing = source - output_words(parse_protocol(text))
    assert not missing, f"words dropped: {sorted(missing)}"


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: p.stem)
def test_each_case_holds_the_words_of_its_own_lines(path):
    text = path.read_text(encoding="utf-8")
    p = parse_protocol(text)
    numbered = [(no, line.strip()) for no, line in enumerate(text.splitlines(), start=1) if line.strip()]
    for i, case in enumerate(p.cases):
        end = p.cases[i + 1].line if i + 1 < len(p.cases) else len(numbered) + 10**6
        own = {w for no, line in numbered if case.line < no < end and not _STRUCTURAL.match(line) for w in words(line)}
        found = set(words(case.title)) | {w for s in case.sections for w in words(s.text)}
        if i + 1 < len(p.cases):
            found |= set(words(p.cases[i + 1].title))  # the next title stands just before its "Sag nr."
        assert own <= found, f"sag {case.number} dropped {sorted(own - found)}"


def test_own_protocol_outcomes_cover_every_kind():
    outcomes = {c.decision.outcome for path in ALL_FIXTURES for c in parse(path).cases if c.decision}
    assert outcomes == {NOTED, RECOMMENDED, APPROVED, POSTPONED, OTHER}


# ------------------------------------------------------------------------------------- the stored form


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: p.stem)
@pytest.mark.parametrize("style", ["as-is", "compact"])
def test_a_stored_parse_comes_back_equal(path, style):
    text = path.read_text(encoding="utf-8")
    p = parse_protocol(compact(text, glue_bilag_lines=True) if style == "compact" else text)
    stored = json.loads(json.dumps(protocol_to_json(p)))  # what a JSONField hands back
    assert protocol_from_json(stored) == p


def test_the_stored_form_keeps_what_the_command_output_leaves_out():
    p = parse(OWN / "kommunalbestyrelsen-2025-12-01-konstituerende.txt")
    stored = protocol_to_json(p)
    assert stored["format_version"] == FORMAT_VERSION
    assert stored["meeting_title"] == "Konstituerende møde i Kommunalbestyrelsen"
    assert protocol_from_json(stored).meeting_title == p.meeting_title
    text = P2020.read_text(encoding="utf-8").replace("Sager 29 - 34", "Sager 29 - 35") + "\nMichel Berg\n"
    warned = parse_protocol(text)
    assert [(w.code, w.case, w.line, w.quote) for w in protocol_from_json(protocol_to_json(warned)).warnings] == [
        ("text-after-closing", None, 278, "Michel Berg"),
        ("missing-case", 35, 0, None),
    ]


def test_a_parse_stored_by_another_format_version_is_refused():
    stored = protocol_to_json(parse(P2020))
    with pytest.raises(ValueError, match="format version 1"):
        protocol_from_json({**stored, "format_version": 1})
