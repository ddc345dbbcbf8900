"""Matters: the cases that are one matter treated by several bodies (TMU → ØU → KB).

Two kinds of link tie cases together, both made by the importer:

- the decision trail: a later case quotes an earlier body's decision (`CaseStep.earlier_case`);
- a citation in the case number: Kommunalbestyrelsen's "Sag nr. 104 (ØU 138/07)" is Økonomiudvalget's sag 138 of
  2007 (`Case.reference`, resolved as `CaseQuerySet.cited_by` does).

A matter is a connected group of published cases under these links; a case with no link is a matter of its own.
Its first case (earliest meeting date, then lowest id) names it: the OParl `Paper` of the matter is identified by
that case, and every case of the matter is one `Consultation`. Only published cases take part, so withdrawing a
meeting can split a matter or give it another first case.

The links are read in three queries whatever the archive's size, returning only linked cases.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from cases.models import Case, CaseStep, Reference
from meetings.models import Committee, published_q

# A case's place in time: its meeting date, then its id (ids grow with imports, so ties stay stable).
Key = tuple[dt.date, int]


@dataclass(frozen=True)
class Matters:
    """Which cases belong together. Cases that are linked to nothing are not stored: each is its own matter."""

    _root: dict[int, int] = field(default_factory=dict)
    _cases: dict[int, tuple[int, ...]] = field(default_factory=dict)

    def root_of(self, case_id: int) -> int:
        """The id of the first case of the matter `case_id` belongs to (the case itself when it is unlinked)."""
        return self._root.get(case_id, case_id)

    def cases_of(self, case_id: int) -> tuple[int, ...]:
        """Every case of the matter `case_id` belongs to, in the order they were treated."""
        return self._cases.get(self.root_of(case_id), (case_id,))

    def is_root(self, case_id: int) -> bool:
        return self.root_of(case_id) == case_id

    def linked(self) -> Iterable[tuple[int, tuple[int, ...]]]:
        """(first case id, case ids) of every matter of more than one case."""
        return self._cases.items()


def _step_links() -> list[tuple[Key, Key]]:
    rows = (
        CaseStep.objects.published()
        # `earlier_case` set and published (the rule alone would also match a step with no earlier case).
        .filter(published_q("earlier_case__meeting__"), earlier_case__isnull=False)
        .values_list("case_id", "case__meeting__date", "earlier_case_id", "earlier_case__meeting__date")
    )
    return [((later_date, later), (earlier_date, earlier)) for later, later_date, earlier, earlier_date in rows]


def _citation_links(today_year: int) -> list[tuple[Key, Key]]:
    citing = {}
    for case_id, date, text in (
        Case.objects.published().exclude(reference="").values_list("id", "meeting__date", "reference")
    ):
        reference = Reference.parse(text, today_year=today_year)
        if reference is not None:
            citing[(date, case_id)] = reference
    if not citing:
        return []
    codes = {code.casefold(): pk for pk, code in Committee.objects.exclude(code="").values_list("id", "code")}
    wanted = {(codes.get(r.code.casefold()), r.number, r.year) for r in citing.values()}
    wanted = {w for w in wanted if w[0] is not None}
    if not wanted:
        return []
    found: dict[tuple[int, int, int], Key] = {}
    candidates = (
        Case.objects.published()
        .filter(
            meeting__committee_id__in={w[0] for w in wanted},
            number__in={w[1] for w in wanted},
            meeting__date__year__in={w[2] for w in wanted},
        )
        # Newest first, so that the oldest match is written last and wins, as `cited_by(...).first()` would pick.
        .order_by("-meeting_id", "-number")
        .values_list("id", "meeting__date", "meeting__committee_id", "number")
    )
    for case_id, date, committee_id, number in candidates:
        found[(committee_id, number, date.year)] = (date, case_id)
    links = []
    for key, reference in citing.items():
        cited = found.get((codes.get(reference.code.casefold()), reference.number, reference.year))
        if cited is not None and cited != key:
            links.append((key, cited))
    return links


def load_matters(*, today_year: int | None = None) -> Matters:
    """The archive's matters, read from the decision trails and the citations of published cases."""
    today_year = today_year or timezone.localdate().year
    parent: dict[Key, Key] = {}

    def find(key: Key) -> Key:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for a, b in [*_step_links(), *_citation_links(today_year)]:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            # The earlier key stays the root, so a matter is always named by its first case.
            parent[max(root_a, root_b)] = min(root_a, root_b)
    members: dict[Key, list[Key]] = defaultdict(list)
    for key in list(parent):
        members[find(key)].append(key)
    root: dict[int, int] = {}
    cases: dict[int, tuple[int, ...]] = {}
    for root_key, keys in members.items():
        ordered = tuple(case_id for _, case_id in sorted(keys))
        cases[root_key[1]] = ordered
        for case_id in ordered:
            root[case_id] = root_key[1]
    return Matters(root, cases)
