"""export_archive and import_archive: the public archive as open data, and back (byte for byte)."""

import csv
import hashlib
import io
import json
import sqlite3
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from frictionless import Package, system

from cases.models import AttachmentDocument, Case
from meetings.models import ArchiveVersion, Committee, Meeting, Person, SourceDocument
from oparl.dataset import TABLES
from oparl.export import CSV_COLUMNS
from search.models import SearchDocument
from tests import factories
from web.views.search import CSV_COLUMNS as SEARCH_CSV_COLUMNS

pytestmark = pytest.mark.django_db

# Models of the archive apps that an export leaves out on purpose.
NOT_EXPORTED = {"meetings.ArchiveVersion"}


def export(path: Path, *args) -> Path:
    call_command("export_archive", str(path), *args, stdout=io.StringIO())
    return path


def files(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def empty_the_database() -> None:
    """What a fresh `migrate` leaves: no meetings, cases, people or documents (the seeded committees stay)."""
    Meeting.objects.all().delete()
    SourceDocument.objects.all().delete()
    AttachmentDocument.objects.all().delete()
    Person.objects.all().delete()


def test_every_model_of_the_archive_is_exported():
    models = {
        f"{m._meta.app_label}.{m.__name__}"
        for app in ("meetings", "cases")
        for m in apps.get_app_config(app).get_models()
    }
    assert models - NOT_EXPORTED == {f"{t.model._meta.app_label}.{t.model.__name__}" for t in TABLES}


def test_export_holds_tables_csv_files_and_a_valid_data_package(open_archive, tmp_path):
    factories.withdraw(date="2020-08-11")
    out = export(tmp_path / "export", "--base-url", "https://minutes.example.org/")
    written = files(out)
    package = json.loads(written["datapackage.json"])
    # Every file is described, with its size and SHA-256, and every described file is there.
    described = {r["path"]: r for r in package["resources"]}
    assert set(described) == set(written) - {"datapackage.json"}
    for path, resource in described.items():
        assert resource["bytes"] == len(written[path])
        assert resource["hash"] == "sha256:" + hashlib.sha256(written[path]).hexdigest()
    # Every row has exactly the columns its table schema lists.
    for table in TABLES:
        columns = [f["name"] for f in described[table.path]["schema"]["fields"]]
        rows = [json.loads(line) for line in written[table.path].decode().splitlines()]
        assert all(list(row) == columns for row in rows), table.name
    # Only the public archive: the withdrawn meeting and what only it holds are left out.
    meetings = [json.loads(line)["date"] for line in written["meetings.jsonl"].decode().splitlines()]
    assert "2020-08-11" not in meetings and len(meetings) == Meeting.objects.published().count()
    assert not any("procesplan" in path for path in written)
    # The originals are the archive's bytes.
    source = SourceDocument.objects.get(meeting__date="2022-11-15")
    row = next(json.loads(line) for line in written["source_documents.jsonl"].decode().splitlines())
    assert row["content_file"].startswith("protocols/") and "imported_by_id" not in row
    assert written[f"protocols/beskaeftigelsesudvalget-2022-11-15-{source.pk}.txt"] == bytes(source.content)
    # The CSV has the search export's columns and one row per published case.
    assert CSV_COLUMNS == SEARCH_CSV_COLUMNS
    text = written["cases.csv"].decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == CSV_COLUMNS and len(rows) - 1 == Case.objects.published().count()
    assert rows[[r[2] for r in rows].index("46")][:3] == ["Beskæftigelsesudvalget", "2022-11-15", "46"]
    assert rows[1][CSV_COLUMNS.index("url")].startswith("https://minutes.example.org/moeder/")
    # A real Frictionless validator reads the package: descriptor, types, keys, foreign keys, sizes and hashes.
    with system.use_context(trusted=True):
        report = Package(str(out / "datapackage.json")).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])


