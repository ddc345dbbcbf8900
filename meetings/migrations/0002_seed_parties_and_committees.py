"""Seed the Danish party letters and the committees Rødovre's protocols name by short code."""

from django.db import migrations

PARTIES = [
    ("A", "Socialdemokratiet"),
    ("B", "Radikale Venstre"),
    ("C", "Det Konservative Folkeparti"),
    ("D", "Nye Borgerlige"),
    ("F", "SF – Socialistisk Folkeparti"),
    ("I", "Liberal Alliance"),
    ("K", "Kristendemokraterne"),
    ("M", "Moderaterne"),
    ("O", "Dansk Folkeparti"),
    ("V", "Venstre"),
    ("Æ", "Danmarksdemokraterne"),
    ("Ø", "Enhedslisten"),
    ("Å", "Alternativet"),
    ("UP", "Uden for partierne"),
]

COMMITTEES = [
    ("Kommunalbestyrelsen", "KB", "kommunalbestyrelsen"),
    ("Økonomiudvalget", "ØU", "oekonomiudvalget"),
    ("Beskæftigelsesudvalget", "BEU", "beskaeftigelsesudvalget"),
    ("Teknik- og Miljøudvalget", "TMU", "teknik-og-miljoeudvalget"),
    ("Børne- og Skoleudvalget", "BSU", "boerne-og-skoleudvalget"),
    ("Social- og Sundhedsudvalget", "SSU", "social-og-sundhedsudvalget"),
    ("Kultur- og Fritidsudvalget", "KFU", "kultur-og-fritidsudvalget"),
]


def seed(apps, schema_editor):
    Party = apps.get_model("meetings", "Party")
    Committee = apps.get_model("meetings", "Committee")
    for letter, name in PARTIES:
        Party.objects.get_or_create(letter=letter, defaults={"name": name})
    for name, code, slug in COMMITTEES:
        Committee.objects.get_or_create(name=name, defaults={"code": code, "slug": slug})


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
