"""`manage.py purge_uploads [--days N] [--dry-run]`: delete uploads that were never published, with their files."""

from datetime import timedelta

from django.core.management import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, Prefetch, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from importer.privacy import mask_filename
from publishing.models import Upload, UploadAttachment


class Command(BaseCommand):
    help = (
        "Delete previews nobody published, uploads that could not be read and background publishes that stalled "
        "(PUBLISH_TIMEOUT), older than --days (default 30), with their attached files. Published uploads are the "
        "archive's history and are kept, but the unmasked originals some of them keep for clerks (CPR numbers "
        "masked in the archive) are deleted after --days too, and CPR numbers in their file names masked."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="keep what is younger than this many days")
        parser.add_argument("--dry-run", action="store_true", help="only say what would be deleted")

    def handle(self, *args, days, dry_run, **options):
        if days < 1:
            raise CommandError("--days must be at least 1: a clerk may be looking at today's preview")
        before = timezone.now() - timedelta(days=days)
        with transaction.atomic():
            abandoned = Upload.objects.abandoned(before)
            summary = abandoned.aggregate(count=Count("pk"), size=Coalesce(Sum("size"), 0))
            # Published uploads keep their bytes only where the archive's copy was masked (personal data).
            unmasked = Upload.objects.filter(state=Upload.State.PUBLISHED, published_at__lt=before).exclude(content=b"")
            originals = unmasked.count()
            if not dry_run:
                abandoned.delete()  # their UploadAttachment rows cascade
                UploadAttachment.objects.filter(
                    upload__state=Upload.State.PUBLISHED, upload__published_at__lt=before
                ).exclude(content=b"").update(content=b"")
                unmasked.update(content=b"")
                _mask_filenames(before)
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(
            f"{verb} {summary['count']} unpublished upload(s) from before {before:%Y-%m-%d %H:%M} "
            f"({summary['size']} bytes) and the unmasked originals of {originals} published upload(s)"
        )


def _mask_filenames(before) -> None:
    """CPR numbers in the file names of uploads published before then, masked as in the archive's copies (numbers
    the publisher confirmed as not personal stay, as they do there)."""
    published = Upload.objects.filter(state=Upload.State.PUBLISHED, published_at__lt=before)
    names = Prefetch("attachments", queryset=UploadAttachment.objects.only("pk", "upload_id", "filename"))
    for upload in published.only("pk", "filename", "not_personal").prefetch_related(names).iterator(500):
        for row in [upload, *upload.attachments.all()]:
            masked = mask_filename(row.filename, not_personal=upload.not_personal)
            if masked != row.filename:
                type(row).objects.filter(pk=row.pk).update(filename=masked)