def test_round_trip_is_byte_identical(open_archive, tmp_path):
    first = files(export(tmp_path / "first"))
    counts = {m: m.objects.count() for m in (Meeting, Case, Person, SourceDocument)}
    # Only documents that belong to a published case are public (the fixtures' second document belongs to none).
    documents = AttachmentDocument.objects.filter(attachments__isnull=False).distinct().count()
    version = ArchiveVersion.current().version
    empty_the_database()
    call_command("import_archive", str(tmp_path / "first"), stdout=io.StringIO())
    assert {m: m.objects.count() for m in counts} == counts
    assert AttachmentDocument.objects.count() == documents == 2
    assert SearchDocument.objects.count() == Case.objects.count()  # the search index is rebuilt
    assert ArchiveVersion.current().version > version  # cached pages are stale
    second = files(export(tmp_path / "second"))
    assert sorted(second) == sorted(first)
    for path, data in first.items():
        assert second[path] == data, path
    # The restored archive goes on: new rows get new ids (sequences follow the restored ones).
    assert factories.person("Ny Person").pk > max(p.pk for p in Person.objects.exclude(name="Ny Person"))
    assert factories.committee("Nyt Udvalg", "NU").pk > 0


def test_import_refuses_a_database_that_is_not_empty(open_archive, tmp_path):
    out = export(tmp_path / "export")
    before = Meeting.objects.count()
    with pytest.raises(CommandError, match="not empty"):
        call_command("import_archive", str(out), stdout=io.StringIO())
    assert Meeting.objects.count() == before


def test_import_refuses_damaged_or_foreign_directories(open_archive, tmp_path):
    out = export(tmp_path / "export")
    empty_the_database()
    committees = Committee.objects.count()
    protocol = next((out / "protocols").iterdir())
    protocol.write_bytes(protocol.read_bytes() + b"\nrettet")
    with pytest.raises(CommandError, match="does not match its SHA-256"):
        call_command("import_archive", str(out), stdout=io.StringIO())
    assert Committee.objects.count() == committees and not Meeting.objects.exists()  # rolled back
    with pytest.raises(CommandError, match=r"datapackage\.json"):
        call_command("import_archive", str(tmp_path), stdout=io.StringIO())


def test_export_needs_an_empty_directory(open_archive, tmp_path):
    (tmp_path / "x.txt").write_text("x")
    with pytest.raises(CommandError, match="not an empty directory"):
        export(tmp_path)
    with pytest.raises(CommandError, match="directory, --sqlite"):
        call_command("export_archive", stdout=io.StringIO())


def test_sqlite_export_searches_as_datasette_does(open_archive, tmp_path):
    path = tmp_path / "arkiv.sqlite3"
    call_command("export_archive", "--sqlite", str(path), stdout=io.StringIO())
    db = sqlite3.connect(path)
    assert db.execute("select count(*) from cases").fetchone()[0] == Case.objects.count()
    # Datasette's own test for a table's full-text index (datasette.utils.detect_fts).
    detected = db.execute(
        """select name from sqlite_master where rootpage = 0 and (
            sql like '%VIRTUAL TABLE%USING FTS%content="cases"%' or sql like '%VIRTUAL TABLE%USING FTS%content=[cases]%'
            or (tbl_name = 'cases' and sql like '%VIRTUAL TABLE%USING FTS%'))"""
    ).fetchall()
    assert detected == [("cases_fts",)]
    # What Datasette runs for ?_search=: the match is on the case's whole text, not only its title.
    found = db.execute(
        "select title from cases where rowid in (select rowid from cases_fts where cases_fts match ?)", ["klausuler"]
    ).fetchall()
    assert found == [("Status på samarbejde med virksomheder omfattet af sociale klausuler, 2019",)]
    assert db.execute("select count(*) from cases_fts where cases_fts match 'Rødovre'").fetchone()[0] > 5
    foreign = db.execute("select * from pragma_foreign_key_list('meetings')").fetchall()
    assert {row[2] for row in foreign} == {"committees", "source_documents"}
    db.close()
