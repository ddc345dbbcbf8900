"""PostgreSQL: tell the planner that testing a stored tsvector against a query is not cheap.

`ts_match_vq` (the tsvector @@ tsquery operator) is costed like an integer comparison, and the planner does not
count the reading of TOASTed values, so for a query matching a sixth of a small archive it chose to read and
test every row (64 ms on 10 000 cases) over the GIN index (2.5 ms). A realistic cost makes it use the index.

`ts_match_vq` is a catalog function owned by the bootstrap superuser: only a superuser (or a member of that
role) may alter it, not the database owner who usually runs migrations, and a database owner cannot create an
alternative either (an operator the GIN index answers must be in its operator family, which only a superuser
may change). So the migration changes the cost where the role running it may, and otherwise leaves it: the
system check search.W001 (search/checks.py) then warns, at every `migrate` and `check --database default`,
until a superuser runs the statement (README.md, PostgreSQL). Errors are never caught here.
"""

from django.db import migrations

COST = "ALTER FUNCTION ts_match_vq(tsvector, tsquery) COST {}"
MAY_ALTER = (
    "SELECT pg_has_role(current_user, proowner, 'USAGE') FROM pg_proc "
    "WHERE oid = 'ts_match_vq(tsvector, tsquery)'::regprocedure"
)


def set_cost(cost):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(MAY_ALTER)
            may_alter = cursor.fetchone()[0]
        if may_alter:
            schema_editor.execute(COST.format(cost))

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0006_match_vector")]

    operations = [migrations.RunPython(set_cost(100), set_cost(1), elidable=False)]
