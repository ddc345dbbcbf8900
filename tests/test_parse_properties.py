"""Property tests: whatever it is given, the parser returns a `Protocol` or raises `ProtocolError` — nothing else.

Inputs are arbitrary text and bytes, and mutations of the real and hand-written fixtures (deleted, duplicated,
swapped and glued lines, truncation, inserted noise, random bytes). A second group generates well-formed protocols
and checks that their structure comes back.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importer.parse import parse_protocol, protocol_to_dict
from importer.records import OUTCOMES, ErrorCode, Protocol, ProtocolError, protocol_from_json, protocol_to_json

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_TEXTS = [
    path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "fixtures" / "protocols").glob("*.txt"))
    + sorted((Path(__file__).resolve().parent / "protocols").glob("*.txt"))
]
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Lines the format gives meaning to, so that mutations hit the parser's decisions and not only plain text.
STRUCTURAL_LINES = [
    "Sag nr. 7",
    "Sag nr. 29 (ØU 1/07)",
    "Sager 1 - 99999",
    "Beslutningskompetence:",
    "Beslutning",
    "Beslutning i Økonomiudvalget",
    "Indstilling",
    "Bilag",
    "Bilag 3: ",
    "Bilag 1: a b C d",
    "Medlemmer",
    "Fraværende",
    "Afbud: X (A), sag 9-1",
    "Formand Y (Ø), suppleant for",
    "Lukket punkt",
    "31-02-2020",
    "Mødet afsluttet kl. 25.99",
    "Økonomiudvalget, 31. juni 2025, pkt. 1:",
    "Forvaltningen indstiller,",
    "· at",
    "Fold alle ud",
    "Sag nr. " + "9" * 30,
]


def check(data: bytes | str) -> Protocol | None:
    """Parse and accept only the two allowed results; a parse must also serialise to JSON and come back equal."""
    try:
        protocol = parse_protocol(data)
    except ProtocolError as exc:
        assert isinstance(exc.line, int) and exc.line >= 0
        assert exc.message and exc.code in ErrorCode
        return None
    assert isinstance(protocol, Protocol)
    json.dumps(protocol_to_dict(protocol), ensure_ascii=False)
    assert protocol_from_json(json.loads(json.dumps(protocol_to_json(protocol)))) == protocol
    assert all(c.decision is None or c.decision.outcome in OUTCOMES for c in protocol.cases)
    assert len({c.number for c in protocol.cases}) == len(protocol.cases)
    return protocol


@FAST
@given(st.text())
def test_arbitrary_text(text):
    check(text)


@FAST
@given(st.binary())
def test_arbitrary_bytes(data):
    check(data)


@FAST
@given(st.lists(st.sampled_from(STRUCTURAL_LINES) | st.text(max_size=40), max_size=40))
def test_arbitrary_sequences_of_structural_and_random_lines(lines):
    check("Beskæftigelsesudvalget\n11-08-2020\n" + "\n".join(lines))


@st.composite
def mutated_fixture(draw) -> str:
    lines = draw(st.sampled_from(FIXTURE_TEXTS)).split("\n")
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        operation = draw(st.sampled_from(["delete", "duplicate", "swap", "glue", "insert", "truncate", "replace"]))
        if operation == "delete":
            del lines[i]
        elif operation == "duplicate":
            lines.insert(i, lines[i])
        elif operation == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif operation == "glue" and i + 1 < len(lines):
            lines[i : i + 2] = [lines[i] + draw(st.sampled_from(["", " "])) + lines[i + 1]]
        elif operation == "insert":
            lines.insert(i, draw(st.sampled_from(STRUCTURAL_LINES) | st.text(max_size=30)))
        elif operation == "truncate":
            lines = lines[:i]
        elif operation == "replace":
            lines[i] = draw(st.text(max_size=30))
    return "\n".join(lines)


@FAST
@given(mutated_fixture())
def test_mutated_fixtures(text):
    check(text)


@FAST
@given(st.sampled_from(FIXTURE_TEXTS), st.data())
def test_fixture_bytes_with_random_corruption_or_truncation(text, data):
    raw = bytearray(text.encode("utf-8"))
    cut = data.draw(st.integers(0, len(raw)))
    raw = raw[:cut]
    for _ in range(data.draw(st.integers(0, 5))):
        if raw:
            raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    check(bytes(raw))


# ----------------------------------------------------------------------------------- generated protocols

WORDS = st.sampled_from(
    "plan budget borgere jobcenter indsats kommune udvalg forslag tilbud ledige status aftale område".split()  # noqa: SIM905
)
TITLE_WORDS = st.sampled_from(
    ["Status", "Plan", "Budget", "Evaluering", "Handleplan", "Aftale", "Forslag", "Mål", "Indsats"]
)


@st.composite
def titles(draw) -> str:
    first = draw(TITLE_WORDS)
    rest = draw(st.lists(WORDS, max_size=5))
    return " ".join([first, *rest])


@st.composite
def generated_protocol(draw) -> tuple[str, list[tuple[int, str, int]]]:
    start = draw(st.integers(1, 200))
    count = draw(st.integers(1, 6))
    lines = ["Beskæftigelsesudvalget", "11-08-2020", "Medlemmer", "Formand Michel Berg (A)", f"Sager {start} - "]
    lines[-1] += str(start + count - 1)
    expected = []
    for number in range(start, start + count):
        title = draw(titles())
        n_clauses = draw(st.integers(0, 3))
        lines += [title, f"Sag nr. {number}", "Beslutningskompetence: BEU", "Sagens kerne"]
        lines += [" ".join(draw(st.lists(WORDS, min_size=1, max_size=8))).capitalize() + "."]
        if n_clauses:
            lines += ["Indstilling", "Social- og Sundhedsforvaltningen indstiller,"]
            marker = draw(st.sampled_from(["", "- ", "• ", "· "]))
            lines += [
                f"{marker}at {' '.join(draw(st.lists(WORDS, min_size=1, max_size=5)))}." for _ in range(n_clauses)
            ]
        lines += ["Beslutning", draw(st.sampled_from(["Godkendt.", "Anbefales.", "Taget til efterretning."]))]
        expected.append((number, title, n_clauses))
    lines.append("Mødet afsluttet kl. 16.00")
    separator = draw(st.sampled_from(["\n", "\n\n", "\r\n"]))
    return separator.join(lines), expected


@FAST
@given(generated_protocol())
def test_generated_protocols_come_back_case_by_case(generated):
    text, expected = generated
    p = parse_protocol(text)
    assert [(c.number, c.title, len(c.recommendations)) for c in p.cases] == expected
    assert all(r.by == "Social- og Sundhedsforvaltningen" for c in p.cases for r in c.recommendations)
    assert p.warnings == ()
    assert p.ended_at is not None
