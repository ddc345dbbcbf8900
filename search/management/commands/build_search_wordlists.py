"""Rebuild search/data/ from hunspell-da and wordfreq (build time; commit the result)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from search import wordlists


class Command(BaseCommand):
    help = (
        "Build the decompounder's word lists in search/data/ from Debian's hunspell-da "
        "(apt-get install hunspell-da) and the wordfreq package (pip install wordfreq)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dic", type=Path, default=wordlists.HUNSPELL_DIC)
        parser.add_argument("--aff", type=Path, default=wordlists.HUNSPELL_AFF)

    def handle(self, *args, dic, aff, **options):
        if not dic.exists() or not aff.exists():
            raise CommandError(f"{dic} or {aff} is missing: apt-get install -y hunspell-da")
        try:
            import wordfreq  # noqa: F401
        except ImportError as error:
            raise CommandError("the wordfreq package is missing: pip install wordfreq") from error
        for path in wordlists.build(dic, aff):
            self.stdout.write(f"written {path} ({path.stat().st_size:,} bytes)")
