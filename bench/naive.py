"""The benchmark's baseline engine: substring matching of the stems, no index, no ranking.

Not production code: only bench/search.py uses it, by handing it to the search page in place of the engine the
database's vendor gets (`baseline()`), so the timed page is the same code with only the text match swapped.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import reduce
from operator import and_, or_
from unittest import mock

from django.db.models import Q

from search.backends.base import BaseEngine
from search.query import Term

COLUMNS = ("title", "text_b", "text_c", "text_d")


class NaiveEngine(BaseEngine):
    """`icontains` on each stem over title, decision, sections and attachments; newest first."""

    name = "naive"

    @staticmethod
    def _contains(term: Term) -> Q:
        # A phrase is approximated by all its words; this engine exists to be timed, not to be right.
        return reduce(and_, (reduce(or_, (Q(**{f"{c}__icontains": s}) for c in COLUMNS)) for s in term.stems))

    def match(self, documents, compiled):
        groups = []
        for group in compiled.parsed.groups:
            condition = Q()
            for term in group:
                condition &= ~self._contains(term) if term.negated else self._contains(term)
            groups.append(condition)
        return documents.filter(reduce(or_, groups))


@contextmanager
def baseline():
    """Searches made inside use the naive engine (the index is untouched: it is only read here)."""
    # search.services looks the engine up once per Search; this replaces that one lookup.
    with mock.patch("search.services.get_engine", NaiveEngine):
        yield
