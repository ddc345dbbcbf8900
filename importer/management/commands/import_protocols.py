"""`manage.py import_protocols PATH...`: import protocol files and folders into the archive.

Files are imported in batches (importer.load.protocols_import): the new meetings of up to a hundred files are
written together in one transaction, files of meetings the archive holds one by one; the result is what importing
the files one by one gives. Safe to run several at once: every import locks its meetings (one writer per meeting),
so a second run of the same files waits and then reports "unchanged"; a clash over a row both create (a new
person, say) is retried file by file.
CPR numbers are masked in what is written, and each one is reported as a warning with its line and case.
"""

import re
import sys
from collections import Counter
from itertools import islice
from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.db import DatabaseError

from importer.load import (
    BATCH_PROTOCOLS,
    AgendaAfterMinutes,
    ImportResult,
    ImportStatus,
    Parsed,
    protocol_import,
    protocols_import,
)
from importer.management.commands._files import expand, progress
from importer.parse import parse_protocol
from importer.privacy import filename_findings, protocol_findings
from importer.records import ProtocolError


class Command(BaseCommand):
    help = "Import protocol text files (and folders of them) into the archive; a file is imported wholly or not at all."

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
        paths_in_order = (path for _, path in progress(files, sys.stderr))
        while chunk := list(islice(paths_in_order, BATCH_PROTOCOLS)):
            # By position in the chunk, not by path: a file named twice is imported (and reported) twice.
            outcomes: dict[int, ImportResult | Exception] = {}
            parsed: dict[int, Parsed] = {}
            for index, path in enumerate(chunk):
                try:
                    content = path.read_bytes()
                    parsed[index] = Parsed(content, path.name, parse_protocol(content))
                except (ProtocolError, OSError) as exc:
                    outcomes[index] = exc
            if dry_run:
                for index, item in parsed.items():
                    try:
                        outcomes[index] = protocol_import(
                            content=item.content, filename=item.filename, protocol=item.protocol, dry_run=True
                        )
                    except AgendaAfterMinutes as exc:
                        outcomes[index] = exc
            else:
                results = protocols_import(list(parsed.values()), not_personal=keep)
                for index, (_item, result) in zip(parsed, results, strict=True):
                    outcomes[index] = result
            for index, path in enumerate(chunk):
                counts[self._report(path, outcomes[index], parsed.get(index), keep)] += 1
        prefix = "dry run, nothing written: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{counts[ImportStatus.IMPORTED]} imported, {counts[ImportStatus.UNCHANGED]} unchanged, "
            f"{counts[ImportStatus.UPDATED]} updated, {counts['failed']} failed"
        )
        if counts["failed"]:
            raise SystemExit(1)

    def _report(self, path: Path, outcome: ImportResult | Exception, item: Parsed | None, keep: set[str]) -> str:
        """Write what became of one file (an error with file and line, its warnings); returns how to count it."""
        if isinstance(outcome, ProtocolError):
            self.stderr.write(f"{path}:{outcome.line}: {outcome.message}")
            return "failed"
        if isinstance(outcome, OSError):
            self.stderr.write(f"{path}:0: {outcome.strerror or outcome}")
            return "failed"
        if isinstance(outcome, AgendaAfterMinutes):
            self.stderr.write(f"{path}:0: {outcome}")
            return "failed"
        if isinstance(outcome, DatabaseError):  # the database refused this file (gone, say)
            self.stderr.write(f"{path}:0: not imported, the database refused it: {str(outcome).strip()}")
            return "failed"
        changes = "; ".join(outcome.diff.summary()) if outcome.status == ImportStatus.UPDATED else ""
        self.stdout.write(f"{path}: {outcome.status}{' (' + changes + ')' if changes else ''}")
        for warning in outcome.warnings:
            self.stdout.write(f"  {path}:{warning.line}: warning: {warning.message}")
        for finding in [*filename_findings(path.name), *protocol_findings(item.content, item.protocol)]:
            where = "file name" if finding.in_filename else f"case {finding.case}" if finding.case else "header"
            verb = "kept unmasked (--not-personal)" if finding.number in keep else "masked"
            self.stdout.write(f"  {path}:{finding.line}: warning: CPR number {finding.display} ({where}) {verb}")
        return outcome.status
