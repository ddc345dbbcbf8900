"""Restore an empty database from a directory written by export_archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oparl.restore import RestoreError, archive_restore


class Command(BaseCommand):
    help = "Restore an empty (freshly migrated) database from DIR, written by export_archive; rebuilds search."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        try:
            counts = archive_restore(directory=directory)
        except RestoreError as exc:
            raise CommandError(f"Nothing imported: {exc}") from exc
        rows = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Imported {rows}; search index rebuilt."))
