"""The command-line tools: import_protocols, import_attachments and parse_protocol, as a clerk or a script sees them."""

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from meetings.models import Meeting
from tests.conftest import ATTACHMENTS, PROTOCOLS, ROOT

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    code = 0
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_import_protocols_imports_a_folder_and_summarises(db):
    code, out, err = run("import_protocols", str(PROTOCOLS))
    assert code == 0, err
    assert "3 imported, 0 unchanged, 0 updated, 0 failed" in out
    assert Meeting.objects.count() == 3
    code, out, _ = run("import_protocols", str(PROTOCOLS))
    assert "0 imported, 3 unchanged, 0 updated, 0 failed" in out


def test_a_file_named_twice_is_imported_then_found_unchanged(db):
    good = PROTOCOLS / "beskaeftigelsesudvalget-2022-11-15.txt"
    code, out, err = run("import_protocols", str(good), str(good))
    assert code == 0, err
    assert out.splitlines()[:2] == [f"{good}: imported", f"{good}: unchanged"]
    assert "1 imported, 1 unchanged, 0 updated, 0 failed" in out


def test_one_bad_file_fails_alone_with_file_and_line_and_a_nonzero_exit(db, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("Beskæftigelsesudvalget\nMedlemmer\nIngen dato her\n", encoding="utf-8")
    good = PROTOCOLS / "beskaeftigelsesudvalget-2022-11-15.txt"
    code, out, err = run("import_protocols", str(bad), str(good))
    assert code == 1
    assert err.startswith(f"{bad}:")
    line = err.split(":")[1]
    assert line.isdigit()
    assert "1 imported, 0 unchanged, 0 updated, 1 failed" in out
    assert Meeting.objects.get().date.isoformat() == "2022-11-15"


def test_dry_run_writes_nothing(db):
    code, out, _ = run("import_protocols", "--dry-run", str(PROTOCOLS))
    assert code == 0 and "dry run, nothing written: 3 imported" in out
    assert not Meeting.objects.exists()


def test_a_missing_path_is_an_error(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="no such file"):
        call_command("import_protocols", "/nonexistent/protocol.txt")


def test_import_attachments_links_and_reports(db):
    run("import_protocols", str(PROTOCOLS))
    code, out, err = run("import_attachments", str(ATTACHMENTS))
    assert code == 0, err
    assert "Bilag 1 of sag 30" in out
    assert "1 linked, 1 unmatched, 0 failed" in out


def manage(*args):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, timeout=60)


def test_parse_protocol_prints_the_json_contract():
    proc = manage("parse_protocol", str(PROTOCOLS / "beskaeftigelsesudvalget-2020-08-11.txt"))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout.decode("utf-8"))
    assert (data["committee"], data["date"], data["ended_at"]) == ("Beskæftigelsesudvalget", "2020-08-11", "15:45")
    assert (data["first_case"], data["last_case"]) == (29, 34)
    assert data["members"][0] == {"name": "Michel Berg", "party": "A", "chair": True, "substitute_for": None}
    assert data["absent"] == [{"name": "Jan Kongebro", "party": "A", "cases": [29, 30, 31, 32, 33, 34]}]
    first = data["cases"][0]
    assert (first["number"], first["title"], first["authority"], first["reference"]) == (29, "Meddelelser", "BEU", None)
    assert first["decision"] == {"text": "Taget til efterretning.", "outcome": "noted", "followed": "as_recommended"}
    assert first["recommendations"] == [
        {"by": "Social- og Sundhedsforvaltningen", "text": "at meddelelsespunkterne forelægges til orientering."}
    ]
    assert first["attachments"] == [{"number": 1, "title": "Nyhedsliste for Social i perioden 15.05.2020 - 03.08.2020"}]
    assert first["history"] == [] and isinstance(data["warnings"], list)


def test_parse_protocol_reports_an_error_as_one_line_without_traceback(tmp_path):
    bad = tmp_path / "tom.txt"
    bad.write_bytes(b"")
    proc = manage("parse_protocol", str(bad))
    assert proc.returncode == 1 and proc.stdout == b""
    lines = proc.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{bad}:0: ")
    assert "Traceback" not in proc.stderr.decode()
