"""Plain rows into a table in one statement, without a model instance per row.

A large protocol has tens of thousands of child rows (sections, recommendations, trail steps); building and
preparing a model instance for each costs more than inserting it. Only for rows nobody reads back in the same
import: no ids are returned and no defaults are filled in (name every column the table needs).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, models

# Columns whose Python values the database drivers take as they are; others go through the field's preparation.
_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)


def _array_type(field: models.Field) -> str:
    # text, not varchar(n): an explicit cast to varchar(n) would cut a value that is too long, where the insert's
    # own assignment raises, as any other write of the field does.
    return "text" if isinstance(field, models.CharField | models.TextField) else field.db_type(connection)


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert `rows` (one value per name in `fields`) into `model`'s table; returns how many."""
    rows = list(rows)
    if not rows:
        return 0
    columns = [model._meta.get_field(name) for name in fields]
    prepare = [None if isinstance(f, _PLAIN) else f for f in columns]
    if any(prepare):
        rows = [
            [v if f is None else f.get_db_prep_save(v, connection) for f, v in zip(prepare, row, strict=True)]
            for row in rows
        ]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(f.column) for f in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array parameter per column: one statement, and one plan, whatever the number of rows.
            arrays = ", ".join(f"%s::{_array_type(f)}[]" for f in columns)
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays})",
                [list(c) for c in zip(*rows, strict=True)],
            )
        else:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})", rows)
    return len(rows)
