"""Fuzz and faults: hostile and broken protocols end in a parse or a ProtocolError, never anything else, and an
import that fails for any reason leaves the archive exactly as it was.

The normal suite runs small samples. The long run is behind the `fuzz` marker and FUZZ_EXAMPLES (CI: 10 000
generated and mutated protocols through the parser, CPR detection and masking; FUZZ_IMPORT_EXAMPLES of them through
the database import): `FUZZ_EXAMPLES=10000 FUZZ_IMPORT_EXAMPLES=300 pytest -m fuzz tests/test_fuzz_protocols.py`.
"""

from __future__ import annotations

import os
import re
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.big_protocol import big_protocol
from cases.models import Attachment, Case, CaseStep, Decision, Recommendation, Section
from importer import personal_data as pd
from importer.load import AgendaAfterMinutes, protocol_import
from importer.parse import parse_protocol
from importer.records import ErrorCode, Protocol, ProtocolError
from meetings.models import Attendance, Committee, Meeting, Person, SourceDocument
from search.models import SearchDocument
from tests.conftest import OWN_PROTOCOLS, PROTOCOLS, import_real_fixtures

LONG_RUN = int(os.environ.get("FUZZ_EXAMPLES") or 0)
PARSE_EXAMPLES = LONG_RUN or 150
IMPORT_EXAMPLES = int(os.environ.get("FUZZ_IMPORT_EXAMPLES") or 0) or 25
long_run_only = pytest.mark.skipif(not LONG_RUN, reason="the long fuzz run: set FUZZ_EXAMPLES (CI does)")

FIXTURES = [p.read_text("utf-8") for p in sorted(PROTOCOLS.glob("*.txt")) + sorted(OWN_PROTOCOLS.glob("*.txt"))]
# Lines the format gives meaning to, and lines shaped to hurt: CPR numbers, near-misses, huge numbers.
NASTY_LINES = [
    "Sag nr. 30",
    "Sag nr. 7 (ØU 1/07)",
    "Sager 1 - 99999999",
    "Beslutningskompetence: KB og TMU",
    "Beslutning",
    "Indstilling",
    "Sagens kerne",
    "Bilag",
    "Bilag 1: Notat 010190-1234",
    "Medlemmer",
    "Fraværende",
    "Formand Lis Holm (A), sag 7-15",
    "Økonomiudvalget, 31. juni 2025, pkt. 1:",
    "Borgerens CPR-nr. er 010190-1234 og 2902004321.",
    "Ikke CPR: 3102901234 12345678901 0101901234-5",
    "Mødet afsluttet kl. 25.99",
    "Sag nr. " + "9" * 40,
    "x" * 2000,
    "\u200b\u00a0\u2028\ufeff",
    "Bilag 1: a" + "Bilag 2: b" * 20,
]


@st.composite
def mutated_protocols(draw) -> bytes:
    """A fixture protocol with up to eight mutations, in one of the encodings and line ends clerks send."""
    lines = draw(st.sampled_from(FIXTURES)).split("\n")
    for _ in range(draw(st.integers(0, 8))):
        if not lines:
            break
        i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "glue", "insert", "truncate", "replace", "repeat"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(j, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "glue" and i + 1 < len(lines):
            lines[i : i + 2] = [lines[i] + draw(st.sampled_from(["", " "])) + lines[i + 1]]
        elif op == "insert":
            lines.insert(i, draw(st.sampled_from(NASTY_LINES) | st.text(max_size=60)))
        elif op == "truncate":
            lines = lines[: max(i, 1)]
        elif op == "replace":
            lines[i] = draw(st.text(max_size=60))
        elif op == "repeat":
            lines[i:i] = [lines[i]] * draw(st.integers(2, 300))
    text = "\n".join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "windows-1252", "utf-16"]))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    data = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 9)) == 0:  # now and then a few raw bytes flipped
        raw = bytearray(data)
        for _ in range(draw(st.integers(1, 4))):
            if raw:
                raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
        data = bytes(raw)
    return data


def parse_or_refuse(data: bytes) -> Protocol | None:
    try:
        protocol = parse_protocol(data)
    except ProtocolError as exc:
        assert exc.code in ErrorCode and exc.line >= 0
        return None
    assert isinstance(protocol, Protocol)
    return protocol


def masked_everywhere(protocol: Protocol) -> None:
    """Masking a parse leaves no CPR number in any of its strings."""
    masked = pd.map_strings(protocol, pd.mask_cpr)
    pd.map_strings(masked, lambda s: pytest.fail(f"CPR left: {s!r}") if pd.find_cpr(s) else s)


