"""The parser on every era of Rødovre's protocols (GUIDE §2.10–2.12), each on a protocol written in that era's format
(tests/protocols/): undated and inline trail steps before about 2012, numeric-date steps around 2014, election terms
on the committee line, attachment codes before a glued title, a repeated Beslutning heading, the chair's prefix in
an absence line, numbered titles, two authorities, untitled attachments — and agendas, the same export before the
meeting."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from importer.parse import parse_protocol, protocol_to_dict, split_authority
from importer.records import (
    AGENDA,
    AMENDED,
    APPROVED,
    AS_RECOMMENDED,
    MINUTES,
    NOTED,
    POSTPONED,
    RECOMMENDED,
    REJECTED,
    WarningCode,
    protocol_from_json,
    protocol_to_json,
)
from tests.conftest import OWN_PROTOCOLS

KB_2009 = OWN_PROTOCOLS / "kommunalbestyrelsen-2009-03-24.txt"
KB_2014 = OWN_PROTOCOLS / "kommunalbestyrelsen-2014-05-27.txt"
KNU_2025 = OWN_PROTOCOLS / "klima-og-naturudvalget-2025-02-04.txt"
BEU_AGENDA = OWN_PROTOCOLS / "beskaeftigelsesudvalget-2026-12-15-dagsorden.txt"
BEU_MINUTES = OWN_PROTOCOLS / "beskaeftigelsesudvalget-2026-12-15-referat.txt"
ERAS = [KB_2009, KB_2014, KNU_2025, BEU_AGENDA, BEU_MINUTES]


def parse(path):
    return parse_protocol(path.read_bytes())


def steps(case) -> list[tuple]:
    return [(s.body, s.date, s.item, s.text, s.outcome) for s in case.history]


def case(protocol, number):
    return next(c for c in protocol.cases if c.number == number)


# --------------------------------------------------------------------- before about 2012: undated trail steps


def test_2009_council_reads_its_skeleton_without_members_or_authority():
    p = parse(KB_2009)
    assert (p.committee, p.date, p.kind, p.term, p.first_case, p.last_case) == (
        "Kommunalbestyrelsen",
        dt.date(2009, 3, 24),
        MINUTES,
        None,
        41,
        44,
    )
    assert p.members == () and p.absent == ()
    assert [(c.number, c.reference, c.authority) for c in p.cases] == [
        (41, "ØU 52/09", None),
        (42, "ØU 53/09", None),
        (43, "ØU 55/09", None),
        (44, "ØU 58/09", None),
    ]
    assert p.warnings == ()


def test_2009_inline_undated_steps_after_the_recommendation_in_sagens_kerne():
    varmeplan = case(parse(KB_2009), 42)
    # "Bestyrelsen for Rødovre Kommunale Fjernvarmeforsyning: Anbefales. Økonomiudvalget: Indstilles godkendt."
    assert steps(varmeplan) == [
        ("Bestyrelsen for Rødovre Kommunale Fjernvarmeforsyning", None, None, "Anbefales.", RECOMMENDED),
        ("Økonomiudvalget", None, None, "Indstilles godkendt.", RECOMMENDED),
    ]
    # The recommendation stands in Sagens kerne (no Indstilling heading) and stops where the trail starts.
    assert [(r.by, r.text) for r in varmeplan.recommendations] == [
        ("Teknisk Forvaltning", "at varmeplanen for 2009-2012 godkendes, og"),
        ("Teknisk Forvaltning", "at takstbladet for 2009 godkendes som foreslået."),
    ]
    assert (varmeplan.decision.outcome, varmeplan.decision.followed) == (APPROVED, AS_RECOMMENDED)
    # The narrative in Sagsfremstilling ("behandlet i Teknik- og Miljøudvalget den 3. marts 2009") is no step.
    assert "Teknik- og Miljøudvalget den 3. marts 2009" in varmeplan.sections[1].text
    # The section text stays verbatim: nothing the parser reads is taken out of the protocol's own words.
    assert varmeplan.sections[0].text.splitlines()[-1].startswith("Bestyrelsen for Rødovre Kommunale")


def test_2009_a_step_in_the_middle_of_a_paragraph_and_its_decision_on_the_next_line():
    grund = case(parse(KB_2009), 43)
    assert steps(grund) == [
        ("Teknik- og Miljøudvalget", None, None, "Anbefales.", RECOMMENDED),
        ("Økonomiudvalget", None, None, "Indstilles godkendt.", RECOMMENDED),
    ]
    assert [(r.by, r.text) for r in grund.recommendations] == [
        ("Økonomiforvaltningen", "at grunden sælges til højestbydende.")
    ]
    assert grund.decision.text == "Godkendt med 15 stemmer mod 4 (Ø og F)."


def test_2009_standing_items_have_no_trail():
    p = parse(KB_2009)
    assert steps(case(p, 41)) == [] and steps(case(p, 44)) == []


@pytest.mark.parametrize(
    ("kerne", "expected"),
    [
        # Alone on a line, the decision below.
        (
            "Forvaltningen indstiller, at X godkendes.\nØkonomiudvalget:\nAnbefales.",
            [("Økonomiudvalget", "Anbefales.")],
        ),
        # A code alone on a line.
        ("Forvaltningen indstiller, at X godkendes.\nØU:\nAnbefales.", [("ØU", "Anbefales.")]),
        # A council of a named institution, then a committee, on one line.
        (
            "Bestyrelsen for Rødovre Varmeværk: Anbefales. Økonomiudvalget: Indstilles godkendt.",
            [("Bestyrelsen for Rødovre Varmeværk", "Anbefales."), ("Økonomiudvalget", "Indstilles godkendt.")],
        ),
        # A short code after the end of a sentence starts a step of its own, its decision on the same or next line.
        (
            "Social- og Sundhedsudvalget: Anbefales. ØU: Indstilles godkendt.",
            [("Social- og Sundhedsudvalget", "Anbefales."), ("ØU", "Indstilles godkendt.")],
        ),
        (
            "Teknisk Forvaltning indstiller, at planen vedtages. TMU: Anbefales. ØU:\nIndstilles godkendt.",
            [("TMU", "Anbefales."), ("ØU", "Indstilles godkendt.")],
        ),
        (
            "Bestyrelsen for Rødovre Varmeværk: Anbefales. KB: Taget til efterretning.",
            [
                ("Bestyrelsen for Rødovre Varmeværk", "Anbefales."),
                ("KB", "Taget til efterretning."),
            ],
        ),
        # Ordinary sentences ending in a colon, and a body named mid-sentence, are no steps.
        ("Borgerne spørges om følgende:\nat de er tilfredse.", []),
        ("Sagen sendes videre til Økonomiudvalget: det sker i juni.", []),
        ("Sagen har været i Økonomiudvalget den 3. marts 2009.", []),
        # A code-like word and a colon at the start of a sentence, with no decision after it, is a note.
        ("Sagen er drøftet med Rødovre Varmeværk. NB: Fristen for høringssvar er 1. maj.", []),
        ("NB: Fristen for høringssvar er 1. maj.", []),
        ("Projektet støttes af EU. EU: Programmet godkendes først i 2010.", []),
        ("Høringen er slut. OBS:\nSvarene ligger i bilag 2.", []),
    ],
)
def test_undated_trail_steps_in_sagens_kerne(kerne, expected):
    text = f"Udvalget\n01-02-2009\nSager 1 - 1\nEn sag\nSag nr. 1\nSagens kerne\n{kerne}\nBeslutning\nGodkendt.\n"
    assert [(s.body, s.text) for s in parse_protocol(text).cases[0].history] == expected


def test_a_short_code_mid_paragraph_is_an_undated_step_and_a_note_stays_in_the_text():
    text = (
        "Kommunalbestyrelsen\n24-03-2009\nSager 45 (ØU 60/09) - 45 (ØU 60/09)\nNyt plejecenter ved Espelunden\n"
        "Sag nr. 45 (ØU 60/09)\nSagens kerne\nSocial- og Sundhedsforvaltningen indstiller, at byggeriet sættes i "
        "gang. NB: Tidsplanen er stram. Social- og Sundhedsudvalget: Anbefales. ØU: Indstilles godkendt.\n"
        "Beslutning\nGodkendt.\n"
    )
    (plejecenter,) = parse_protocol(text).cases
    assert steps(plejecenter) == [
        ("Social- og Sundhedsudvalget", None, None, "Anbefales.", RECOMMENDED),
        ("ØU", None, None, "Indstilles godkendt.", RECOMMENDED),
    ]
    # The note is no step: it stays where the protocol wrote it, and the recommendation before it is read.
    assert "NB: Tidsplanen er stram." in plejecenter.sections[0].text
    ((by, recommendation),) = [(r.by, r.text) for r in plejecenter.recommendations]
    assert by == "Social- og Sundhedsforvaltningen" and recommendation.startswith("at byggeriet sættes i gang.")
    assert (plejecenter.decision.outcome, plejecenter.decision.followed) == (APPROVED, AS_RECOMMENDED)


@pytest.mark.parametrize(
    "kerne",
    [
        "Økonomiudvalget: Indstilles godkendt. Teknisk Forvaltning indstiller, at planen vedtages.",
        "Økonomiudvalget:\nIndstilles godkendt.\nTeknisk Forvaltning indstiller, at planen vedtages.",
        "Teknisk Forvaltning indstiller, at planen vedtages.\nØkonomiudvalget: Indstilles godkendt.",
    ],
)
def test_the_recommendation_is_read_before_or_after_the_trail_in_sagens_kerne(kerne):
    text = f"Udvalget\n01-02-2009\nSager 1 - 1\nEn sag\nSag nr. 1\nSagens kerne\n{kerne}\nBeslutning\nGodkendt.\n"
    (only,) = parse_protocol(text).cases
    assert [(s.body, s.text, s.outcome) for s in only.history] == [
        ("Økonomiudvalget", "Indstilles godkendt.", RECOMMENDED)
    ]
    assert [(r.by, r.text) for r in only.recommendations] == [("Teknisk Forvaltning", "at planen vedtages.")]
    assert (only.decision.outcome, only.decision.followed) == (APPROVED, AS_RECOMMENDED)


def test_sagsfremstilling_is_never_read_as_the_trail():
    text = (
        "Udvalget\n01-02-2009\nSager 1 - 1\nEn sag\nSag nr. 1\nSagens kerne\nKort.\n"
        "Sagsfremstilling\nØkonomiudvalget: Anbefales.\nBeslutning\nGodkendt.\n"
    )
    assert parse_protocol(text).cases[0].history == ()


# --------------------------------------------------------------------- around 2014: numeric-date trail steps


def test_2014_numeric_date_steps_without_item_or_colon():
    p = parse(KB_2014)
    svoemmehal = case(p, 62)
    assert steps(svoemmehal) == [
        ("Kultur- og Fritidsudvalget", dt.date(2014, 5, 6), None, "Anbefales.", RECOMMENDED),
        (
            "Økonomiudvalget",
            dt.date(2014, 5, 14),
            None,
            "Indstilles godkendt med den ændring, at beløbet finansieres af anlægspuljen.",
            RECOMMENDED,
        ),
    ]
    # The trail is not part of the recommendation.
    assert [r.text for r in svoemmehal.recommendations] == [
        "at der gives en anlægsbevilling på 12,5 mio. kr. til renovering af Rødovre Svømmehal,",
        "at beløbet finansieres af kassebeholdningen.",
    ]
    assert steps(case(p, 63)) == [
        ("Børne- og Skoleudvalget", dt.date(2014, 5, 5), None, "Anbefales.", RECOMMENDED),
        ("Økonomiudvalget", dt.date(2014, 5, 14), None, "Anbefales.", RECOMMENDED),
    ]
    assert p.warnings == ()


def test_2014_a_second_beslutning_heading_continues_the_decision():
    svoemmehal = case(parse(KB_2014), 62)
    assert svoemmehal.decision.text == (
        "Godkendt med den ændring, at beløbet finansieres af anlægspuljen.\nFor stemte: A, F og V. Imod stemte: C."
    )
    assert [s.heading for s in svoemmehal.sections] == ["Sagens kerne", "Indstilling", "Beslutning", "Bilag"]
    assert (svoemmehal.decision.outcome, svoemmehal.decision.followed) == (APPROVED, AMENDED)


def test_2014_the_chairs_absence_keeps_the_name_without_the_prefix():
    p = parse(KB_2014)
    assert [(a.name, a.party, a.cases, a.chair) for a in p.absent] == [("Erik Nielsen", "A", (63,), True)]
    assert p.members[0].name == "Erik Nielsen" and p.members[0].chair


def test_2014_whether_each_decision_followed_its_recommendation():
    p = parse(KB_2014)
    assert [(c.number, c.decision.outcome, c.decision.followed) for c in p.cases] == [
        (61, NOTED, AS_RECOMMENDED),
        (62, APPROVED, AMENDED),
        (63, POSTPONED, POSTPONED),
    ]


# --------------------------------------------------------------------- 2025: terms, codes, numbers, two authorities


def test_2025_the_committee_line_carries_the_election_term():
    p = parse(KNU_2025)
    assert (p.committee, p.term, p.meeting_title, p.date) == (
        "Klima- og Naturudvalget",
        "2022-25",
        None,
        dt.date(2025, 2, 4),
    )
    assert p.warnings == ()


@pytest.mark.parametrize(
    ("first_line", "committee", "term"),
    [
        ("Beskæftigelsesudvalget 2025", "Beskæftigelsesudvalget", "2025"),
        ("Klima- og Naturudvalget 2018-25", "Klima- og Naturudvalget", "2018-25"),
        ("Klima- og Naturudvalget 2018 – 2021", "Klima- og Naturudvalget", "2018-2021"),
        ("Beskæftigelsesudvalget", "Beskæftigelsesudvalget", None),
        ("Konstituerende møde i Kommunalbestyrelsen 2026", "Kommunalbestyrelsen", "2026"),
    ],
)
def test_election_terms_on_the_first_line(first_line, committee, term):
    p = parse_protocol(f"{first_line}\n01-12-2025\nSager 1 - 1\nEn sag\nSag nr. 1\nBeslutning\nGodkendt.\n")
    assert (p.committee, p.term) == (committee, term)


def test_2025_an_attachment_code_and_date_stay_with_the_attachment_before_a_glued_title():
    p = parse(KNU_2025)
    # "Bilag 2: Skitse af stiforløb i Kagsmosen KNU 040225 Stiforbindelse langs Harrestrup Å"
    assert [(a.number, a.title) for a in case(p, 8).attachments] == [
        (1, "Udkast til naturpolitik 2025-2030"),
        (2, "Skitse af stiforløb i Kagsmosen KNU 040225"),
    ]
    assert case(p, 9).title == "Stiforbindelse langs Harrestrup Å"


def test_2025_titles_that_start_with_a_number():
    p = parse(KNU_2025)
    # One on its own line, one glued to the previous case's last Bilag line.
    assert case(p, 8).title == "1. behandling af naturpolitik 2025-2030"
    assert case(p, 10).title == "2. behandling af takster for naturpleje 2025"
    assert [(a.number, a.title) for a in case(p, 9).attachments] == [
        (1, ""),
        (2, "Kort over stiforbindelsen langs Harrestrup Å"),
    ]


def test_2025_untitled_attachments_and_one_glued_to_a_standing_item():
    p = parse(KNU_2025)
    # "Bilag 1. Diverse" before "Sag nr. 11": an untitled Bilag 1 and the title of sag 11.
    assert [(a.number, a.title) for a in case(p, 10).attachments] == [(1, "")]
    assert case(p, 11).title == "Diverse"


def test_2025_two_authorities_are_read_as_printed_and_split_into_bodies():
    p = parse(KNU_2025)
    assert case(p, 8).authority == "KNU og TMU"
    assert split_authority("KNU og TMU") == ("KNU", "TMU")
    assert split_authority("Teknik- og Miljøudvalget") == ("Teknik- og Miljøudvalget",)
    assert split_authority("Social- og Sundhedsudvalget og Beskæftigelsesudvalget") == (
        "Social- og Sundhedsudvalget",
        "Beskæftigelsesudvalget",
    )
    assert split_authority("") == ()


def test_2025_the_chair_absent_for_some_cases():
    p = parse(KNU_2025)
    assert [(a.name, a.party, a.cases, a.chair) for a in p.absent] == [("Lis Holm", "A", (9, 10), True)]


def test_trail_steps_of_a_committee_in_an_election_term():
    text = (
        "Teknik- og Miljøudvalget\n11-03-2025\nSager 1 - 1\nEn sag\nSag nr. 1\nIndstilling\n"
        "Forvaltningen indstiller, at X godkendes.\nKlima- og Naturudvalget 2022-25, 4. februar 2025, pkt. 9:\n"
        "Anbefales.\nBeslutning\nGodkendt.\n"
    )
    assert steps(parse_protocol(text).cases[0]) == [
        ("Klima- og Naturudvalget", dt.date(2025, 2, 4), 9, "Anbefales.", RECOMMENDED)
    ]


# --------------------------------------------------------------------- was the recommendation followed?


@pytest.mark.parametrize(
    ("decision", "followed"),
    [
        ("Godkendt.", AS_RECOMMENDED),
        ("Anbefales.", AS_RECOMMENDED),
        ("Godkendt med den tilføjelse, at der følges op om et år.", AMENDED),
        ("Anbefales, dog således at beløbet halveres.", AMENDED),
        ("Ændringsforslaget blev vedtaget med 5 stemmer mod 2. Herefter godkendt.", AMENDED),
        (
            "C fremsætter ændringsforslag: at tillægsbevillingen godkendes.\nÆndringsforslaget blev forkastet.\n"
            "Herefter anbefales indstillingen.",
            AS_RECOMMENDED,
        ),
        ("Afvist.", REJECTED),
        ("Anbefales ikke.", REJECTED),
        ("Udsat.", POSTPONED),
        ("Drøftet.", ""),
    ],
)
def test_followed_is_read_from_the_decision(decision, followed):
    text = (
        "Udvalget\n01-02-2020\nSager 1 - 1\nEn sag\nSag nr. 1\nIndstilling\n"
        f"Forvaltningen indstiller, at planen godkendes.\nBeslutning\n{decision}\n"
    )
    assert parse_protocol(text).cases[0].decision.followed == followed


def test_nothing_to_compare_without_a_recommendation():
    text = "Udvalget\n01-02-2020\nSager 1 - 1\nEn sag\nSag nr. 1\nBeslutning\nGodkendt.\n"
    assert parse_protocol(text).cases[0].decision.followed == ""


# --------------------------------------------------------------------- agendas


def test_an_agenda_is_the_same_export_without_decisions():
    p = parse(BEU_AGENDA)
    assert (p.kind, p.committee, p.term, p.date, p.ended_at) == (
        AGENDA,
        "Beskæftigelsesudvalget",
        "2026",
        dt.date(2026, 12, 15),
        None,
    )
    assert p.members == () and [a.name for a in p.absent] == ["Mikkel Molin"]
    assert [(c.number, c.title, c.authority, c.decision) for c in p.cases] == [
        (52, "Meddelelser", "BEU", None),
        (53, "Beskæftigelsesplan 2027", "KB", None),
        (54, "Status på brugerundersøgelsen i Jobcentret", "BEU", None),
    ]
    assert [r.text for r in case(p, 53).recommendations] == ["at Beskæftigelsesplan 2027 anbefales godkendt."]
    assert [(a.number, a.title) for a in case(p, 53).attachments] == [(1, "Udkast til Beskæftigelsesplan 2027")]
    # No decision is not a thing to check in an agenda.
    assert WarningCode.NO_DECISION not in {w.code for w in p.warnings}
    assert p.warnings == ()


def test_the_minutes_of_the_same_meeting():
    p = parse(BEU_MINUTES)
    assert (p.kind, p.committee, p.term, p.date) == (MINUTES, "Beskæftigelsesudvalget", "2026", dt.date(2026, 12, 15))
    assert [(c.number, c.decision.outcome, c.decision.followed) for c in p.cases] == [
        (52, NOTED, AS_RECOMMENDED),
        (53, RECOMMENDED, AS_RECOMMENDED),
        (54, NOTED, AS_RECOMMENDED),
    ]
    assert p.warnings == ()


@pytest.mark.parametrize(
    ("marker", "body", "kind"),
    [
        ("", "Sagens kerne\nKort.", AGENDA),  # no decision, no Beslutning heading, no closing line
        ("Dagsorden\n", "Sagens kerne\nKort.\nBeslutning", AGENDA),  # the header says so
        ("Referat\n", "Sagens kerne\nKort.", MINUTES),
        ("", "Sagens kerne\nKort.\nBeslutning", MINUTES),  # an empty Beslutning: minutes missing a decision
        ("", "Sagens kerne\nKort.\nMødet afsluttet kl. 17.00", MINUTES),  # a meeting that ended
    ],
)
def test_agenda_or_minutes(marker, body, kind):
    text = f"Beskæftigelsesudvalget\n15-12-2026\n{marker}Sager 1 - 1\nEn sag\nSag nr. 1\n{body}\n"
    p = parse_protocol(text)
    assert p.kind == kind
    assert (WarningCode.NO_DECISION in {w.code for w in p.warnings}) == (kind == MINUTES)


# --------------------------------------------------------------------- every era keeps its parse when stored


@pytest.mark.parametrize("path", ERAS, ids=lambda p: p.stem)
def test_every_era_round_trips_through_the_stored_form(path):
    p = parse(path)
    assert protocol_from_json(json.loads(json.dumps(protocol_to_json(p)))) == p
    d = protocol_to_dict(p)
    assert (d["kind"], d["term"]) == (p.kind, p.term)


@pytest.mark.parametrize("path", ERAS, ids=lambda p: p.stem)
def test_every_era_parses_the_same_from_windows_1252_with_crlf(path):
    text = path.read_text(encoding="utf-8")
    assert parse_protocol(text.replace("\n", "\r\n").encode("windows-1252")).cases == parse(path).cases
