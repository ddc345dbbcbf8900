"""The planner fix of migration 0007 (a realistic cost of `tsvector @@ tsquery`) and the check that reports it
missing, search.W001 — proven with a real database owner who is not a superuser, as production has."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from search.checks import MATCH_COST_SQL, check_match_cost, match_cost

ROOT = Path(__file__).resolve().parent.parent
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="ts_match_vq is PostgreSQL's")


def conninfo(dbname: str, user: str | None = None, password: str | None = None) -> str:
    """A libpq connection string to the test server, as the suite's own user unless told otherwise."""
    params = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        dbname=dbname,
        user=user or params["USER"] or None,
        password=password if user else params["PASSWORD"] or None,
    )


def scalar(info: str, query: str):
    with psycopg.connect(info, autocommit=True) as conn:
        return conn.execute(query).fetchone()[0]


COST_QUERY = "SELECT procost FROM pg_proc WHERE oid = 'ts_match_vq(tsvector, tsquery)'::regprocedure"


@pytest.fixture
def owner_database():
    """A fresh database owned by a new LOGIN role without superuser rights.

    Yields its URL for manage.py and libpq strings to connect as the owner and as the suite's superuser.
    """
    name = f"rodovre_owner_{uuid.uuid4().hex[:10]}"
    password = uuid.uuid4().hex
    with psycopg.connect(conninfo("postgres"), autocommit=True) as admin:
        if not admin.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0]:
            pytest.skip("creating a role needs the suite to connect as a superuser")
        admin.execute(
            sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD {}").format(
                sql.Identifier(name), sql.Literal(password)
            )
        )
        admin.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name), sql.Identifier(name)))
    params = connection.settings_dict
    url = f"postgres://{name}:{password}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{name}"
    try:
        yield url, conninfo(name, name, password), conninfo(name)
    finally:
        with psycopg.connect(conninfo("postgres"), autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))


def manage(database_url: str, *args: str) -> subprocess.CompletedProcess:
    """manage.py run against that database, as its owner; output captured."""
    env = {**os.environ, "DATABASE_URL": database_url}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # manage.py sets its own
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@postgresql_only
def test_an_owner_without_superuser_rights_is_warned_until_a_superuser_sets_the_cost(owner_database):
    url, owner, superuser = owner_database
    assert scalar(owner, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user") is False

    migrated = manage(url, "migrate", "--no-input")
    # Every migration runs as the owner, 0007 included, and nothing is printed about a failed statement.
    assert migrated.returncode == 0, migrated.stderr
    assert "ts_match_vq" not in migrated.stdout + migrated.stderr
    assert scalar(owner, "SELECT count(*) FROM django_migrations WHERE app = 'search' AND name = '0007_match_cost'")
    assert scalar(owner, COST_QUERY) == 1  # the owner may not alter a catalog function

    warned = manage(url, "check", "--database", "default")
    assert warned.returncode == 0, warned.stderr  # a warning, not an error
    assert "search.W001" in warned.stderr
    assert MATCH_COST_SQL in warned.stderr  # the hint says what a superuser runs

    with psycopg.connect(superuser, autocommit=True) as conn:
        conn.execute(MATCH_COST_SQL)
    assert scalar(owner, COST_QUERY) == 100

    fixed = manage(url, "check", "--database", "default")
    assert fixed.returncode == 0, fixed.stderr
    assert "search.W001" not in fixed.stdout + fixed.stderr
    assert "System check identified no issues" in fixed.stdout


@pytest.mark.django_db
def test_the_check_reads_the_cost_of_each_postgresql_database():
    if connection.vendor != "postgresql":
        assert check_match_cost(None, databases=["default"]) == []  # nothing to cost on SQLite
        return
    # The suite connects as a superuser, so migration 0007 set the cost in the test database.
    assert match_cost(connection) == 100
    assert check_match_cost(None, databases=["default"]) == []
    assert check_match_cost(None) == []  # database checks run only when asked for a database
    with connection.cursor() as cursor:
        cursor.execute("ALTER FUNCTION ts_match_vq(tsvector, tsquery) COST 1")  # undone with the test's transaction
    [warning] = check_match_cost(None, databases=["default"])
    assert warning.id == "search.W001" and MATCH_COST_SQL in warning.hint
