"""A sampling bucket per document (search.models.bucket_of), backfilled for documents indexed before it."""

from django.db import migrations, models

# Same arithmetic as search.models.bucket_of, in SQL both PostgreSQL and SQLite understand.
BACKFILL = "UPDATE search_searchdocument SET bucket = ((case_id * 2654435761) & 4294967295) >> 22"


class Migration(migrations.Migration):
    dependencies = [("search", "0003_decision_and_storage")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="bucket",
            field=models.PositiveSmallIntegerField(
                db_index=True, default=0, editable=False, verbose_name="stikprøvespand"
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop, elidable=False),
    ]
