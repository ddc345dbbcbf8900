"""System checks of the search's database: search.W001, the planner cost of matching a tsvector; search.W002, the
vocabulary's trigram index for spelling suggestions."""

from __future__ import annotations

from django.core import checks
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

# What migration 0007 sets: a realistic cost of `tsvector @@ tsquery`, so the planner asks the GIN index.
MATCH_COST = 100
MATCH_COST_SQL = f"ALTER FUNCTION ts_match_vq(tsvector, tsquery) COST {MATCH_COST}"
MIGRATION = ("search", "0007_match_cost")


def match_cost(connection) -> float:
    """The planner cost of ts_match_vq (tsvector @@ tsquery) in this PostgreSQL database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT procost FROM pg_proc WHERE oid = 'ts_match_vq(tsvector, tsquery)'::regprocedure")
        return cursor.fetchone()[0]


@checks.register(checks.Tags.database)
def check_match_cost(app_configs, databases=None, **kwargs):
    """search.W001: migration 0007 is applied but `tsvector @@ tsquery` still costs less than it should.

    That happens where migrations ran as a database owner who is not a superuser (see the migration). Searches
    stay correct; broad ones read every row instead of the GIN index. Database checks run with `migrate` and
    with `check --database default`.
    """
    warnings = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        if MIGRATION not in MigrationRecorder(connection).applied_migrations():
            continue  # the migration has yet to run (and will set the cost if its role may)
        cost = match_cost(connection)
        if cost < MATCH_COST:
            warnings.append(
                checks.Warning(
                    f"Matching a tsvector costs {cost:g} for the planner in database {alias!r}, so broad searches "
                    "read every row instead of the GIN index.",
                    hint=f"Run as a superuser in that database: {MATCH_COST_SQL}; (README.md, PostgreSQL).",
                    id="search.W001",
                )
            )
    return warnings


TRIGRAM_MIGRATION = ("search", "0010_searchword")
TRIGRAM_SQL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm; "
    "CREATE INDEX IF NOT EXISTS search_word_trgm ON search_searchword USING gin (word gin_trgm_ops)"
)


@checks.register(checks.Tags.database)
def check_trigram_index(app_configs, databases=None, **kwargs):
    """search.W002: migration 0010 is applied but the vocabulary has no pg_trgm index.

    Migration 0010 creates the extension where its role may (pg_trgm is a trusted extension from PostgreSQL 13,
    so a database owner may; an older server, a role without CREATE on the database or a server without the
    contrib package may not). "Mente du …?" suggestions then compare the words of about the same length and
    first letter instead: slower, and blind to a misspelt first letter.
    """
    warnings = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        if TRIGRAM_MIGRATION not in MigrationRecorder(connection).applied_migrations():
            continue
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('search_word_trgm') IS NOT NULL")
            if cursor.fetchone()[0]:
                continue
        warnings.append(
            checks.Warning(
                f"The archive's vocabulary has no trigram index in database {alias!r}: spelling suggestions "
                '("Mente du …?") use a slower lookup that misses a misspelt first letter.',
                hint=f"Run as a role that may create extensions, in that database: {TRIGRAM_SQL}; (README.md).",
                id="search.W002",
            )
        )
    return warnings
