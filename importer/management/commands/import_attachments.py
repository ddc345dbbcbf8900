"""`manage.py import_attachments PATH...`: store attachment documents and link them to their bilag."""

import sys
from collections import Counter

from django.core.management import BaseCommand

from importer.attachments import CONTENT_TYPES, AttachmentError, attachment_import
from importer.management.commands._files import expand, progress


class Command(BaseCommand):
    help = "Import attachment documents (.md, .txt, .pdf) and link each to the bilag whose title it matches."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="documents or folders holding them")

    def handle(self, *args, paths, **options):
        files = expand(paths, set(CONTENT_TYPES))
        counts: Counter[str] = Counter()
        for _, path in progress(files, sys.stderr):
            try:
                result = attachment_import(content=path.read_bytes(), filename=path.name)
            except AttachmentError as exc:
                counts["failed"] += 1
                self.stderr.write(f"{path}:0: {exc}")
                continue
            if result.attachment:
                counts["linked"] += 1
                a = result.attachment
                where = f"Bilag {a.number} of sag {a.case.number} ({a.case.meeting})"
            else:
                counts["unmatched"] += 1
                where = "no matching bilag yet; kept, and linked when its case is imported"
            self.stdout.write(f"{path}: {'stored' if result.created else 'already stored'}, {where}")
        self.stdout.write(f"{counts['linked']} linked, {counts['unmatched']} unmatched, {counts['failed']} failed")
        if counts["failed"]:
            raise SystemExit(1)
