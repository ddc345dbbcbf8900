"""export_archive and import_archive: the public archive as open data, and back (byte for byte)."""

import csv
import datetime as dt
import hashlib
import io
import json
import os
import sqlite3
import stat
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from frictionless import Package, system

from cases.models import AttachmentDocument, Case
from meetings.models import ArchiveVersion, Committee, Meeting, Person, SourceDocument
from oparl import export as export_module
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
    with pytest.raises(CommandError, match="directory, --zip FILE, --sqlite"):
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


# --- one file for the nightly download --------------------------------------------------------------------------


def zipped(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        return {info.filename: archive.read(info) for info in archive.infolist()}


def test_zip_holds_the_files_of_the_directory_export(open_archive, tmp_path):
    directory = files(export(tmp_path / "export"))
    alone = tmp_path / "site" / "referater.zip"
    alone.parent.mkdir()
    call_command("export_archive", "--zip", str(alone), stdout=io.StringIO())
    assert zipped(alone) == directory
    assert "datapackage.json" in directory and any(p.startswith("protocols/") for p in directory)
    # Written with a directory export, it packs that directory: the same bytes, entry for entry.
    both = tmp_path / "both.zip"
    export(tmp_path / "again", "--zip", str(both))
    assert both.read_bytes() == alone.read_bytes()
    assert files(tmp_path / "again") == directory
    with zipfile.ZipFile(alone) as archive:
        infos = archive.infolist()
    # Entries in path order, dated with the archive's last change, plain files anyone may read.
    assert [i.filename for i in infos] == sorted(directory)
    created = dt.datetime.fromisoformat(json.loads(directory["datapackage.json"])["created"])
    assert {dt.datetime(*i.date_time, tzinfo=dt.UTC) for i in infos} == {
        created.replace(second=created.second // 2 * 2, microsecond=0)
    }
    assert {stat.S_IMODE(i.external_attr >> 16) for i in infos} == {0o644}
    # Nothing left beside it but the file itself, readable by the web server as any new file is.
    assert [p.name for p in alone.parent.iterdir()] == ["referater.zip"]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(alone.stat().st_mode) == 0o666 & ~umask
    # Unpacked, it restores like the directory.
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(alone) as archive:
        archive.extractall(unpacked)
    empty_the_database()
    call_command("import_archive", str(unpacked), stdout=io.StringIO())
    assert files(export(tmp_path / "restored")) == directory


def test_zip_replaces_the_published_file_only_when_complete(open_archive, tmp_path, monkeypatch):
    target = tmp_path / "referater.zip"
    target.write_bytes(b"yesterday's export")
    copy = export_module.shutil.copyfileobj
    calls = []

    def copy_and_look(source, destination, *args):
        # While the new file is written, a download still gets the whole of yesterday's.
        assert target.read_bytes() == b"yesterday's export"
        calls.append(source.name)
        if len(calls) == 3 and fail:
            raise OSError("disk full")
        return copy(source, destination, *args)

    monkeypatch.setattr(export_module.shutil, "copyfileobj", copy_and_look)
    fail = True
    with pytest.raises(OSError, match="disk full"):
        call_command("export_archive", "--zip", str(target), stdout=io.StringIO())
    assert target.read_bytes() == b"yesterday's export"
    assert [p.name for p in tmp_path.iterdir()] == ["referater.zip"]  # no partial file left behind
    fail, calls[:] = False, []
    call_command("export_archive", "--zip", str(target), stdout=io.StringIO())
    assert len(calls) > 3 and "meetings.jsonl" in zipped(target)


def test_zip_is_not_written_into_the_export_it_packs(open_archive, tmp_path):
    with pytest.raises(CommandError, match="inside the export directory"):
        export(tmp_path / "export", "--zip", str(tmp_path / "export" / "x.zip"))
    with pytest.raises(CommandError, match="is not a directory"):
        call_command("export_archive", "--zip", str(tmp_path / "missing" / "x.zip"), stdout=io.StringIO())


# --- the same bytes from any database -----------------------------------------------------------------------------


def test_json_columns_are_written_with_sorted_keys(open_archive, tmp_path):
    """PostgreSQL's jsonb returns keys ordered by length, SQLite as written: the export sorts them."""
    meeting = Meeting.objects.published().get(date="2022-11-15")
    Meeting.objects.filter(pk=meeting.pk).update(outcome_counts={"recommended": 3, "approved": 1, "noted": 2})
    out = export(tmp_path / "export", "--sqlite", str(tmp_path / "arkiv.sqlite3"))
    rows = {row["id"]: row for row in map(json.loads, (out / "meetings.jsonl").read_text().splitlines())}
    assert list(rows[meeting.pk]["outcome_counts"].items()) == [("approved", 1), ("noted", 2), ("recommended", 3)]
    assert '"outcome_counts":{"approved":1,"noted":2,"recommended":3}' in (out / "meetings.jsonl").read_text()
    for row in rows.values():
        assert list(row["outcome_counts"]) == sorted(row["outcome_counts"]), row["id"]
    assert sum(len(row["outcome_counts"]) > 1 for row in rows.values()) >= 2
    db = sqlite3.connect(tmp_path / "arkiv.sqlite3")
    text = db.execute("select outcome_counts from meetings where id = ?", [meeting.pk]).fetchone()[0]
    db.close()
    assert text == '{"approved": 1, "noted": 2, "recommended": 3}'


# --- /data/: the page that tells people about it ---------------------------------------------------------------


@pytest.mark.usefixtures("no_page_cache")
def test_data_page_explains_downloads_and_the_api_in_danish(open_archive, client, settings):
    settings.OPEN_DATA_EXPORT_URL = ""
    response = client.get("/data/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="da">' in html and "<h1>Åbne data</h1>" in html
    # The downloads: what the export holds, and how to make it.
    for text in ("Hent hele arkivet", "JSON Lines", "datapackage.json", "Frictionless Data", "ZIP-fil", "SQLite"):
        assert text in html, text
    assert "python manage.py export_archive udtraek/ --zip referater.zip" in html
    # The API: where it starts, how lists page and filter, and an example.
    assert '<a href="http://testserver/api/oparl/v1/"><code>http://testserver/api/oparl/v1/</code></a>' in html
    for text in ("OParl 1.1", "<code>limit</code>", "<code>modified_since</code>", "rodovre:minutes", "(304)"):
        assert text in html, text
    assert "curl 'http://testserver/api/oparl/v1/meeting/?limit=10'" in html
    assert 'href="/moeder/kalender.ics"' in html
    # No export configured: no link, and the page says so.
    assert "Der er endnu ikke et offentligt natligt udtræk" in html
    assert "Hent det seneste samlede udtræk" not in html and "curl -O" not in html


@pytest.mark.usefixtures("no_page_cache")
def test_data_page_links_the_nightly_export_when_configured(client, settings):
    settings.OPEN_DATA_EXPORT_URL = "https://minutes.example.org/aabne-data/referater.zip?v=1&x='\"><script>"
    html = client.get("/data/").content.decode()
    # Escaped where HTML needs it (& and '), percent-encoded where a URL does (" < >).
    escaped = "https://minutes.example.org/aabne-data/referater.zip?v=1&amp;x=&#x27;%22%3E%3Cscript%3E"
    assert f'<a href="{escaped}" download>Hent det seneste samlede udtræk af arkivet</a>' in html
    assert f"curl -O '{escaped}'" in html
    assert "<script>" not in html and "&x=" not in html and "Der er endnu ikke" not in html
    # A path on this site becomes a full address; what is no web address gives no link.
    settings.OPEN_DATA_EXPORT_URL = "/aabne-data/referater.zip"
    html = client.get("/data/").content.decode()
    assert '<a href="http://testserver/aabne-data/referater.zip" download>' in html
    for bad in ("javascript:alert(1)", "//elsewhere.example/x.zip", "ftp://example.org/x.zip"):
        settings.OPEN_DATA_EXPORT_URL = bad
        html = client.get("/data/").content.decode()
        assert "Hent det seneste samlede udtræk" not in html and "Der er endnu ikke" in html, bad
