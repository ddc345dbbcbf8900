"""Agendas and minutes (`kind` on the meeting and on each kept version), the election term, and the date the
minutes were last corrected — backfilled for meetings whose kept versions already differ in their words — and the
committee that protocols since 2022 name "KNU"."""

from django.db import migrations, models


def seed_klima_og_naturudvalget(apps, schema_editor):
    """Protocols since 2022 name Klima- og Naturudvalget by its code ("Beslutningskompetence: KNU og TMU")."""
    Committee = apps.get_model("meetings", "Committee")
    if Committee.objects.filter(code__iexact="KNU").exists():
        return
    committee = Committee.objects.filter(name__iexact="Klima- og Naturudvalget").first()
    if committee is None:
        Committee.objects.create(name="Klima- og Naturudvalget", code="KNU", slug="klima-og-naturudvalget")
    elif not committee.code:
        committee.code = "KNU"
        committee.save(update_fields=["code"])


def backfill_corrected_at(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    SourceDocument = apps.get_model("meetings", "SourceDocument")
    for meeting in Meeting.objects.filter(source__isnull=False).iterator():
        versions = list(
            SourceDocument.objects.filter(meeting=meeting).order_by("imported_at", "id").only("text", "imported_at")
        )
        current = next((v for v in versions if v.pk == meeting.source_id), None)
        earlier = [v for v in versions if current and v.imported_at <= current.imported_at and v.pk != current.pk]
        if current and any(v.text.split() != current.text.split() for v in earlier):
            Meeting.objects.filter(pk=meeting.pk).update(corrected_at=current.imported_at)


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0004_remove_attendance_cases_missed'),
    ]

    operations = [
        migrations.AddField(
            model_name='meeting',
            name='corrected_at',
            field=models.DateTimeField(blank=True, help_text='Sidste gang et offentliggjort referat blev erstattet af en rettet udgave.', null=True, verbose_name='referatet rettet'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='kind',
            field=models.CharField(choices=[('agenda', 'dagsorden'), ('minutes', 'referat')], default='minutes', help_text='Dagsorden, indtil referatet er offentliggjort.', max_length=12, verbose_name='art'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='term',
            field=models.CharField(blank=True, help_text='Som protokollens første linje skriver den, fx 2022-25 i »Klima- og Naturudvalget 2022-25«.', max_length=20, verbose_name='valgperiode'),
        ),
        migrations.AddField(
            model_name='sourcedocument',
            name='kind',
            field=models.CharField(choices=[('agenda', 'dagsorden'), ('minutes', 'referat')], default='minutes', max_length=12, verbose_name='art'),
        ),
        migrations.RunPython(backfill_corrected_at, migrations.RunPython.noop),
        migrations.RunPython(seed_klima_og_naturudvalget, migrations.RunPython.noop),
    ]
