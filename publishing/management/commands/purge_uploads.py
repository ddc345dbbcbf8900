"""`manage.py purge_uploads [--days N] [--dry-run]`: delete uploads that were never published, with their files."""

from datetime import timedelta

from django.core.management import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from publishing.models import Upload, UploadAttachment


class Command(BaseCommand):
    help = (
        "Delete previews nobody published and uploads that could not be read, older than --days (default 30), "
        "with their attached files. Published uploads are the archive's history and are kept, but the unmasked "
        "originals some of them keep for clerks (CPR numbers masked in the archive) are deleted after --days too."
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
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(
            f"{verb} {summary['count']} unpublished upload(s) from before {before:%Y-%m-%d %H:%M} "
            f"({summary['size']} bytes) and the unmasked originals of {originals} published upload(s)"
        )
