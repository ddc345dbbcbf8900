"""`export_archive`: the public archive as files anyone can use, or as one SQLite database.

A directory export holds one JSON Lines file per table (`dataset.TABLES`), `cases.csv` (every case, in the columns
of the search page's CSV export), the original files (protocols/ and documents/), and `datapackage.json`
describing every file and column (Frictionless Data Package v1). Nothing in it depends on when it was written, so
exporting the same archive twice — or exporting, restoring (`restore.archive_restore`) and exporting again —
gives byte-identical files.

`--zip FILE` writes the same files into one ZIP archive (the nightly download), put in place atomically.

The SQLite export has the same tables and columns, plus a `text` column on `cases` (everything the case says) with
an FTS5 index `cases_fts` over title and text, which Datasette finds and searches as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import secrets
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models
from django.db.models import Max

from cases.models import AttachmentDocument, Case
from meetings.models import Meeting, SourceDocument
from oparl.dataset import (
    FILE_COLUMN,
    FORMAT_VERSION,
    PACKAGE_NAME,
    TABLE_OF,
    TABLES,
    Table,
    encode,
    file_path,
    json_line,
    schema_type,
)

# The columns of the search page's CSV export (`web.views.search.CSV_COLUMNS`; a test keeps the two the same).
CSV_COLUMNS = ["committee", "meeting_date", "case_number", "title", "authority", "outcome", "url", "decision"]
CSV_PATH = "cases.csv"
# Cells starting like a formula get a leading apostrophe, as in the search export, so spreadsheets show text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CHUNK = 200


class ExportError(Exception):
    """The export cannot be written where it was asked to be."""


@dataclass
class Written:
    """What an export wrote: rows per table and files, with the bytes and SHA-256 of each for datapackage.json."""

    rows: dict[str, int] = field(default_factory=dict)
    files: list[dict] = field(default_factory=list)


def _exported_ids() -> dict[type[models.Model], set[int]]:
    return {table.model: set(table.public_rows().values_list("pk", flat=True)) for table in TABLES}


def table_rows(table: Table, ids: dict) -> Iterator[tuple[models.Model, dict, bytes | None]]:
    """(instance, column values, file bytes) for every public row of `table`, by id.

    A reference to a row the export leaves out (a trail step quoting a case of a withdrawn meeting) is written as
    null, so that every reference in an export resolves inside it.
    """
    queryset = table.model.objects.filter(pk__in=table.public_rows().values("pk")).order_by("pk")
    if table.model is SourceDocument:
        queryset = queryset.select_related("meeting__committee")
    fields = table.fields()
    for obj in queryset.iterator(chunk_size=_CHUNK if not table.has_file() else 20):
        values = {}
        for f in fields:
            value = getattr(obj, f.attname)
            if (
                f.is_relation
                and value is not None
                and f.related_model in TABLE_OF
                and value not in ids[f.related_model]
            ):
                if not f.null:
                    raise ExportError(f"{table.name} {obj.pk}: {f.name} refers to a row that is not exported")
                value = None
            values[f.attname] = encode(f, value)
        content = None
        if table.has_file():
            content = bytes(obj.content)
            values[FILE_COLUMN] = file_path(table, obj)
        yield obj, values, content


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def cases_csv(base_url: str) -> bytes:
    """Every published case in the search export's columns, oldest meeting first (UTF-8 with a byte-order mark,
    so spreadsheets read the Danish letters)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    cases = (
        Case.objects.published()
        .select_related("meeting__committee", "decision")
        .order_by("meeting__date", "meeting__committee__name", "number")
    )
    for case in cases.iterator(chunk_size=2000):
        decision = getattr(case, "decision", None)
        writer.writerow(
            [
                _cell(case.meeting.committee.name),
                case.meeting.date.isoformat(),
                case.number,
                _cell(case.title),
                _cell(case.authority),
                decision.get_outcome_display() if decision else "",
                base_url + case.get_absolute_url(),
                _cell(decision.text) if decision else "",
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode()


def _last_change() -> str | None:
    meetings = Meeting.objects.published().aggregate(last=Max("updated_at"))["last"]
    documents = AttachmentDocument.objects.filter(attachments__case__meeting__in=Meeting.objects.published()).aggregate(
        last=Max("uploaded_at")
    )["last"]
    last = max((t for t in (meetings, documents) if t is not None), default=None)
    return encode(models.DateTimeField(), last)


def _schema(table: Table) -> dict:
    fields = []
    foreign_keys = []
    for f in table.fields():
        described = {"name": f.attname, "type": schema_type(f), "title": str(f.verbose_name)}
        if f.help_text:
            described["description"] = str(f.help_text)
        if not f.null and not f.primary_key:
            described["constraints"] = {"required": True}
        fields.append(described)
        if f.is_relation and f.related_model in TABLE_OF:
            foreign_keys.append(
                {"fields": f.attname, "reference": {"resource": TABLE_OF[f.related_model].name, "fields": "id"}}
            )
    if table.has_file():
        fields.append({"name": FILE_COLUMN, "type": "string", "title": "fil", "description": "Stien til filen."})
    # "" is a value here (a blank title), not a missing one: only null is missing.
    schema = {"fields": fields, "missingValues": [], "primaryKey": "id"}
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def _resource(name: str, path: str, data: bytes, **extra) -> dict:
    return {
        "name": name,
        "path": path,
        **extra,
        "bytes": len(data),
        "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
    }


def _write(directory: Path, path: str, data: bytes) -> None:
    target = directory / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def archive_export(*, directory: Path, base_url: str = "") -> Written:
    """Write the public archive into `directory`, which must be empty or not exist yet."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ExportError(f"{directory} is not an empty directory")
    directory.mkdir(parents=True, exist_ok=True)
    ids = _exported_ids()
    written = Written()
    resources, file_resources = [], []
    for table in TABLES:
        lines = []
        for obj, values, content in table_rows(table, ids):
            lines.append(json_line(values))
            if content is not None:
                path = values[FILE_COLUMN]
                _write(directory, path, content)
                kind = "protocol" if table.model is SourceDocument else "document"
                mediatype = "text/plain" if kind == "protocol" else obj.content_type
                file_resources.append(_resource(f"{kind}-{obj.pk}", path, content, mediatype=mediatype))
        data = "".join(lines).encode()
        _write(directory, table.path, data)
        written.rows[table.name] = len(lines)
        resources.append(
            _resource(
                table.name,
                table.path,
                data,
                title=str(table.model._meta.verbose_name_plural),
                description=table.description,
                profile="tabular-data-resource",
                format="jsonl",
                mediatype="application/x-ndjson",
                encoding="utf-8",
                schema=_schema(table),
            )
        )
    csv_data = cases_csv(base_url)
    _write(directory, CSV_PATH, csv_data)
    resources.append(
        _resource(
            "cases-csv",
            CSV_PATH,
            csv_data,
            title="Sager (CSV)",
            description="Alle sager i de samme kolonner som søgesidens CSV-eksport.",
            profile="tabular-data-resource",
            format="csv",
            mediatype="text/csv",
            encoding="utf-8-sig",
            schema={
                "fields": [
                    {"name": "committee", "type": "string", "title": "udvalg"},
                    {"name": "meeting_date", "type": "date", "title": "mødedato"},
                    {"name": "case_number", "type": "integer", "title": "sagsnummer"},
                    {"name": "title", "type": "string", "title": "titel"},
                    {"name": "authority", "type": "string", "title": "beslutningskompetence"},
                    {"name": "outcome", "type": "string", "title": "udfald"},
                    {"name": "url", "type": "string", "title": "adresse"},
                    {"name": "decision", "type": "string", "title": "beslutning"},
                ]
            },
        )
    )
    written.files = file_resources
    package = {
        "profile": "data-package",
        "name": PACKAGE_NAME,
        "title": "Rødovre Kommunes udvalgsreferater",
        "description": (
            "De offentliggjorte referater fra Rødovre Kommunes udvalg: møder, deltagere, sager, indstillinger, "
            "sagsgang, beslutninger og bilag, med de originale filer."
        ),
        "rodovre:formatVersion": FORMAT_VERSION,
        "created": _last_change(),
        "resources": resources + file_resources,
    }
    if base_url:
        package["homepage"] = base_url + "/"
    package = {k: v for k, v in package.items() if v is not None}
    _write(directory, "datapackage.json", (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode())
    return written


# --- ZIP --------------------------------------------------------------------------------------------------------------

# Directory-export files as ZIP entries: readable by everyone, never executable.
_ZIP_FILE_MODE = 0o100644 << 16
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _zip_time(directory: Path) -> tuple[int, int, int, int, int, int]:
    """Every entry's time: the archive's last change (`created` in datapackage.json), so that the same archive
    always gives the same bytes and an unpacked export shows when the archive last changed."""
    created = json.loads((directory / "datapackage.json").read_bytes()).get("created")
    if not created:
        return _ZIP_EPOCH
    moment = dt.datetime.fromisoformat(created).astimezone(dt.UTC)
    # ZIP (MS-DOS) times count seconds in twos.
    second = moment.second - moment.second % 2
    return max((moment.year, moment.month, moment.day, moment.hour, moment.minute, second), _ZIP_EPOCH)


def zip_directory(directory: Path, path: Path) -> int:
    """Pack a directory export into the ZIP file `path`, atomically: written under a temporary name beside it and
    renamed into place, so a download or a web server never sees half a file. Returns the number of entries."""
    path = path.resolve()
    if path.is_relative_to(directory.resolve()):
        raise ExportError(f"{path} is inside the export directory {directory}")
    if not path.parent.is_dir():
        raise ExportError(f"{path.parent} is not a directory")
    stamp = _zip_time(directory)
    files = sorted(p for p in directory.rglob("*") if p.is_file())
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.partial")
    try:
        # open(…, "xb") creates the file as any other (mode 0666 less the umask), so the web server can read it.
        with open(temporary, "xb") as raw:
            with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for file in files:
                    info = zipfile.ZipInfo(file.relative_to(directory).as_posix(), date_time=stamp)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = _ZIP_FILE_MODE
                    # Known in advance, so that zipfile switches to ZIP64 by itself for a file of over 2 GiB.
                    info.file_size = file.stat().st_size
                    with file.open("rb") as source, archive.open(info, "w") as target:
                        shutil.copyfileobj(source, target, 1 << 20)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return len(files)


def archive_zip(*, path: Path, base_url: str = "", directory: Path | None = None) -> tuple[Written | None, int]:
    """Write the public archive as one ZIP file at `path` (replaced atomically if it exists): the files of a
    directory export, from `directory` when it was just written, else from a temporary export."""
    if directory is not None:
        return None, zip_directory(directory, path)
    with tempfile.TemporaryDirectory(prefix="export-archive-") as scratch:
        written = archive_export(directory=Path(scratch) / "export", base_url=base_url)
        return written, zip_directory(Path(scratch) / "export", path)


# --- SQLite ---------------------------------------------------------------------------------------------------------

_SQL_TYPES = {"integer": "INTEGER", "boolean": "INTEGER"}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _create_table(db: sqlite3.Connection, table: Table) -> list[str]:
    columns, constraints = [], []
    for f in table.fields():
        kind = _SQL_TYPES.get(schema_type(f), "TEXT")
        columns.append(f"{_quote(f.attname)} {kind}{' PRIMARY KEY' if f.primary_key else ''}")
        if f.is_relation and f.related_model in TABLE_OF:
            target = _quote(TABLE_OF[f.related_model].name)
            constraints.append(f"FOREIGN KEY ({_quote(f.attname)}) REFERENCES {target}(id)")
    if table.has_file():
        columns.append(f"{_quote(FILE_COLUMN)} TEXT")
    if table.model is Case:
        columns.append('"text" TEXT')
    db.execute(f"CREATE TABLE {_quote(table.name)} ({', '.join(columns + constraints)})")
    return table.columns()


def _sql_value(value):
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value


# What goes into a case's searchable `text`, by table: (column holding the case id, columns of text).
_CASE_TEXT = {
    "decisions": ("case_id", ("text",)),
    "recommendations": ("case_id", ("proposer", "text")),
    "sections": ("case_id", ("heading", "text")),
    "case_steps": ("case_id", ("body", "text")),
    "attachments": ("case_id", ("title",)),
}


def archive_sqlite(*, path: Path) -> dict[str, int]:
    """Write the public archive as one SQLite database at `path` (replaced if it exists)."""
    temporary = path.with_name(path.name + ".partial")
    temporary.unlink(missing_ok=True)
    db = sqlite3.connect(temporary)
    counts: dict[str, int] = {}
    texts: dict[int, list[str]] = {}
    try:
        ids = _exported_ids()
        for table in TABLES:
            columns = _create_table(db, table)
            placeholders = ", ".join("?" for _ in columns)
            insert = f"INSERT INTO {_quote(table.name)} ({', '.join(map(_quote, columns))}) VALUES ({placeholders})"
            count = 0
            case_column, text_columns = _CASE_TEXT.get(table.name, (None, ()))
            for _, values, _content in table_rows(table, ids):
                db.execute(insert, [_sql_value(values[c]) for c in columns])
                if case_column:
                    texts.setdefault(values[case_column], []).extend(values[c] for c in text_columns if values[c])
                count += 1
            counts[table.name] = count
        db.executemany('UPDATE "cases" SET "text" = ? WHERE id = ?', [("\n".join(t), pk) for pk, t in texts.items()])
        # Danish letters stay letters (no folding of å to a); Datasette finds the index through content="cases".
        db.execute(
            'CREATE VIRTUAL TABLE "cases_fts" USING fts5(title, text, content="cases", content_rowid="id", '
            "tokenize = 'unicode61 remove_diacritics 0')"
        )
        db.execute('INSERT INTO "cases_fts"("cases_fts") VALUES (\'rebuild\')')
        db.commit()
    finally:
        db.close()
    temporary.replace(path)
    return counts
