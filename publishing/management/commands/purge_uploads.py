"""`manage.py purge_uploads [--days N] [--dry-run]`: delete uploads that were never published, with their files."""

from datetime import timedelta

from django.core.management import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from publishing.models import Upload


class Command(BaseCommand):
    help = (
        "Delete previews nobody published and uploads that could not be read, older than --days (default 30), "
        "with their attached files. Published uploads are the archive's history and are kept."
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
            if not dry_run:
                abandoned.delete()  # their UploadAttachment rows cascade
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(
            f"{verb} {summary['count']} unpublished upload(s) from before {before:%Y-%m-%d %H:%M} "
            f"({summary['size']} bytes)"
        )
