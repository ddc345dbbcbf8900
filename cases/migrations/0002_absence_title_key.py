"""Absences as rows (from `Attendance.cases_missed`), an indexed title key and an indexed reference."""

import re

import django.db.models.deletion
from django.db import migrations, models

MIN_STEM_FOR_PREFIX = 12
_TRAILING_NUMBERS = re.compile(r"[\s\d.,:;()/\-–—]+$")


def _title_key(title):
    # A frozen copy of cases.models.title_key: migrations must not change when the model code does.
    stem = _TRAILING_NUMBERS.sub("", title.strip()).casefold()
    return stem if len(stem) >= MIN_STEM_FOR_PREFIX else title.strip().casefold()


def fill_title_keys(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    batch = []
    for case in Case.objects.only("id", "title").iterator(chunk_size=2000):
        case.title_key = _title_key(case.title)
        batch.append(case)
        if len(batch) >= 2000:
            Case.objects.bulk_update(batch, ["title_key"])
            batch = []
    Case.objects.bulk_update(batch, ["title_key"])


def absences_from_lists(apps, schema_editor):
    """One row per case missed; someone away all meeting missed every case."""
    Attendance = apps.get_model("meetings", "Attendance")
    Case = apps.get_model("cases", "Case")
    Absence = apps.get_model("cases", "Absence")
    away = Attendance.objects.filter(models.Q(present=False) | ~models.Q(cases_missed=[]))
    for attendance in away.iterator(chunk_size=2000):
        cases = Case.objects.filter(meeting_id=attendance.meeting_id)
        if attendance.present:
            cases = cases.filter(number__in=attendance.cases_missed)
        Absence.objects.bulk_create(Absence(attendance_id=attendance.pk, case_id=pk) for pk in cases.values_list("pk", flat=True))


def lists_from_absences(apps, schema_editor):
    Attendance = apps.get_model("meetings", "Attendance")
    Absence = apps.get_model("cases", "Absence")
    missed = {}
    for attendance_id, number in Absence.objects.values_list("attendance_id", "case__number"):
        missed.setdefault(attendance_id, []).append(number)
    for attendance_id, numbers in missed.items():
        Attendance.objects.filter(pk=attendance_id).update(cases_missed=sorted(numbers))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("meetings", "0003_withdrawn_at_unique_code"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="case",
            options={"ordering": ["meeting_id", "number"], "verbose_name": "sag", "verbose_name_plural": "sager"},
        ),
        migrations.AddField(
            model_name="case",
            name="title_key",
            field=models.CharField(
                blank=True,
                db_index=True,
                editable=False,
                help_text="Se title_key().",
                max_length=500,
                verbose_name="titelnøgle",
            ),
        ),
        migrations.RunPython(fill_title_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="case",
            name="reference",
            field=models.CharField(
                blank=True, db_index=True, help_text="Fx ØU 137/07.", max_length=100, verbose_name="henvisning"
            ),
        ),
        migrations.CreateModel(
            name="Absence",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "attendance",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="absences",
                        to="meetings.attendance",
                        verbose_name="deltagelse",
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="absences",
                        to="cases.case",
                        verbose_name="sag",
                    ),
                ),
            ],
            options={
                "verbose_name": "fravær",
                "verbose_name_plural": "fravær",
                "ordering": ["attendance_id", "case_id"],
                "constraints": [
                    models.UniqueConstraint(fields=("attendance", "case"), name="unique_absence_per_attendance_and_case")
                ],
            },
        ),
        migrations.RunPython(absences_from_lists, lists_from_absences),
    ]
