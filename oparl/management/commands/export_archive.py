"""Export the public archive as open data: a directory of JSON Lines, CSV and original files, or one SQLite file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oparl.export import ExportError, archive_export, archive_sqlite


class Command(BaseCommand):
    help = (
        "Write the public archive to DIR (JSON Lines per table, cases.csv, the original files, datapackage.json) "
        "and/or, with --sqlite FILE, to one SQLite database with full-text search (opens in Datasette)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", type=Path, help="an empty or new directory")
        parser.add_argument("--sqlite", type=Path, metavar="FILE", help="also (or only) write a SQLite database")
        parser.add_argument(
            "--base-url",
            default="",
            help="the site's address, e.g. https://minutes.example.org, for the links in cases.csv",
        )

    def handle(self, *args, directory=None, sqlite=None, base_url="", **options):
        if directory is None and sqlite is None:
            raise CommandError("Give a directory, --sqlite FILE, or both.")
        base_url = base_url.rstrip("/")
        if directory is not None:
            try:
                written = archive_export(directory=directory, base_url=base_url)
            except ExportError as exc:
                raise CommandError(str(exc)) from exc
            rows = ", ".join(f"{count} {name}" for name, count in written.rows.items())
            self.stdout.write(self.style.SUCCESS(f"{directory}: {rows}; {len(written.files)} files."))
        if sqlite is not None:
            counts = archive_sqlite(path=sqlite)
            self.stdout.write(self.style.SUCCESS(f"{sqlite}: {sum(counts.values())} rows in {len(counts)} tables."))
