"""`manage.py import_protocols PATH...`: import protocol files and folders into the archive.

Safe to run several at once: each file's import locks its meeting (one writer per meeting), so a second run of the
same file waits and then reports "unchanged"; a clash over a row both create (a new person, say) is retried once.
CPR numbers are masked in what is written, and each one is reported as a warning with its line and case.
"""

import re
import sys
from collections import Counter

from django.core.management import BaseCommand, CommandError
from django.db import IntegrityError, OperationalError

from importer.load import AgendaAfterMinutes, ImportStatus, protocol_import
from importer.management.commands._files import expand, progress
from importer.parse import parse_protocol
from importer.privacy import filename_findings, protocol_findings
from importer.records import ProtocolError


class Command(BaseCommand):
    help = "Import protocol text files (and folders of them) into the archive; each file is one atomic import."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="protocol files or folders holding .txt files")
        parser.add_argument("--dry-run", action="store_true", help="parse and compare, write nothing")
        parser.add_argument(
            "--not-personal",
            action="append",
            default=[],
            metavar="DDMMYY-XXXX",
            help="a number that looks like a CPR number but is not one: import it unmasked (repeatable)",
        )

    def handle(self, *args, paths, dry_run=False, not_personal=(), **options):
        keep = set()
        for number in not_personal:
            digits = re.sub(r"\D", "", number)
            if len(digits) != 10:
                raise CommandError(f"--not-personal {number}: expected ten digits, DDMMYY-XXXX")
            keep.add(digits)
        files = expand(paths, {".txt"})
        counts: Counter[str] = Counter()
        for _, path in progress(files, sys.stderr):
            try:
                content = path.read_bytes()
                protocol = parse_protocol(content)
                result = self._import(content, path.name, protocol, dry_run=dry_run, not_personal=keep)
            except ProtocolError as exc:
                counts["failed"] += 1
                self.stderr.write(f"{path}:{exc.line}: {exc.message}")
                continue
            except AgendaAfterMinutes as exc:
                counts["failed"] += 1
                self.stderr.write(f"{path}:0: {exc}")
                continue
            except OSError as exc:
                counts["failed"] += 1
                self.stderr.write(f"{path}:0: {exc.strerror or exc}")
                continue
            except (IntegrityError, OperationalError) as exc:  # the database refused this file (gone, say)
                counts["failed"] += 1
                self.stderr.write(f"{path}:0: not imported, the database refused it: {str(exc).strip()}")
                continue
            counts[result.status] += 1
            changes = "; ".join(result.diff.summary()) if result.status == ImportStatus.UPDATED else ""
            self.stdout.write(f"{path}: {result.status}{' (' + changes + ')' if changes else ''}")
            for warning in result.warnings:
                self.stdout.write(f"  {path}:{warning.line}: warning: {warning.message}")
            for finding in [*filename_findings(path.name), *protocol_findings(content, protocol)]:
                where = "file name" if finding.in_filename else f"case {finding.case}" if finding.case else "header"
                verb = "kept unmasked (--not-personal)" if finding.number in keep else "masked"
                self.stdout.write(f"  {path}:{finding.line}: warning: CPR number {finding.display} ({where}) {verb}")
        prefix = "dry run, nothing written: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{counts[ImportStatus.IMPORTED]} imported, {counts[ImportStatus.UNCHANGED]} unchanged, "
            f"{counts[ImportStatus.UPDATED]} updated, {counts['failed']} failed"
        )
        if counts["failed"]:
            raise SystemExit(1)

    @staticmethod
    def _import(content: bytes, filename: str, protocol, **options):
        # A concurrent import of another meeting may create a row this one also creates (a new person or
        # committee) between our check and our insert; the rolled-back file is then imported once more.
        try:
            return protocol_import(content=content, filename=filename, protocol=protocol, **options)
        except IntegrityError:
            return protocol_import(content=content, filename=filename, protocol=protocol, **options)
