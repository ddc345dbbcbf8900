"""The parser on hand-written protocols of other eras and committees, other encodings, the compact style and
broken files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from importer.decode import decode
from importer.parse import parse_protocol, protocol_to_dict
from importer.records import APPROVED, NOTED, OTHER, POSTPONED, RECOMMENDED, REJECTED, ProtocolError

OWN = Path(__file__).resolve().parent / "protocols"
REAL = Path(__file__).resolve().parent.parent / "fixtures" / "protocols"
COUNCIL = OWN / "kommunalbestyrelsen-2025-06-24.txt"
OLD = OWN / "kommunalbestyrelsen-2007-11-27.txt"
CONSTITUENT = OWN / "kommunalbestyrelsen-2025-12-01-konstituerende.txt"
P2020 = REAL / "beskaeftigelsesudvalget-2020-08-11.txt"

HEADER = "Beskæftigelsesudvalget\n11-08-2020\nMedlemmer\nFormand Michel Berg (A)\nSager 1 - 1\n"


def one_case(body: str, *, header: str = HEADER, title: str = "En sag") -> str:
    """A minimal protocol with one case (sag 1) whose body is `body`."""
    return f"{header}{title}\nSag nr. 1\nBeslutningskompetence: BEU\n{body}\nMødet afsluttet kl. 16.00\n"


def decision_outcome(text: str) -> str:
    return parse_protocol(one_case(f"Beslutning\n{text}")).cases[0].decision.outcome


def recommendations(indstilling: str) -> list[tuple[str | None, str]]:
    case = parse_protocol(one_case(f"Indstilling\n{indstilling}\nBeslutning\nGodkendt.")).cases[0]
    return [(r.by, r.text) for r in case.recommendations]


def codes(text: str) -> list[str]:
    return [w.code for w in parse_protocol(text).warnings]


# ------------------------------------------------------------------------------------- (a) council meeting


def test_council_header_members_with_substitute_two_letter_party_and_no_space_party():
    p = parse_protocol(COUNCIL.read_bytes())
    assert (p.committee, p.meeting_title, p.date, p.ended_at, p.first_case, p.last_case) == (
        "Kommunalbestyrelsen",
        None,
        dt.date(2025, 6, 24),
        dt.time(21, 5),
        29,
        34,
    )
    assert [(m.name, m.party, m.chair, m.vice_chair, m.substitute_for) for m in p.members] == [
        ("Erik Nielsen", "A", True, False, None),
        ("Mette Dahl", "F", False, True, None),
        ("Britt Jensen", "A", False, False, None),
        ("Kim Hansen", "V", False, False, "Ole Nielsen"),
        ("Lise Holm", "UP", False, False, None),
        ("Carsten Berg", "C", False, False, None),
    ]


def test_council_afbud_with_case_list_and_without():
    p = parse_protocol(COUNCIL.read_bytes())
    assert [(a.name, a.party, a.cases) for a in p.absent] == [
        ("Jan Kongebro", "A", (30, 32, 33)),
        ("Peter Mikkelsen", "Ø", (29, 30, 31, 32, 33, 34)),
    ]


def test_council_every_case():
    p = parse_protocol(COUNCIL.read_bytes())
    assert [
        (c.number, c.title, c.authority, c.closed, c.decision.outcome, len(c.recommendations), len(c.history))
        for c in p.cases
    ] == [
        (29, "Meddelelser", "KB", False, NOTED, 1, 0),
        (30, "Lokalplan 155 for Islev Torv", "KB", False, APPROVED, 2, 2),
        (31, "Valg af nyt medlem til Beskæftigelsesudvalget", "KB", False, APPROVED, 1, 1),
        (32, "Budgetopfølgning pr. 31. maj 2025", "KB", False, RECOMMENDED, 2, 0),
        (33, "Køb af ejendom", "KB", True, APPROVED, 0, 0),
        (34, "Eventuelt", "KB", False, POSTPONED, 0, 0),
    ]
    assert p.warnings == ()


def test_council_one_line_proposer_and_middle_dot_bullets():
    case = parse_protocol(COUNCIL.read_bytes()).cases[0]
    assert [(r.by, r.text) for r in case.recommendations] == [
        ("Borgmesteren", "at meddelelserne tages til efterretning.")
    ]
    assert case.sections[0].text.splitlines()[1:] == [
        "· Status på byggeriet af Islev Skole",
        "· Henvendelse fra Rødovre Ældreråd",
    ]


def test_council_decision_trail_is_history_not_recommendations():
    case = parse_protocol(COUNCIL.read_bytes()).cases[1]
    assert [(r.by, r.text) for r in case.recommendations] == [
        ("Teknisk Forvaltning", "at Lokalplan 155 for Islev Torv vedtages endeligt,"),
        ("Teknisk Forvaltning", "at høringssvarene besvares som beskrevet i notatet om de indkomne bemærkninger."),
    ]
    assert [(s.body, s.date, s.item, s.text, s.outcome) for s in case.history] == [
        ("Teknik- og Miljøudvalget", dt.date(2025, 6, 10), 65, "Anbefales.", RECOMMENDED),
        ("Økonomiudvalget", dt.date(2025, 6, 11), 106, "Indstillingen blev vedtaget.", APPROVED),
    ]


def test_council_trail_step_with_only_a_body_name():
    case = parse_protocol(COUNCIL.read_bytes()).cases[2]
    assert [(s.body, s.date, s.item, s.text, s.outcome) for s in case.history] == [
        ("Økonomiudvalget", None, None, "Indstilles godkendt (Til Kommunalbestyrelsen).", RECOMMENDED)
    ]
    assert case.recommendations[0].by == "Økonomiudvalget"  # the committee itself can be the proposer


def test_council_votes_and_minority_statement_stay_in_the_decision():
    decision = parse_protocol(COUNCIL.read_bytes()).cases[1].decision
    assert decision.outcome == APPROVED
    assert decision.text.splitlines() == [
        "Godkendt.",
        "For stemte: A, F og Ø. Imod stemte: V og C.",
        'V ønskede følgende ført til protokols: "Lokalplanen giver for høje bygninger ved torvet."',
    ]


def test_council_amendment_rejected_but_recommendation_recommended():
    decision = parse_protocol(COUNCIL.read_bytes()).cases[3].decision
    assert decision.text.startswith("C fremsætter ændringsforslag")
    assert decision.outcome == RECOMMENDED


def test_council_lines_that_look_like_headings_or_members_stay_in_their_section():
    p = parse_protocol(COUNCIL.read_bytes())
    sag30 = {s.heading: s.text for s in p.cases[1].sections}
    assert list(sag30) == [
        "Sagens kerne",
        "Indstilling",
        "Beslutning",
        "Sagsfremstilling",
        "Høring",
        "Økonomiske konsekvenser",
        "Bilag",
    ]
    assert sag30["Sagsfremstilling"].splitlines() == [
        "Baggrund",
        "Lokalplanen giver mulighed for 120 boliger og butikker omkring Islev Torv.",
        "Sagen har tidligere været behandlet således:",
        "Beslutning fra Økonomiudvalget, 11. juni 2025, pkt. 106:",
        "Indstillingen blev vedtaget",
    ]
    sag31 = {s.heading: s.text for s in p.cases[2].sections}
    assert sag31["Sagsfremstilling"].splitlines()[1:3] == ["Kim Hansen (V)", "Medlemmer"]
    assert len(p.members) == 6


def test_council_closed_item_has_only_its_decision():
    case = parse_protocol(COUNCIL.read_bytes()).cases[4]
    assert case.closed is True
    assert [(s.heading, s.text) for s in case.sections] == [("Beslutning", "Godkendt.")]


# ------------------------------------------------------------------------------------- (b) pre-2012 protocol


def test_old_protocol_without_members_authority_or_indstilling_heading():
    p = parse_protocol(OLD.read_bytes())
    assert (p.committee, p.date, p.ended_at, p.first_case, p.last_case) == (
        "Kommunalbestyrelsen",
        dt.date(2007, 11, 27),
        dt.time(20, 10),
        103,
        136,
    )
    assert p.members == () and p.absent == ()
    assert [(c.number, c.reference, c.title, c.authority, c.decision.outcome) for c in p.cases] == [
        (103, "ØU 137/07", "Godkendelse af dagsorden", None, APPROVED),
        (104, "ØU 138/07", "Lokalplan 112 for Rødovre Centrum Nord", None, APPROVED),
        (136, "ØU 174/07", "Eventuelt", None, NOTED),
    ]


def test_old_protocol_recommendation_paragraph_inside_sagens_kerne():
    case = parse_protocol(OLD.read_bytes()).cases[1]
    assert [(r.by, r.text) for r in case.recommendations] == [
        ("Teknisk Forvaltning", "at Lokalplan 112 vedtages endeligt, og"),
        ("Teknisk Forvaltning", "at de indkomne bemærkninger besvares som foreslået i notatet."),
    ]
    assert [a.title for a in case.attachments] == ["Notat om bemærkninger til Lokalplan 112"]


def test_old_protocol_excerpt_warns_about_each_missing_announced_case():
    p = parse_protocol(OLD.read_bytes())
    assert [(w.code, w.case) for w in p.warnings] == [("missing-case", n) for n in range(105, 136)]


# ------------------------------------------------------------------------------------- (c) constituent meeting


def test_constituent_meeting_names_the_meeting_and_the_committee():
    p = parse_protocol(CONSTITUENT.read_bytes())
    assert (p.committee, p.meeting_title, p.date, p.ended_at) == (
        "Kommunalbestyrelsen",
        "Konstituerende møde i Kommunalbestyrelsen",
        dt.date(2025, 12, 1),
        dt.time(19, 30),
    )
    assert [(m.name, m.party, m.chair) for m in p.members] == [
        ("Britt Jensen", "A", False),
        ("Erik Nielsen", "A", False),
        ("Kim Hansen", "V", False),
        ("Lise Holm", "UP", False),
    ]
    assert p.absent == ()  # the Fraværende heading is empty
    assert p.warnings == ()


def test_constituent_meeting_cases():
    p = parse_protocol(CONSTITUENT.read_bytes())
    assert [(c.number, c.title, c.decision.outcome, [(r.by, r.text) for r in c.recommendations]) for c in p.cases] == [
        (1, "Valg af borgmester", OTHER, [(None, "at Kommunalbestyrelsen vælger borgmester.")]),
        (2, "Valg af 1. viceborgmester", OTHER, []),
        (3, "Valg af medlemmer til Økonomiudvalget", APPROVED, []),
    ]
    assert p.cases[2].sections[0].text == "Følgende blev foreslået:\nBritt Jensen (A)\nKim Hansen (V)"


# ------------------------------------------------------------------------------------- encodings


def test_decode_refuses_nothing_valid_and_names_the_encoding():
    assert decode("Sag æøå".encode()) == ("Sag æøå", "utf-8")
    assert decode(b"\xef\xbb\xbfSag \xc3\xa6") == ("Sag æ", "utf-8-sig")
    assert decode("Sag æøå – “x”".encode("windows-1252")) == ("Sag æøå – “x”", "windows-1252")
    assert decode("Sag æ".encode("utf-16")) == ("Sag æ", "utf-16")


def test_decode_normalises_line_ends_spaces_and_composition():
    text, _ = decode("a\r\nb\rc\u00a0d\u202fe \t\nf\u0065\u0301\u200b".encode())
    assert text == "a\nb\nc d e\nfé"


@pytest.mark.parametrize(
    "transform",
    [
        pytest.param(lambda t: t.replace("\n", "\r\n").encode(), id="crlf"),
        pytest.param(lambda t: t.replace("\n", "\r").encode(), id="cr"),
        pytest.param(lambda t: t.encode("windows-1252"), id="windows-1252"),
        pytest.param(lambda t: b"\xef\xbb\xbf" + t.encode(), id="utf-8-bom"),
        pytest.param(lambda t: t.replace(" ", "\u00a0").encode(), id="nbsp"),
        pytest.param(lambda t: t.replace("\n", "   \n").encode(), id="trailing-spaces"),
        pytest.param(lambda t: t, id="str"),
    ],
)
def test_other_encodings_and_line_ends_give_the_same_parse(transform):
    text = P2020.read_text(encoding="utf-8")
    expected = protocol_to_dict(parse_protocol(text))
    assert protocol_to_dict(parse_protocol(transform(text))) == expected


def test_encoding_is_recorded():
    text = P2020.read_text(encoding="utf-8")
    assert parse_protocol(text.encode("windows-1252")).encoding == "windows-1252"
    assert parse_protocol(b"\xef\xbb\xbf" + text.encode()).encoding == "utf-8-sig"
    assert parse_protocol(text.encode()).encoding == "utf-8"


# ------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b" \n\r\n\t \n", "the file holds only whitespace"),
        ("", "the file is empty"),
        (b"Beskaeftigelsesudvalget\x00\x00\x01", "the file is not text (it contains NUL bytes)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "the file is not text (it contains NUL bytes)"),
        (bytes(range(1, 32)) * 4 + b"abc", "the file is not text (it looks like a binary file)"),
    ],
)
def test_empty_and_binary_input_is_refused_for_the_whole_file(data, message):
    with pytest.raises(ProtocolError) as exc:
        parse_protocol(data)
    assert (exc.value.line, exc.value.message) == (0, message)


def test_a_file_without_a_date_names_the_first_case_title_line():
    text = "Beskæftigelsesudvalget\nMedlemmer\nMichel Berg (A)\nMeddelelser\nSag nr. 29\nBeslutning\nGodkendt.\n"
    with pytest.raises(ProtocolError) as exc:
        parse_protocol(text)
    assert exc.value.line == 4
    assert exc.value.message == "expected the meeting date (DD-MM-YYYY) before the first case"
    assert str(exc.value) == "line 4: expected the meeting date (DD-MM-YYYY) before the first case"


def test_a_file_truncated_before_the_first_case_has_no_cases():
    lines = P2020.read_text(encoding="utf-8").splitlines()
    with pytest.raises(ProtocolError) as exc:
        parse_protocol("\n".join(lines[:19]))  # cut after "Fold alle ud" (line 19)
    assert (exc.value.line, exc.value.message) == (
        19,
        "expected at least one case (a line 'Sag nr. N') before the end of the file",
    )


def test_a_file_truncated_in_the_header_has_no_date():
    with pytest.raises(ProtocolError) as exc:
        parse_protocol("Beskæftigelsesudvalget\n\n")
    assert (exc.value.line, exc.value.message) == (1, "expected the meeting date (DD-MM-YYYY) before the first case")


def test_a_file_truncated_inside_a_case_parses_with_warnings():
    lines = P2020.read_text(encoding="utf-8").splitlines()
    p = parse_protocol("\n".join(lines[:60]))  # ends inside sag 30, before its Beslutning
    assert [c.number for c in p.cases] == [29, 30]
    assert [(w.code, w.case) for w in p.warnings] == [
        ("no-decision", 30),
        ("missing-case", 31),
        ("missing-case", 32),
        ("missing-case", 33),
        ("missing-case", 34),
    ]
    assert p.ended_at is None


def test_duplicate_case_number_is_an_error_at_the_second_one():
    text = one_case("Beslutning\nGodkendt.\nAnden sag\nSag nr. 1\nBeslutning\nGodkendt.")
    with pytest.raises(ProtocolError) as exc:
        parse_protocol(text)
    assert (exc.value.line, exc.value.message) == (12, "duplicate case number 1")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (HEADER + "Sag nr. 1\nBeslutning\nGodkendt.\n", 6, "'Sag nr. 1' has no title line before it"),
        (HEADER + "En sag\nSag nr. 1\nBeslutning\nSag nr. 2\nB\n", 9, "'Sag nr. 2' has no title line before it"),
        (HEADER + "En sag\nSag nr. 1\nSag nr. 2\nB\n", 8, "'Sag nr. 2' has no title line before it"),
        ("Sag nr. 1\n11-08-2020\n", 1, "'Sag nr. 1' has no title line before it"),
    ],
    ids=["after-header", "after-heading", "after-case-line", "first-line"],
)
def test_case_without_title_line_is_an_error_at_its_case_line(text, line, message):
    with pytest.raises(ProtocolError) as exc:
        parse_protocol(text)
    assert (exc.value.line, exc.value.message) == (line, message)


def test_any_plain_line_before_sag_nr_is_its_title():
    text = HEADER + "En sag\nSag nr. 1\nBeslutning\nGodkendt.\nSag nr. 2\nBeslutning\nGodkendt.\n"
    p = parse_protocol(text)
    assert [c.title for c in p.cases] == ["En sag", "Godkendt."]
    assert p.cases[0].decision is None


def test_invalid_meeting_date_is_an_error_on_its_line():
    with pytest.raises(ProtocolError) as exc:
        parse_protocol("Beskæftigelsesudvalget\n31-02-2020\nEn sag\nSag nr. 1\n")
    assert (exc.value.line, exc.value.message) == (2, "invalid meeting date '31-02-2020'")


def test_first_line_must_name_the_committee():
    with pytest.raises(ProtocolError) as exc:
        parse_protocol("11-08-2020\nEn sag\nSag nr. 1\n")
    assert (exc.value.line, exc.value.message) == (1, "expected the committee name on the first line")


# ------------------------------------------------------------------------------------- header variants


def test_afbud_heading_with_case_lists_ranges_and_single_cases():
    header = (
        "Social- og Sundhedsudvalget\n03-03-2021\nMedlemmer\nAnna Berg (A), næstformand\nBo Dahl(Ø)\n"
        "Afbud\nAnna Berg (A), sag 30, 32-33\nBo Dahl (Ø), sag 31\nCarl Ek (V), sager 30 og 33\nDorte Fisk (C)\n"
        "Sager 30 - 33\n"
    )
    p = parse_protocol(one_case("Beslutning\nGodkendt.", header=header).replace("Sag nr. 1", "Sag nr. 30"))
    assert [(a.name, a.party, a.cases) for a in p.absent] == [
        ("Anna Berg", "A", (30, 32, 33)),
        ("Bo Dahl", "Ø", (31,)),
        ("Carl Ek", "V", (30, 33)),
        ("Dorte Fisk", "C", (30, 31, 32, 33)),
    ]
    assert [(m.name, m.party, m.vice_chair) for m in p.members] == [("Anna Berg", "A", True), ("Bo Dahl", "Ø", False)]


def test_absence_without_announced_range_covers_the_parsed_cases():
    header = "Beskæftigelsesudvalget\n11-08-2020\nFraværende: Jan Kongebro (A)\n"
    text = one_case("Beslutning\nGodkendt.\nTo\nSag nr. 4\nBeslutning\nGodkendt.", header=header)
    assert [(a.name, a.cases) for a in parse_protocol(text).absent] == [("Jan Kongebro", (1, 4))]


def test_unrecognised_header_lines_are_kept_as_warnings():
    header = "Beskæftigelsesudvalget\n11-08-2020\nMødested: Rådhuset, lokale 1\nMedlemmer\nMichel Berg (A)\n"
    p = parse_protocol(one_case("Beslutning\nGodkendt.", header=header))
    assert [(w.code, w.line, str(w)) for w in p.warnings] == [
        ("header-line", 3, "line 3: unrecognised header line: Mødested: Rådhuset, lokale 1")
    ]


def test_danish_long_date_in_the_header():
    header = "Beskæftigelsesudvalget\nTirsdag den 11. august 2020\n"
    assert parse_protocol(one_case("Beslutning\nGodkendt.", header=header)).date == dt.date(2020, 8, 11)


@pytest.mark.parametrize(
    ("closing", "time"),
    [
        ("Protokollen oplæst. Mødet afsluttet kl. 15.45", dt.time(15, 45)),
        ("Protokollen oplæst. Mødet afsluttet kl.: 15.20.", dt.time(15, 20)),
        ("Protokollen oplæst. Mødet afsluttet.: 15:50.", dt.time(15, 50)),
        ("Mødet hævet kl. 21.05", dt.time(21, 5)),
        ("Mødet afsluttet.", None),
    ],
)
def test_closing_line_variants(closing, time):
    text = f"{HEADER}En sag\nSag nr. 1\nBeslutning\nGodkendt.\n{closing}\n"
    p = parse_protocol(text)
    assert p.ended_at == time
    assert p.cases[0].decision.text == "Godkendt."


def test_text_after_the_closing_line_is_kept_as_a_warning():
    p = parse_protocol(f"{HEADER}En sag\nSag nr. 1\nBeslutning\nGodkendt.\nMødet afsluttet kl. 16.00\nMichel Berg\n")
    assert [(w.code, w.line) for w in p.warnings] == [("text-after-closing", 11)]
    assert "Michel Berg" in str(p.warnings[0])


# ------------------------------------------------------------------------------------- recommendations


@pytest.mark.parametrize(
    "indstilling",
    [
        "Forvaltningen indstiller,\n1. at A godkendes,\n2. at B godkendes.",
        "Forvaltningen indstiller,\n- at A godkendes,\n- at B godkendes.",
        "Forvaltningen indstiller,\n• at A godkendes,\n• at B godkendes.",
        "Forvaltningen indstiller,\n· at A godkendes,\n· at B godkendes.",
        "Forvaltningen indstiller,\nat A godkendes,\nat B godkendes.",
        "Forvaltningen indstiller, at A godkendes,\nat B godkendes.",
        "  Forvaltningen indstiller:\n  1) at A godkendes,\n  2) at B godkendes.",
    ],
    ids=["numbered", "dash", "bullet", "middle-dot", "plain", "one-line", "colon-paren"],
)
def test_one_recommendation_per_at_clause_whatever_the_marker(indstilling):
    assert recommendations(indstilling) == [("Forvaltningen", "at A godkendes,"), ("Forvaltningen", "at B godkendes.")]


def test_clause_continues_on_following_lines():
    assert recommendations("Forvaltningen indstiller,\nat A\ngodkendes.") == [("Forvaltningen", "at A godkendes.")]


def test_proposer_addressing_another_body():
    assert recommendations("Direktionen indstiller til Kommunalbestyrelsen,\nat A godkendes.") == [
        ("Direktionen", "at A godkendes.")
    ]


def test_recommendation_without_proposer_or_clause():
    assert recommendations("Sagen forelægges til orientering.") == [(None, "Sagen forelægges til orientering.")]


def test_no_indstilling_and_no_proposer_paragraph_means_no_recommendations():
    case = parse_protocol(one_case("Sagens kerne\nForvaltningen har undersøgt sagen.\nBeslutning\nGodkendt.")).cases[0]
    assert case.recommendations == ()


def test_proposer_sentence_in_the_middle_of_a_paragraph():
    body = "Sagens kerne\nSagen handler om X. Teknisk Forvaltning indstiller, at X godkendes.\nBeslutning\nGodkendt."
    case = parse_protocol(one_case(body)).cases[0]
    assert [(r.by, r.text) for r in case.recommendations] == [("Teknisk Forvaltning", "at X godkendes.")]


@pytest.mark.parametrize(
    ("line", "body", "date", "item"),
    [
        (
            "Teknik- og Miljøudvalget, 10. september 2019, pkt. 65:",
            "Teknik- og Miljøudvalget",
            dt.date(2019, 9, 10),
            65,
        ),
        ("Beslutning fra Økonomiudvalget, 11. juni 2025, pkt. 106:", "Økonomiudvalget", dt.date(2025, 6, 11), 106),
        ("Økonomiudvalget den 19-06-2019, punkt 118:", "Økonomiudvalget", dt.date(2019, 6, 19), 118),
        ("Børne- og Skoleudvalget, 3. sept. 2019:", "Børne- og Skoleudvalget", dt.date(2019, 9, 3), None),
        ("Kommunalbestyrelsen:", "Kommunalbestyrelsen", None, None),
        ("ØU:", "ØU", None, None),
    ],
)
def test_trail_step_header_forms(line, body, date, item):
    case = parse_protocol(
        one_case(f"Indstilling\nForvaltningen indstiller,\nat A godkendes.\n{line}\nAnbefales.\nBeslutning\nGodkendt.")
    ).cases[0]
    assert [(s.body, s.date, s.item, s.text, s.outcome) for s in case.history] == [
        (body, date, item, "Anbefales.", RECOMMENDED)
    ]
    assert len(case.recommendations) == 1


def test_sentences_ending_in_a_colon_are_not_trail_steps():
    case = parse_protocol(
        one_case("Indstilling\nForvaltningen indstiller,\nat følgende godkendes:\n- A\n- B\nBeslutning\nGodkendt.")
    ).cases[0]
    assert case.history == ()
    assert [r.text for r in case.recommendations] == ["at følgende godkendes: - A - B"]


def test_decision_heading_naming_bodies():
    body = (
        "Indstilling\nForvaltningen indstiller,\nat A godkendes.\nBeslutning i Økonomiudvalget\nAnbefales.\n"
        "Beslutning i Beskæftigelsesudvalget\nGodkendt."
    )
    case = parse_protocol(one_case(body)).cases[0]
    assert [(s.body, s.outcome) for s in case.history] == [("Økonomiudvalget", RECOMMENDED)]
    assert (case.decision.text, case.decision.outcome) == ("Godkendt.", APPROVED)


# ------------------------------------------------------------------------------------- decisions


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("Taget til efterretning.", NOTED),
        ("Orienteringen blev taget til efterretning.", NOTED),
        ("Anbefales.", RECOMMENDED),
        ("Indstilles godkendt (Til Kommunalbestyrelsen).", RECOMMENDED),
        ("Udvalget anbefaler indstillingen.", RECOMMENDED),
        ("Godkendt.", APPROVED),
        ("Godkendes.\nFor stemte: A, F og Ø. Imod stemte: V og C.", APPROVED),
        ("Vedtaget.", APPROVED),
        ("Afvist.", REJECTED),
        ("Forkastet.", REJECTED),
        ("Indstillingen blev ikke godkendt.", REJECTED),
        ("Anbefales ikke.", REJECTED),
        ("Udsat.", POSTPONED),
        ("Sagen blev udsat til næste møde.", POSTPONED),
        ("Erik Nielsen var inhabil og deltog ikke under sagens behandling.\nGodkendt.", APPROVED),
        ("Drøftet.", OTHER),
        (
            "C fremsætter ændringsforslag: at X.\nÆndringsforslaget blev forkastet med 1 stemme for (C) og 4 imod "
            "(A og Ø).\nHerefter anbefales indstillingen med 4 stemmer for (A og Ø) og 1 imod (C).",
            RECOMMENDED,
        ),
        (
            "V fremsætter ændringsforslag om udsættelse.\nÆndringsforslaget blev godkendt.\nIndstillingen blev "
            "herefter udsat.",
            POSTPONED,
        ),
    ],
)
def test_decision_outcome(text, outcome):
    assert decision_outcome(text) == outcome


@pytest.mark.parametrize("body", ["Sagens kerne\nNoget.", "Sagens kerne\nNoget.\nBeslutning"])
def test_missing_or_empty_decision_is_none_with_a_warning(body):
    p = parse_protocol(one_case(body))
    assert p.cases[0].decision is None
    assert [(w.code, w.case, w.line) for w in p.warnings] == [("no-decision", 1, 7)]


# ------------------------------------------------------------------------------------- cases and sections


def test_text_before_the_first_heading_is_kept_in_an_untitled_section():
    p = parse_protocol(one_case("Sagen er fra sidste møde.\nBeslutning\nGodkendt."))
    assert [(s.heading, s.text) for s in p.cases[0].sections] == [
        ("", "Sagen er fra sidste møde."),
        ("Beslutning", "Godkendt."),
    ]
    assert [w.code for w in p.warnings] == ["text-outside-section"]


def test_headings_must_stand_alone_but_may_carry_a_colon():
    body = "Sagens kerne:\nBeslutning om X\nIndstilling af Y\nBeslutning:\nGodkendt."
    case = parse_protocol(one_case(body)).cases[0]
    assert [(s.heading, s.text) for s in case.sections] == [
        ("Sagens kerne", "Beslutning om X\nIndstilling af Y"),
        ("Beslutning", "Godkendt."),
    ]


def test_closed_item_in_the_title():
    p = parse_protocol(one_case("Beslutning\nGodkendt.", title="Lukket punkt: Salg af grund"))
    assert (p.cases[0].title, p.cases[0].closed) == ("Lukket punkt: Salg af grund", True)


def test_unannounced_and_out_of_order_cases_are_warnings():
    text = one_case("Beslutning\nGodkendt.").replace("Sag nr. 1", "Sag nr. 2") + "Ny\nSag nr. 1\nBeslutning\nOK.\n"
    assert codes(text) == ["case-order", "unannounced-case"]


def test_compact_glued_titles_in_a_small_protocol():
    text = (
        "Beskæftigelsesudvalget\n15-11-2022\nSager 1 - 3\nMeddelelser\nSag nr. 1\nSagens kerne\n"
        "Orientering om Nyt Jobcenter Rødovre.\nBeslutning\nTaget til efterretning.\nBilag\n"
        "Bilag 1: Notat om Nyt Jobcenter Rødovre Budget for Jobcentret 2024\nSag nr. 2\nSagens kerne\n"
        "Budget for Jobcentret 2024 forelægges.\nBeslutning\nAnbefales.\nBilag\n"
        "Bilag 1: Budget 2024Bilag 2: Budget 2023 Diverse\nSag nr. 3\nBeslutning\nTaget til efterretning.\n"
    )
    p = parse_protocol(text)
    assert [(c.number, c.title, [(a.number, a.title) for a in c.attachments]) for c in p.cases] == [
        (1, "Meddelelser", [(1, "Notat om Nyt Jobcenter Rødovre")]),
        (2, "Budget for Jobcentret 2024", [(1, "Budget 2024"), (2, "Budget 2023")]),
        (3, "Diverse", []),
    ]
    assert p.warnings == ()


def test_weak_evidence_for_a_title_split_is_reported():
    text = (
        "Beskæftigelsesudvalget\n15-11-2022\nEt\nSag nr. 1\nBeslutning\nGodkendt.\nBilag\n"
        "Bilag 1: Alfa Beta Gamma\nSag nr. 2\nBeslutning\nGodkendt.\n"
    )
    p = parse_protocol(text)
    assert p.cases[1].title in ("Beta Gamma", "Gamma")
    assert [(w.code, w.case, w.line) for w in p.warnings] == [("title-split-guess", 2, 8)]


def test_a_glued_line_with_no_capitalised_word_to_start_a_title_is_an_error():
    text = "Beskæftigelsesudvalget\n15-11-2022\nEt\nSag nr. 1\nBilag\nBilag 1: alfa beta\nSag nr. 2\n"
    with pytest.raises(ProtocolError) as exc:
        parse_protocol(text)
    assert (exc.value.line, exc.value.message) == (6, "'Sag nr. 2' has no title line before it")


# ------------------------------------------------------------------------------------- JSON contract


def test_protocol_to_dict_matches_the_contract():
    d = protocol_to_dict(parse_protocol(COUNCIL.read_bytes()))
    assert list(d) == [
        "committee",
        "date",
        "kind",
        "term",
        "ended_at",
        "first_case",
        "last_case",
        "members",
        "absent",
        "cases",
        "warnings",
    ]
    assert (d["committee"], d["date"], d["ended_at"], d["first_case"], d["last_case"]) == (
        "Kommunalbestyrelsen",
        "2025-06-24",
        "21:05",
        29,
        34,
    )
    assert d["members"][3] == {"name": "Kim Hansen", "party": "V", "chair": False, "substitute_for": "Ole Nielsen"}
    assert d["absent"][0] == {"name": "Jan Kongebro", "party": "A", "cases": [30, 32, 33]}
    case = d["cases"][1]
    assert list(case) == [
        "number",
        "title",
        "authority",
        "reference",
        "sections",
        "recommendations",
        "history",
        "decision",
        "attachments",
    ]
    assert case["sections"][0] == {
        "heading": "Sagens kerne",
        "text": "Forslag til Lokalplan 155 for Islev Torv har været i offentlig høring. Der er indkommet fire "
        "høringssvar.",
    }
    assert case["recommendations"][0] == {
        "by": "Teknisk Forvaltning",
        "text": "at Lokalplan 155 for Islev Torv vedtages endeligt,",
    }
    assert case["history"][0] == {
        "body": "Teknik- og Miljøudvalget",
        "date": "2025-06-10",
        "item": 65,
        "text": "Anbefales.",
        "outcome": "recommended",
    }
    assert case["decision"]["outcome"] == "approved"
    assert case["attachments"] == [
        {"number": 1, "title": "Lokalplan 155 for Islev Torv"},
        {"number": 2, "title": "Notat om høringssvar"},
    ]
    assert d["warnings"] == []


def test_protocol_to_dict_nulls_and_warning_strings_survive_json():
    p = parse_protocol(OLD.read_bytes())
    d = json.loads(json.dumps(protocol_to_dict(p), ensure_ascii=False))
    assert d["cases"][0]["authority"] is None
    assert d["cases"][0]["reference"] == "ØU 137/07"
    assert d["cases"][0]["history"] == []
    assert d["warnings"][0] == "sag 105 is announced but missing"
    assert d["members"] == [] and d["absent"] == []
    # An empty Beslutning heading makes it minutes without a decision (with neither it is an agenda).
    truncated_minutes = one_case("Sagens kerne\nX\nBeslutning").replace("Mødet afsluttet kl. 16.00", "")
    truncated = protocol_to_dict(parse_protocol(truncated_minutes))
    assert truncated["ended_at"] is None
    assert truncated["cases"][0]["decision"] is None
    assert truncated["warnings"] == ["line 7: sag 1 has no decision"]
