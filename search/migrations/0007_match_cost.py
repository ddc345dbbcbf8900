"""PostgreSQL: tell the planner that testing a stored tsvector against a query is not cheap.

`ts_match_vq` (the tsvector @@ tsquery operator) is costed like an integer comparison, and the planner does not
count the reading of TOASTed values, so for a query matching a sixth of a small archive it chose to read and
test every row (64 ms on 10 000 cases) over the GIN index (2.5 ms). A realistic cost makes it use the index.
Changing a catalog function needs the database owner's rights; where the migration lacks them it says so and
goes on (searches stay correct, some just slower) — a DBA can run the statement instead.
"""

import sys

from django.db import DatabaseError, migrations, transaction

COST = "ALTER FUNCTION ts_match_vq(tsvector, tsquery) COST {}"


def set_cost(cost):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                schema_editor.execute(COST.format(cost))
        except DatabaseError as error:
            sys.stderr.write(f"search: could not run {COST.format(cost)!r} ({error}); run it as a superuser.\n")

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0006_match_vector")]

    operations = [migrations.RunPython(set_cost(100), set_cost(1), elidable=False)]
