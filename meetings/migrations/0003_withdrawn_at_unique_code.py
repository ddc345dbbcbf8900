"""Publication becomes a withdrawal timestamp; committee codes become unique (case-insensitively) where set."""

import django.db.models.functions.text
from django.db import migrations, models
from django.db.models.functions import Lower
from django.utils import timezone


def withdraw_unpublished(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    Meeting.objects.filter(is_published=False).update(withdrawn_at=timezone.now())


def republish_withdrawn(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    Meeting.objects.filter(withdrawn_at__isnull=False).update(is_published=False)


def blank_duplicate_codes(apps, schema_editor):
    """Keep each code on its oldest committee; the others lose it (before, `resolve` picked one at random)."""
    Committee = apps.get_model("meetings", "Committee")
    seen = set()
    for committee in Committee.objects.exclude(code="").annotate(folded=Lower("code")).order_by("pk"):
        if committee.folded in seen:
            Committee.objects.filter(pk=committee.pk).update(code="")
        seen.add(committee.folded)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_seed_parties_and_committees")]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="withdrawn_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Sat når mødet er trukket tilbage fra det offentlige arkiv; tomt betyder offentligt.",
                null=True,
                verbose_name="trukket tilbage",
            ),
        ),
        migrations.RunPython(withdraw_unpublished, republish_withdrawn),
        migrations.RemoveField(model_name="meeting", name="is_published"),
        migrations.AlterModelOptions(
            name="meeting",
            options={
                "get_latest_by": "date",
                "ordering": ["-date", "committee_id"],
                "verbose_name": "møde",
                "verbose_name_plural": "møder",
            },
        ),
        migrations.RunPython(blank_duplicate_codes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="committee",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("code"),
                condition=models.Q(("code", ""), _negated=True),
                name="unique_committee_code_where_set",
            ),
        ),
    ]
