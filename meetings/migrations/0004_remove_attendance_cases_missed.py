"""`cases.Absence` rows replace the JSON list (filled by cases 0002)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0003_withdrawn_at_unique_code"),
        ("cases", "0002_absence_title_key"),
    ]

    operations = [migrations.RemoveField(model_name="attendance", name="cases_missed")]
