"""`manage.py import_attachments PATH...`: store attachment documents and link them to their bilag.

CPR numbers are masked in what is stored (`importer.privacy.mask_extraction`, the file name too) and each is reported
as a warning.
"""

import sys
from collections import Counter

from django.core.management import BaseCommand

from importer.attachments import CONTENT_TYPES, AttachmentError, attachment_import, extract
from importer.management.commands._files import expand, progress
from importer.privacy import document_findings, filename_findings, mask_extraction, mask_filename


class Command(BaseCommand):
    help = "Import attachment documents (.md, .txt, .pdf) and link each to the bilag whose title it matches."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="documents or folders holding them")

    def handle(self, *args, paths, **options):
        files = expand(paths, set(CONTENT_TYPES))
        counts: Counter[str] = Counter()
        for _, path in progress(files, sys.stderr):
            try:
                original = path.read_bytes()
                unmasked = extract(original, path.name)
                content, masked = mask_extraction(original, unmasked)
                result = attachment_import(content=content, filename=mask_filename(path.name), extraction=masked)
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
            for finding in [
                *filename_findings(path.name, path.name),
                *document_findings(original, unmasked, path.name),
            ]:
                where = "file name" if finding.in_filename else f"line {finding.line}"
                self.stdout.write(f"  {path}:{finding.line}: warning: CPR number {finding.display} ({where}) masked")
        self.stdout.write(f"{counts['linked']} linked, {counts['unmatched']} unmatched, {counts['failed']} failed")
        if counts["failed"]:
            raise SystemExit(1)
