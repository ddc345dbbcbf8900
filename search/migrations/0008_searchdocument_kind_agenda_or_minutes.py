"""Search documents say whether their case is on an agenda or in minutes (the search filter "Dagsorden eller
referat"). Every document written before agendas existed is of minutes, the default."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0007_match_cost'),
    ]

    operations = [
        migrations.AddField(
            model_name='searchdocument',
            name='kind',
            field=models.CharField(choices=[('agenda', 'dagsorden'), ('minutes', 'referat')], default='minutes', max_length=12, verbose_name='art'),
        ),
    ]
