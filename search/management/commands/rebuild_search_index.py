"""Rebuild the whole search index (after a deploy that changes how cases are indexed, or to repair it)."""

from django.core.management.base import BaseCommand

from search.index import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the full-text search index for every case."

    def handle(self, *args, **options):
        count = rebuild_index()
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} cases."))
