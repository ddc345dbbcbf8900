"""The search itself: match, count, facets, order, one page and its snippets — shared by page, CSV and feed.

A request makes one `Search` (the parsed query, the engine of the database's vendor, and the query compiled for
that engine once); every step of the request asks it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from cases.models import Outcome
from meetings.models import Committee
from search.backends import get_engine
from search.backends.base import NEWEST_FIRST, BaseEngine, CompiledQuery
from search.models import BUCKETS
from search.query import ParsedQuery

RELEVANCE, NEWEST, OLDEST = "relevance", "newest", "oldest"
SORTS = (
    (RELEVANCE, _("Relevans")),
    (NEWEST, _("Nyeste først")),
    (OLDEST, _("Ældste først")),
)
PER_PAGE = 20
# Up to CAP matches everything is exact: total, facets, ranking on the full vectors. Above it a query is "broad":
# the total and facets are estimated from an indexed random sample of about SAMPLE matches (search.models.bucket),
# and relevance ranks title and decision matches first, the rest newest first (the engine's `broad_page`).
CAP = 2000
SAMPLE = 2000
# Where the engine verifies candidate rows one by one (PostgreSQL: phrases of three or more words, or across a
# stop word — see search/backends/postgres/compiler.py), counting exactly costs per row: estimate sooner.
CHECKED_CAP = 250
NO_OUTCOME = _("Ingen beslutning")


class KnownCountPaginator(Paginator):
    """A paginator told the total (already counted with the facets) instead of counting again."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class SearchResults:
    """One page of results with the total, the facets and a snippet per result (`doc.snippet`)."""

    query: ParsedQuery
    total: int
    page: Page
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    estimated: bool = False  # total and facet counts are estimates ("ca.")

    @property
    def documents(self):
        return self.page.object_list


def facet_counts(matched: QuerySet) -> tuple[int, dict[str, list[FacetValue]]]:
    """The exact total and the counts per committee, year and outcome, from one grouped query."""
    rows = (
        matched.order_by().values("committee_id", "outcome", year=ExtractYear("meeting_date")).annotate(n=Count("pk"))
    )
    committees: dict[int, int] = {}
    years: dict[int, int] = {}
    outcomes: dict[str, int] = {}
    total = 0
    for row in rows:
        n = row["n"]
        total += n
        committees[row["committee_id"]] = committees.get(row["committee_id"], 0) + n
        years[row["year"]] = years.get(row["year"], 0) + n
        outcomes[row["outcome"]] = outcomes.get(row["outcome"], 0) + n
    names = Committee.objects.in_bulk(list(committees)) if committees else {}
    facets = {
        "committee": sorted(
            (FacetValue(names[pk].slug, names[pk].name, n) for pk, n in committees.items()),
            key=lambda f: (-f.count, f.label),
        ),
        "year": [FacetValue(str(y), str(y), n) for y, n in sorted(years.items(), reverse=True)],
        "outcome": sorted(
            (FacetValue(o, str(Outcome(o).label) if o else str(NO_OUTCOME), n) for o, n in outcomes.items()),
            key=lambda f: -f.count,
        ),
    }
    return total, facets


def rough(n: float) -> int:
    """An estimate rounded to two significant digits (94 331 → 94 000), so it does not look exact."""
    if n < 100:
        return round(n)
    digits = 10 ** (len(str(int(n))) - 2)
    return round(n / digits) * digits


