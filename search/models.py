"""The search index: one document per case, rebuilt by `search.index.index_cases` whenever the case is written.

The document holds the case's text in four weight classes (title A; decision and recommendations B; sections and
decision trail C; attachment titles and documents D) and, denormalised from case, meeting and decision, what
the filters and facets need, so a search touches one table plus the small meeting table for publication.
On PostgreSQL the weighted `tsvector`s are stored columns with GIN indexes; on SQLite an FTS5 table
(`search_fts`, rowid = case id) holds the stemmed text. Both are created by vendor-conditional migrations.
`SearchWord` is the archive's vocabulary, for "Mente du …?" suggestions.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Outcome
from meetings.models import Committee, DocumentKind, Meeting

BUCKETS = 1024
# On PostgreSQL the sample is also a lexeme in `vector` and `match_vector` ("zzs00".."zzs63", one per 16 buckets),
# so the GIN index itself narrows a query to the sample.
SAMPLE_UNIT = 16


def sample_lexeme(unit: int) -> str:
    return f"zzs{unit:02d}"


def bucket_of(case_id: int) -> int:
    """A stable pseudo-random bucket 0..1023 for a case (Fibonacci hashing), for sampling very large result sets."""
    return ((case_id * 2654435761) & 0xFFFFFFFF) >> 22


# The stored tsvectors (PostgreSQL): tens of kilobytes per case, needed by the database only.
VECTORS = ("vector", "head_vector", "match_vector")


class SearchDocumentQuerySet(models.QuerySet):
    def published(self):
        """Documents of cases in published meetings (the index's twin of `Case.objects.published()`)."""
        # "Not in a withdrawn meeting" rather than a join on the meetings: the withdrawn are few (usually none), so
        # PostgreSQL checks a tiny hashed set per match instead of hash-joining every meeting when it overestimates
        # a rare word's matches. Same rule: `withdrawn()` is the complement of `published_q()`.
        return self.exclude(meeting__in=Meeting.objects.withdrawn())

    def for_listing(self):
        """Documents to show, not to match: with their committee, without the (large) vectors."""
        return self.select_related("committee").defer(*VECTORS)


class SearchDocument(models.Model):
    case = models.OneToOneField(
        Case, verbose_name=_("sag"), on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    meeting = models.ForeignKey(Meeting, verbose_name=_("møde"), on_delete=models.CASCADE, related_name="+")
    committee = models.ForeignKey(Committee, verbose_name=_("udvalg"), on_delete=models.CASCADE, related_name="+")
    meeting_date = models.DateField(_("mødedato"))
    number = models.PositiveIntegerField(_("sagsnummer"))
    authority = models.CharField(_("beslutningskompetence"), max_length=200, blank=True)
    outcome = models.CharField(_("udfald"), max_length=12, choices=Outcome.choices, blank=True)
    # The meeting's kind: a case on an agenda (not decided yet) or in the minutes.
    kind = models.CharField(_("art"), max_length=12, choices=DocumentKind.choices, default=DocumentKind.MINUTES)
    title = models.TextField(_("titel"))
    decision = models.TextField(_("beslutning"), blank=True)
    text_b = models.TextField(_("beslutning og indstilling"), blank=True)
    text_c = models.TextField(_("afsnit"), blank=True)
    text_d = models.TextField(_("bilag"), blank=True)
    # PostgreSQL only (NULL on SQLite): everything weighted, and the small title+decision vector that ranks
    # queries matching so many cases that ranking the full vectors would cost more than it tells. Migration
    # 0003 keeps title and head_vector inline and moves the long texts and `vector` out of the row (TOAST), so
    # counting and faceting tens of thousands of matches reads a narrow table.
    vector = SearchVectorField(null=True, editable=False)
    head_vector = SearchVectorField(null=True, editable=False)
    # PostgreSQL only: what searches match on (search/backends/postgres/compiler.py) — every lexeme of `vector`
    # without positions and every two adjacent lexemes as one ("social klausul"), built by SQL function
    # search_match_vector (migration 0006). Its GIN index answers words and two-word phrases exactly, with no row
    # rechecked.
    match_vector = SearchVectorField(null=True, editable=False)
    # The stems of the compound parts of the case's words ("folk skol" for "folkeskolen"), space-separated
    # (search/decompound.py): on PostgreSQL marked lexemes in `vector` and `match_vector`, on SQLite the FTS5
    # table's `parts` column. A word is found whole or as a part; whole words rank first.
    parts = models.TextField(_("sammensætningsdele"), blank=True, editable=False)
    indexed_at = models.DateTimeField(_("indekseret"), auto_now=True)
    # `bucket_of(case_id)`: `bucket < k` is an indexed, unbiased sample of k/1024 of any result set.
    bucket = models.PositiveSmallIntegerField(_("stikprøvespand"), default=0, editable=False, db_index=True)

    objects = SearchDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-meeting_date", "number"]
        verbose_name = _("søgedokument")
        verbose_name_plural = _("søgedokumenter")
        indexes = [
            models.Index(fields=["-meeting_date", "number"], name="search_doc_date_idx"),
            models.Index(fields=["committee", "meeting_date"], name="search_doc_committee_idx"),
            # Created on PostgreSQL only (migration 0002); SQLite searches its FTS5 table instead.
            GinIndex(fields=["vector"], name="search_doc_vector_gin"),
            GinIndex(fields=["head_vector"], name="search_doc_head_vector_gin"),
            GinIndex(fields=["match_vector"], name="search_doc_match_vector_gin"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        """The case page, built from the denormalised fields (no query for meeting or committee slug)."""
        return reverse(
            "web:case_detail",
            kwargs={"committee": self.committee.slug, "date": self.meeting_date, "number": self.number},
        )

    @property
    def year(self) -> int:
        return self.meeting_date.year


class FTSColumn(models.TextField):
    """FTS5's hidden column named like its table; only `match` is meaningful on it."""


@FTSColumn.register_lookup
class Match(models.Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class FTSEntry(models.Model):
    """A row of the SQLite FTS5 table `search_fts` (unmanaged; created by migration 0002 on SQLite only)."""

    document = models.OneToOneField(
        SearchDocument, on_delete=models.DO_NOTHING, primary_key=True, db_column="rowid", related_name="fts"
    )
    search_fts = FTSColumn()

    class Meta:
        managed = False
        db_table = "search_fts"
        verbose_name = _("FTS5-række")
        verbose_name_plural = _("FTS5-rækker")

    def __str__(self):
        return str(self.document_id)


class SearchWord(models.Model):
    """A word of the archive as written (lowercased), for the "Mente du …?" spelling suggestions.

    Written with the index (search/index.py) and only added to: a word of a case that has since been changed or
    withdrawn stays, so every suggestion is counted against the published cases before it is shown
    (search/suggest.py). `rebuild_search_index` starts it afresh. On PostgreSQL a trigram index (pg_trgm, where
    it could be created: migration 0010) finds similar words; on SQLite an FTS5 trigram table does.
    """

    word = models.CharField(_("ord"), max_length=60, unique=True)

    class Meta:
        ordering = ["word"]
        verbose_name = _("ord i arkivet")
        verbose_name_plural = _("ord i arkivet")

    def __str__(self):
        return self.word
