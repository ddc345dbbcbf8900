"""`manage.py import_protocols PATH...`: import protocol files and folders into the archive."""

import sys
from collections import Counter

from django.core.management import BaseCommand

from importer.load import ImportStatus, protocol_import
from importer.management.commands._files import expand, progress
from importer.records import ProtocolError


class Command(BaseCommand):
    help = "Import protocol text files (and folders of them) into the archive; each file is one atomic import."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="protocol files or folders holding .txt files")
        parser.add_argument("--dry-run", action="store_true", help="parse and compare, write nothing")

    def handle(self, *args, paths, dry_run=False, **options):
        files = expand(paths, {".txt"})
        counts: Counter[str] = Counter()
        for _, path in progress(files, sys.stderr):
            try:
                result = protocol_import(content=path.read_bytes(), filename=path.name, dry_run=dry_run)
            except ProtocolError as exc:
                counts["failed"] += 1
                self.stderr.write(f"{path}:{exc.line}: {exc.message}")
                continue
            except OSError as exc:
                counts["failed"] += 1
                self.stderr.write(f"{path}:0: {exc.strerror or exc}")
                continue
            counts[result.status] += 1
            changes = "; ".join(result.diff.summary()) if result.status == ImportStatus.UPDATED else ""
            self.stdout.write(f"{path}: {result.status}{' (' + changes + ')' if changes else ''}")
            for warning in result.warnings:
                self.stdout.write(f"  {path}:{warning.line}: warning: {warning.message}")
        prefix = "dry run, nothing written: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{counts[ImportStatus.IMPORTED]} imported, {counts[ImportStatus.UNCHANGED]} unchanged, "
            f"{counts[ImportStatus.UPDATED]} updated, {counts['failed']} failed"
        )
        if counts["failed"]:
            raise SystemExit(1)
