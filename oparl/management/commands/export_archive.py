"""Export the public archive as open data: a directory of JSON Lines, CSV and original files, the same files as one
ZIP file, or one SQLite file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oparl.export import ExportError, archive_export, archive_sqlite, archive_zip


class Command(BaseCommand):
    help = (
        "Write the public archive to DIR (JSON Lines per table, cases.csv, the original files, datapackage.json), "
        "with --zip FILE the same files as one ZIP file (replaced atomically: for a nightly download), and/or, "
        "with --sqlite FILE, one SQLite database with full-text search (opens in Datasette)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", type=Path, help="an empty or new directory")
        parser.add_argument(
            "--zip",
            dest="zip_path",
            type=Path,
            metavar="FILE",
            help="also (or only) write the directory's files as one ZIP file, renamed into place when complete",
        )
        parser.add_argument("--sqlite", type=Path, metavar="FILE", help="also (or only) write a SQLite database")
        parser.add_argument(
            "--base-url",
            default="",
            help="the site's address, e.g. https://minutes.example.org, for the links in cases.csv",
        )

    def handle(self, *args, directory=None, zip_path=None, sqlite=None, base_url="", **options):
        if directory is None and zip_path is None and sqlite is None:
            raise CommandError("Give a directory, --zip FILE, --sqlite FILE, or several of them.")
        base_url = base_url.rstrip("/")
        try:
            if directory is not None:
                written = archive_export(directory=directory, base_url=base_url)
                rows = ", ".join(f"{count} {name}" for name, count in written.rows.items())
                self.stdout.write(self.style.SUCCESS(f"{directory}: {rows}; {len(written.files)} files."))
            if zip_path is not None:
                _, entries = archive_zip(path=zip_path, base_url=base_url, directory=directory)
                self.stdout.write(self.style.SUCCESS(f"{zip_path}: {entries} files."))
        except ExportError as exc:
            raise CommandError(str(exc)) from exc
        if sqlite is not None:
            counts = archive_sqlite(path=sqlite)
            self.stdout.write(self.style.SUCCESS(f"{sqlite}: {sum(counts.values())} rows in {len(counts)} tables."))
