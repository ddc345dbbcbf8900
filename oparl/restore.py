"""`import_archive`: restore an empty database from a directory written by `export_archive`.

Rows keep their ids and their timestamps, every file is checked against the SHA-256 the export recorded, and what is
derived (kept totals, search index, archive version) is rebuilt at the end, all in one transaction: a restore that
fails leaves the database as it was.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.core.management.color import no_style
from django.db import connection, models, transaction

from cases.models import AttachmentDocument, Case
from meetings.counts import counts_rebuild
from meetings.models import Attendance, Committee, Meeting, Party, Person, SourceDocument
from meetings.services import archive_changed
from oparl.dataset import FILE_COLUMN, FORMAT_VERSION, PACKAGE_NAME, TABLES, Table, decode
from search.index import rebuild_index

BATCH = 500
# What makes a database "not empty": anything but the committees and parties that migrations seed.
_CONTENT = (Meeting, Case, Person, Attendance, SourceDocument, AttachmentDocument)


class RestoreError(Exception):
    """The directory is not an export this version can read, or the database is not empty; nothing was written."""


def _read_package(directory: Path) -> dict:
    path = directory / "datapackage.json"
    if not path.is_file():
        raise RestoreError(f"{path} not found: {directory} is not a directory written by export_archive")
    package = json.loads(path.read_text(encoding="utf-8"))
    if package.get("name") != PACKAGE_NAME:
        raise RestoreError(f"{path} describes {package.get('name')!r}, not an export of this archive")
    if package.get("rodovre:formatVersion") != FORMAT_VERSION:
        raise RestoreError(
            f"{path} is format version {package.get('rodovre:formatVersion')!r}; this version reads {FORMAT_VERSION}"
        )
    return package


def _checked_bytes(directory: Path, path: str, expected_sha256: str, what: str) -> bytes:
    target = (directory / path).resolve()
    if directory.resolve() not in target.parents:
        raise RestoreError(f"{what}: {path} lies outside the export")
    if not target.is_file():
        raise RestoreError(f"{what}: {path} is missing")
    data = target.read_bytes()
    if hashlib.sha256(data).hexdigest() != expected_sha256:
        raise RestoreError(f"{what}: {path} does not match its SHA-256 (damaged or changed since the export)")
    return data


def _ensure_empty() -> None:
    found = {model._meta.verbose_name_plural: model.objects.count() for model in _CONTENT}
    found = {name: count for name, count in found.items() if count}
    if found:
        listed = ", ".join(f"{count} {name}" for name, count in found.items())
        raise RestoreError(
            f"the database is not empty ({listed}); import_archive restores into an empty database only "
            "(create a new one and run migrate first)"
        )


def _objects(table: Table, directory: Path, resource: dict):
    data = _checked_bytes(directory, resource["path"], resource["hash"].removeprefix("sha256:"), table.name)
    fields = {f.attname: f for f in table.fields()}
    binary = next((f for f in table.model._meta.concrete_fields if isinstance(f, models.BinaryField)), None)
    for number, line in enumerate(data.decode("utf-8").splitlines(), start=1):
        values = json.loads(line)
        unknown = set(values) - set(fields) - {FILE_COLUMN}
        if unknown:
            raise RestoreError(f"{table.path}:{number}: unknown columns {sorted(unknown)}")
        kwargs = {name: decode(f, values[name]) for name, f in fields.items() if name in values}
        if binary is not None:
            kwargs[binary.attname] = _checked_bytes(
                directory, values[FILE_COLUMN], values["sha256"], f"{table.path}:{number}"
            )
        yield table.model(**kwargs)


def _save(model: type[models.Model], batch: list[models.Model]) -> None:
    # bulk_create stamps auto_now/auto_now_add fields with the current time (on the instances too): put the
    # exported times back afterwards.
    stamped = [
        f.attname
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    exported = [[getattr(obj, name) for name in stamped] for obj in batch]
    model.objects.bulk_create(batch)
    if stamped:
        for obj, values in zip(batch, exported, strict=True):
            for name, value in zip(stamped, values, strict=True):
                setattr(obj, name, value)
        model.objects.bulk_update(batch, stamped)


@transaction.atomic
def archive_restore(*, directory: Path) -> dict[str, int]:
    """Load an export into an empty database; returns the rows restored per table. Raises RestoreError."""
    package = _read_package(directory)
    resources = {resource["name"]: resource for resource in package["resources"]}
    _ensure_empty()
    # The committees and parties that migrations seed are replaced by the export's (same names, the export's ids).
    Committee.objects.all().delete()
    Party.objects.all().delete()
    counts = {}
    for table in TABLES:
        if table.name not in resources:
            raise RestoreError(f"datapackage.json lists no {table.name!r}")
        batch, count = [], 0
        for obj in _objects(table, directory, resources[table.name]):
            batch.append(obj)
            if len(batch) == BATCH:
                _save(table.model, batch)
                count, batch = count + len(batch), []
        if batch:
            _save(table.model, batch)
            count += len(batch)
        counts[table.name] = count
    # New rows get ids after the restored ones (PostgreSQL sequences do not follow explicit ids by themselves).
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [t.model for t in TABLES]):
            cursor.execute(statement)
    # Derived state is rebuilt rather than trusted: the kept totals, the search index, and the archive's version
    # (so that pages cached before the restore are not served after it).
    counts_rebuild()
    rebuild_index()
    archive_changed()
    return counts
