"""The full-text engines behind the search, laid out like `django.db.backends`: base.py holds what every engine
does and shares; postgres/ and sqlite/ each hold an engine (base.py) and the query compiler it needs
(compiler.py). `get_engine()` is the one place that picks an engine: by the database vendor.
"""

from __future__ import annotations

from django.db import connection

from search.backends.base import BaseEngine
from search.backends.postgres.base import PostgresEngine
from search.backends.sqlite.base import SqliteEngine

ENGINES: dict[str, type[BaseEngine]] = {"postgresql": PostgresEngine, "sqlite": SqliteEngine}


def get_engine() -> BaseEngine:
    """The engine for the default database's vendor; LookupError for a database without one."""
    try:
        return ENGINES[connection.vendor]()
    except KeyError:
        raise LookupError(f"no search engine for database vendor {connection.vendor!r}") from None
