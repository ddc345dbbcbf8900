"""The archive as a data set: which tables an export holds, their columns, and how each value is written.

One table per model of the public archive, with every column of the model (so a field added to a model is exported
and restored without a change here) except the bytes of files, which are written as files beside the tables (their
path in `content_file`), and who imported a protocol (a clerk's account is not public). Rows are the public
archive's: published meetings with everything in them, the people they name, every committee and party.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.db import models

from cases.models import (
    Absence,
    Attachment,
    AttachmentDocument,
    Case,
    CaseStep,
    Decision,
    Recommendation,
    Section,
)
from meetings.models import Attendance, Committee, Meeting, Party, Person, SourceDocument, published_q
from meetings.slugs import danish_slugify

FORMAT_VERSION = 1
PACKAGE_NAME = "rodovre-referater"
FILE_COLUMN = "content_file"
# Not exported: the clerk who imported a protocol (an account, not public information).
PRIVATE_FIELDS = {(SourceDocument, "imported_by")}


@dataclass(frozen=True)
class Table:
    name: str
    model: type[models.Model]
    description: str

    @property
    def path(self) -> str:
        return f"{self.name}.jsonl"

    def fields(self) -> list[models.Field]:
        """The model's columns in model order, without private fields and file bytes."""
        return [
            f
            for f in self.model._meta.concrete_fields
            if (self.model, f.name) not in PRIVATE_FIELDS and not isinstance(f, models.BinaryField)
        ]

    def has_file(self) -> bool:
        return any(isinstance(f, models.BinaryField) for f in self.model._meta.concrete_fields)

    def columns(self) -> list[str]:
        return [f.attname for f in self.fields()] + ([FILE_COLUMN] if self.has_file() else [])

    def public_rows(self) -> models.QuerySet:
        """The rows of the public archive, by id (file bytes not loaded)."""
        queryset = self.model.objects.filter(PUBLIC[self.model]) if self.model in PUBLIC else self.model.objects.all()
        if self.has_file():
            queryset = queryset.defer(
                *(f.name for f in self.model._meta.concrete_fields if isinstance(f, models.BinaryField))
            )
        return queryset.order_by("pk")


# In dependency order: a table only refers to tables above it (and meetings to their current protocol version).
TABLES = [
    Table("committees", Committee, "Udvalgene (og Kommunalbestyrelsen)."),
    Table("parties", Party, "Partibogstaverne og partiernes navne."),
    Table("people", Person, "Personer, der er nævnt i et offentliggjort referat."),
    Table("meetings", Meeting, "Offentliggjorte møder."),
    Table(
        "source_documents", SourceDocument, "Referaterne, som de blev indlæst (alle versioner); filen i content_file."
    ),
    Table("attendances", Attendance, "Hvem der stod i referatets medlemsliste, med rolle, parti og fremmøde."),
    Table("cases", Case, "Sagerne på møderne."),
    Table("absences", Absence, "Fravær ved de enkelte sager."),
    Table("sections", Section, "Sagernes afsnit (Sagens kerne, Sagsfremstilling …) i referatets rækkefølge."),
    Table("recommendations", Recommendation, "Indstillingens at-sætninger."),
    Table("decisions", Decision, "Beslutningerne med normaliseret udfald."),
    Table("case_steps", CaseStep, "Sagsgangen: tidligere organers beslutninger, som sagen citerer."),
    Table("attachment_documents", AttachmentDocument, "Bilagsdokumenterne; filen i content_file."),
    Table("attachments", Attachment, "Sagernes bilag (Bilag N: titel) og det dokument, der hører til."),
]
TABLE_OF = {table.model: table for table in TABLES}

_ATTENDANCES = Attendance.objects.filter(published_q("meeting__"))
PUBLIC = {
    Person: models.Q(pk__in=_ATTENDANCES.values("person_id"))
    | models.Q(pk__in=_ATTENDANCES.filter(substitute_for__isnull=False).values("substitute_for_id")),
    Meeting: published_q(),
    SourceDocument: published_q("meeting__") & models.Q(meeting__isnull=False),
    Attendance: published_q("meeting__"),
    Case: published_q("meeting__"),
    Absence: published_q("case__meeting__"),
    Section: published_q("case__meeting__"),
    Recommendation: published_q("case__meeting__"),
    Decision: published_q("case__meeting__"),
    CaseStep: published_q("case__meeting__"),
    AttachmentDocument: models.Q(
        pk__in=Attachment.objects.filter(published_q("case__meeting__"), document__isnull=False).values("document_id")
    ),
    Attachment: published_q("case__meeting__"),
}


def file_path(table: Table, row) -> str:
    """Where an export keeps a row's file: readable, unique (the id is in it) and safe on any file system."""
    name = PurePosixPath(row.filename or "")
    suffix = name.suffix.lower() if name.suffix[1:].isalnum() and len(name.suffix) <= 6 else ""
    if isinstance(row, SourceDocument):
        meeting = row.meeting
        return f"protocols/{meeting.committee.slug}-{meeting.date.isoformat()}-{row.pk}{suffix or '.txt'}"
    stem = danish_slugify(name.stem)[:80] or "dokument"
    return f"documents/{row.pk}-{stem}{suffix}"


# --- values -------------------------------------------------------------------------------------------------------


def canonical(value):
    """A JSON value with the keys of every object sorted: the same bytes whatever order a database returns them in
    (PostgreSQL's jsonb orders keys by length, SQLite keeps them as written)."""
    if isinstance(value, dict):
        return {key: canonical(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [canonical(item) for item in value]
    return value


def encode(field: models.Field, value):
    """A model value as JSON: date-times in UTC, dates and times ISO 8601, JSON with sorted keys, everything else
    as it is."""
    if value is None:
        return None
    if isinstance(field, models.JSONField):
        return canonical(value)
    if isinstance(field, models.DateTimeField):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(field, models.DateField | models.TimeField):
        return value.isoformat()
    return value


def decode(field: models.Field, value):
    if value is None:
        return None
    if isinstance(field, models.DateTimeField):
        return dt.datetime.fromisoformat(value)
    if isinstance(field, models.DateField):
        return dt.date.fromisoformat(value)
    if isinstance(field, models.TimeField):
        return dt.time.fromisoformat(value)
    return value


def json_line(values: dict) -> str:
    """One JSON Lines row: UTF-8 as it is, no spaces, keys in column order (the same bytes every time)."""
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")) + "\n"


# Table Schema (Frictionless) type of each kind of model field.
def schema_type(field: models.Field) -> str:
    if isinstance(field, models.BooleanField):
        return "boolean"
    if isinstance(field, models.DateTimeField):
        return "datetime"
    if isinstance(field, models.DateField):
        return "date"
    if isinstance(field, models.TimeField):
        return "time"
    if isinstance(field, models.JSONField):
        return "any"
    if isinstance(field, models.AutoField | models.IntegerField | models.ForeignKey):
        return "integer"
    return "string"