@pytest.mark.fuzz
@settings(max_examples=PARSE_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(mutated_protocols())
def test_generated_and_mutated_protocols_parse_or_raise_protocol_error(data):
    protocol = parse_or_refuse(data)
    text = data.decode("utf-8", errors="replace")
    assert pd.find_cpr(pd.mask_cpr(text)) == []
    if protocol is not None:
        masked_everywhere(protocol)


def archive_state() -> dict:
    """Everything an import writes, as comparable values (ids included: an unchanged archive keeps its rows)."""
    return {
        "committees": list(Committee.objects.order_by("pk").values_list("pk", "name")),
        "people": list(Person.objects.order_by("pk").values_list("pk", "name")),
        "meetings": list(Meeting.objects.order_by("pk").values_list("pk", "title", "source_id", "updated_at")),
        "sources": list(SourceDocument.objects.order_by("pk").values_list("pk", "sha256")),
        "attendance": list(Attendance.objects.order_by("pk").values_list("pk", "person_id", "present")),
        "cases": list(Case.objects.order_by("pk").values_list("pk", "number", "title")),
        "sections": list(Section.objects.order_by("pk").values_list("pk", "text")),
        "recommendations": list(Recommendation.objects.order_by("pk").values_list("pk", "text")),
        "steps": list(CaseStep.objects.order_by("pk").values_list("pk", "text")),
        "decisions": list(Decision.objects.order_by("pk").values_list("pk", "text")),
        "attachments": list(Attachment.objects.order_by("pk").values_list("pk", "title", "document_id")),
        "search": list(SearchDocument.objects.order_by("pk").values_list("pk", "title", "text_c")),
    }


@pytest.fixture
def fixture_archive(db):
    """The three real meetings, imported once per test: Hypothesis runs all its examples in one call of the test,
    and each example rolls its own import back. (Held open for the whole module instead, the import's transaction
    would still be open under the module's transactional tests, which then saw these meetings.)"""
    import_real_fixtures()


@pytest.mark.fuzz
@pytest.mark.django_db
@settings(max_examples=IMPORT_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(data=mutated_protocols())
def test_mutated_imports_write_all_or_nothing(fixture_archive, data):
    before = archive_state()
    with transaction.atomic():
        try:
            result = protocol_import(content=data, filename="fuzz.txt")
        except (ProtocolError, AgendaAfterMinutes):  # unreadable, or an agenda for minutes already published
            assert archive_state() == before  # refused: nothing written
        else:
            assert result.meeting is not None and Meeting.objects.filter(pk=result.meeting.pk).exists()
            for text in Section.objects.filter(case__meeting=result.meeting).values_list("text", flat=True):
                assert pd.find_cpr(text) == []
        transaction.set_rollback(True)
    assert archive_state() == before


# --- faults: a database error on the n-th case ------------------------------------------------------------------


def version_with_changes() -> bytes:
    """2022-11-15 with every case's decision changed, so that an import rewrites every case."""
    text = (PROTOCOLS / "beskaeftigelsesudvalget-2022-11-15.txt").read_text("utf-8")
    changed = text.replace("Anbefales.", "Anbefales (rettet).").replace("efterretning.", "efterretning (rettet).")
    assert changed.count("(rettet)") >= 7
    return changed.encode()


@contextmanager
def fail_on_case(number: int):
    """A real database error (from a trigger) when the import writes the text of the case with this number."""
    table, cases = Section._meta.db_table, Case._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE FUNCTION fault_on_case() RETURNS trigger AS $$ BEGIN "
                f"IF (SELECT number FROM {cases} WHERE id = NEW.case_id) = {number:d} THEN "
                f"RAISE EXCEPTION 'injected fault on case %', {number:d}; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER fault_on_case BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION fault_on_case()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER fault_on_case BEFORE INSERT ON {table} "
                f"WHEN (SELECT number FROM {cases} WHERE id = NEW.case_id) = {number:d} "
                "BEGIN INSERT INTO injected_fault_no_such_table VALUES (1); END"
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER fault_on_case ON {table}")
                cursor.execute("DROP FUNCTION fault_on_case()")
            else:
                cursor.execute("DROP TRIGGER fault_on_case")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("n", [1, 3, 7])
@pytest.mark.parametrize("existing", [False, True], ids=["new-meeting", "update"])
def test_a_database_error_on_the_nth_case_leaves_the_archive_as_before(n, existing):
    import_real_fixtures() if existing else None
    content = (
        version_with_changes() if existing else (PROTOCOLS / "beskaeftigelsesudvalget-2022-11-15.txt").read_bytes()
    )
    before = archive_state()
    with fail_on_case(44 + n), pytest.raises(DatabaseError):  # 2022-11-15 holds sager 45-51
        protocol_import(content=content, filename="rettet.txt")
    assert archive_state() == before
    result = protocol_import(content=content, filename="rettet.txt")  # the next run succeeds
    assert result.status == ("updated" if existing else "imported")
    decisions = Decision.objects.filter(case__meeting=result.meeting).values_list("text", flat=True)
    assert (any("(rettet)" in text for text in decisions)) == existing
    assert Case.objects.filter(meeting=result.meeting).count() == 7


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_database_error_while_publishing_keeps_the_upload_for_another_try():
    from publishing import services
    from publishing.models import Upload

    upload = services.upload_preview(
        user=None, filename="p.txt", content=(PROTOCOLS / "beskaeftigelsesudvalget-2020-08-11.txt").read_bytes(),
        attachments=[],
    )  # fmt: skip
    with fail_on_case(32), pytest.raises(DatabaseError):  # the 4th of sager 29-34
        services.upload_publish(upload=upload, user=None)
    assert not Meeting.objects.exists() and not SourceDocument.objects.exists()
    assert Upload.objects.get(pk=upload.pk).state == Upload.State.PREVIEW
    assert services.upload_publish(upload=upload, user=None).state == Upload.State.PUBLISHED
    assert Case.objects.count() == 6


# --- bounded time and memory --------------------------------------------------------------------------------------

HEAD = (
    "Beskæftigelsesudvalget\n11-08-2020\nMedlemmer\nAnne Hansen (A)\nSager 1 - 2\n"
    "Titel\nSag nr. 1\nBeslutningskompetence: BEU\nSagens kerne\n"
)
SHAPES = {
    "100 000-character line": lambda k: HEAD + "x" * 100_000 * k + "\nBeslutning\nGodkendt.\n",
    "100 000-character title": lambda k: HEAD.replace("Titel", "T" * 100_000 * k) + "Beslutning\nGodkendt.\n",
    "100 000 digits": lambda k: HEAD + "0" * 100_000 * k + "\nBeslutning\nGodkendt.\n",
    "CPR numbers back to back": lambda k: HEAD + "0101901234 " * 10_000 * k + "\nBeslutning\nGodkendt.\n",
    "thousands of Beslutning headings": lambda k: HEAD + "Beslutning\nGodkendt.\n" * 3000 * k,
    "thousands of cases": lambda k: HEAD + "".join(f"T{i}\nSag nr. {i}\n" for i in range(2, 2000 * k)),
    "thousands of Bilag lines": lambda k: HEAD + "Bilag\n" + "".join(f"Bilag {i}: t{i}\n" for i in range(1, 3000 * k)),
    "thousands of Medlemmer headings": lambda k: (
        "Beskæftigelsesudvalget\n11-08-2020\n" + "Medlemmer\nA B (A)\n" * 3000 * k + "Sager 1 - 1\nT\nSag nr. 1\n"
    ),
    "glued Bilag": lambda k: HEAD + "Bilag\n" + "".join(f"Bilag {i}: titel{i}" for i in range(1, 2000 * k)) + "\n",
}


def timed(data: str | bytes) -> float:
    start = time.perf_counter()
    parse_or_refuse(data.encode() if isinstance(data, str) else data)
    pd.find_cpr(data if isinstance(data, str) else data.decode("utf-8", "replace"))
    return time.perf_counter() - start


@pytest.mark.parametrize("shape", SHAPES)
def test_hostile_shapes_parse_in_time_linear_in_their_size(shape):
    """Doubling the input at most about doubles the time (no quadratic corner); generous slack for a busy CI."""
    single, double = SHAPES[shape](1), SHAPES[shape](2)
    timed(single)  # warm up
    t1, t2 = min(timed(single) for _ in range(2)), min(timed(double) for _ in range(2))
    assert t2 <= 3.5 * t1 + 0.3, f"{shape}: {t1:.2f}s for {len(single)} chars, {t2:.2f}s for twice that"


def parse_peak(data: bytes) -> int:
    """The most memory (bytes, tracemalloc) parsing `data` took at any moment."""
    tracemalloc.start()
    try:
        parse_or_refuse(data)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# Peak memory per input byte a shape may take. Long lines cost a few copies of the line; many short lines cost the
# records made of them (measured: about 3 and 20-60 bytes per byte; these leave room for another Python).
LONG_LINES = {"100 000-character line", "100 000-character title", "100 000 digits", "CPR numbers back to back"}


@pytest.mark.parametrize("shape", SHAPES)
def test_hostile_shapes_parse_in_memory_linear_in_their_size(shape):
    single, double = SHAPES[shape](1).encode(), SHAPES[shape](2).encode()
    p1, p2 = parse_peak(single), parse_peak(double)
    per_byte = 10 if shape in LONG_LINES else 120
    assert p1 < per_byte * len(single), f"{shape}: peak {p1 / 1e6:.1f} MB for {len(single) / 1e3:.0f} kB"
    assert p2 <= 2.5 * p1, f"{shape}: {p1 / 1e6:.1f} MB for {len(single)} bytes, {p2 / 1e6:.1f} MB for twice that"


@pytest.mark.fuzz
@long_run_only
def test_a_10_mb_protocol_parses_in_bounded_memory_and_linear_time():
    data, half = big_protocol(14_000), big_protocol(7_000)
    assert 9.5e6 < len(data) <= 10 * 1024 * 1024
    peak = parse_peak(data)
    assert peak < 20 * len(data), f"peak {peak / 1e6:.0f} MB for {len(data) / 1e6:.1f} MB"
    assert len(parse_protocol(data).cases) == 14_000
    # Time, untraced: twice the size at most about twice the time (speed itself is bench/'s business); the
    # absolute bound only catches a parse that never ends.
    t_half, t_full = min(timed(half) for _ in range(2)), min(timed(data) for _ in range(2))
    assert t_full <= 3.5 * t_half + 1.0, f"{t_half:.1f}s for {len(half) / 1e6:.1f} MB, {t_full:.1f}s for 10 MB"
    assert t_full < 60


@pytest.mark.fuzz
@long_run_only
def test_a_10_mb_protocol_is_masked_and_found_in_linear_time():
    text = big_protocol(14_000).decode() + "Borger 010190-1234\n"
    start = time.perf_counter()
    hits = pd.find_cpr(text)
    masked = pd.mask_cpr(text)
    assert [h.number for h in hits] == ["0101901234"] and masked.endswith("Borger 010190-****\n")
    assert time.perf_counter() - start < 30


# --- the 10 000-case protocol, published from the web (issue 15) ---------------------------------------------------


@pytest.mark.fuzz
@long_run_only
@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the production setup: PostgreSQL and its worker")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_10_000_case_protocol_publishes_from_the_web(client, settings):
    """Upload, preview and publish through the clerk's pages; the publish request only queues, the worker (run
    here in-process, as `manage.py db_worker` runs it) imports. How fast each step is belongs to bench/publish.py."""
    from django.contrib.auth.models import Group, Permission, User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.urls import reverse

    from publishing.models import Upload
    from publishing.views import PREVIEW_CASES_PER_PAGE

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    group, _ = Group.objects.get_or_create(name="Clerks")
    group.permissions.add(Permission.objects.get(codename="publish_protocol"))
    clerk = User.objects.create_user("clerk")
    clerk.groups.add(group)
    client.force_login(clerk)
    data = big_protocol(10_000)
    assert 5e6 < len(data) < settings.UPLOAD_MAX_BYTES

    response = client.post(reverse("publishing:upload"), {"protocol": SimpleUploadedFile("stor.txt", data)})
    assert response.status_code == 302
    upload = Upload.objects.get()
    preview = client.get(upload.get_absolute_url())
    page = preview.content.decode()
    assert preview.status_code == 200 and page.count('class="preview-case') == PREVIEW_CASES_PER_PAGE
    assert re.search(r"10[.\xa0 ]?000 sager bliver offentlige\.", page)
    assert len(preview.content) < 1_000_000  # a page of cases, not 10 000 of them

    start = time.perf_counter()
    response = client.post(reverse("publishing:upload_publish", args=[upload.pk]), {"seen_source": "new"})
    took = time.perf_counter() - start
    assert response.status_code == 302 and response.url == upload.get_absolute_url()
    assert Upload.objects.get().state == Upload.State.PUBLISHING and not Meeting.objects.exists()  # queued only
    assert took < 25, f"the publish request took {took:.1f}s"
    assert 'id="publish-status"' in client.get(upload.get_absolute_url()).content.decode()

    call_command("db_worker", "--batch", verbosity=0)
    upload.refresh_from_db()
    assert upload.state == Upload.State.PUBLISHED, upload.publish_error
    assert upload.meeting.is_published and upload.changes == "Nyt møde med 10000 sager."
    numbers = set(Case.objects.filter(meeting=upload.meeting).values_list("number", flat=True))
    assert numbers == set(range(1, 10_001))
    assert Decision.objects.filter(case__meeting=upload.meeting).count() == 10_000
    last = client.get(reverse("web:case_detail", args=[upload.meeting.committee.slug, upload.meeting.date, 10_000]))
    assert last.status_code == 200 and "Orientering om" in last.content.decode()


def test_the_fuzz_corpus_is_what_it_says():
    assert len(FIXTURES) >= 7 and Path(PROTOCOLS).is_dir()