def sampled_facet_counts(
    engine: BaseEngine, matched: QuerySet, k: int, sample: tuple, cap: int = CAP
) -> tuple[int, dict[str, list[FacetValue]], bool]:
    """Total and facets estimated from the buckets below k, k grown until the sample holds enough matches.

    `sample` is (total, facets) already counted for k; `cap` is the most matches worth counting exactly (lower for
    queries the database checks row by row). Returns (total, facets, estimated); with every bucket in the sample
    the counts are exact.
    """
    total, facets = sample
    while total < SAMPLE // 4 and k < BUCKETS // 4:
        # Grow towards about SAMPLE matches, but never past a quarter of the archive: counting more costs in
        # proportion to the matches (a mid-frequency word has thousands), and a quarter estimates within a few
        # per cent of a total above CAP.
        k = min(BUCKETS // 4, k * max(2, -(-SAMPLE // max(total, 1))))
        total, facets = facet_counts(engine.sample(matched, k))
    if total * BUCKETS / k <= cap:  # the first, small sample over-projected: few enough to count them all
        total, facets = facet_counts(matched)
        return total, facets, False
    scale = BUCKETS / k
    facets = {
        name: [FacetValue(f.value, f.label, rough(f.count * scale)) for f in values] for name, values in facets.items()
    }
    return rough(total * scale), facets, True


class _BroadPage:
    """The ordered matches of a broad query, sliced by the paginator into one engine call per page."""

    def __init__(self, search: Search, matched: QuerySet, total: int):
        self.search, self.matched, self.total = search, matched, total

    def __len__(self):
        return self.total

    def count(self):
        return self.total

    def __getitem__(self, item):
        return self.search.engine.broad_page(
            self.matched,
            self.search.compiled,
            offset=item.start or 0,
            limit=item.stop - item.start,
            cap=CAP,
            total=self.total,
        )


class Search:
    """One search: the parsed query, the engine of the database's vendor, and the query compiled for it once.

    Make one per request (the page, the CSV export and the feed each do) and ask it for every step: matching,
    ordering, the page of results. The query is compiled on first use (on PostgreSQL: the terms' lexemes, asked
    of the database unless cached, and both tsqueries) and never again for this search.
    """

    def __init__(self, query: ParsedQuery):
        self.query = query
        self.engine = get_engine()

    def __repr__(self):
        return f"<Search {self.query.text!r} on {self.engine.name}>"

    @cached_property
    def compiled(self) -> CompiledQuery:
        """The query in the engine's form (only for a query with something searchable in it)."""
        return self.engine.compile(self.query)

    def matching(self, documents: QuerySet) -> QuerySet:
        """The documents the query matches. No query: all of them; a query with nothing searchable left: none."""
        if self.query.groups:
            return self.engine.match(documents, self.compiled)
        return documents.none() if self.query.text else documents

    def ordered(self, matched: QuerySet, sort: str) -> QuerySet:
        """Matched documents in the requested order (relevance without a query means newest first)."""
        if sort == OLDEST:
            return matched.order_by("meeting_date", "number")
        if sort == RELEVANCE and self.query.groups:
            return self.engine.rank(matched, self.compiled)
        return matched.order_by(*NEWEST_FIRST)

    def results(self, documents: QuerySet, *, sort: str = RELEVANCE, page: int | str = 1) -> SearchResults:
        """Search the (already filtered) documents: facets and total, the requested page in order, with snippets."""
        query, engine = self.query, self.engine
        matched = self.matching(documents)
        # A 1/64 sample first (indexed, so it costs a 64th of counting everything): it tells whether the query is
        # broad, and is the start of the estimate if so.
        k = BUCKETS // 64
        sample = facet_counts(engine.sample(matched, k))
        cap = CHECKED_CAP if query.groups and engine.checks_rows(self.compiled) else CAP
        broad = sample[0] * (BUCKETS // k) > cap
        if broad:
            total, facets, estimated = sampled_facet_counts(engine, matched, k, sample, cap)
        else:
            (total, facets), estimated = facet_counts(matched), False
        matched = matched.for_listing()
        if broad and sort == RELEVANCE and query.groups:
            ordered = _BroadPage(self, matched, total)
        else:
            ordered = self.ordered(matched, sort)
        page_obj = KnownCountPaginator(ordered, PER_PAGE, count=total).get_page(page)
        page_obj.object_list = docs = list(page_obj.object_list)
        if query.groups:
            snippets = engine.snippets(docs, self.compiled)
            for doc in docs:
                doc.snippet = snippets.get(doc.pk, "")
        return SearchResults(query=query, total=total, page=page_obj, facets=facets, estimated=estimated)
