"""The lists whose rows depend on whole matters: papers (one per matter) and consultations (one per case).

A paper's times are its matter's: created with its first case's meeting, modified whenever any of its cases
changes (a new case joining the matter is such a change). Both lists are therefore computed in Python from every
case's times (`queries.case_times`) and the matter links (`matters.load_matters`): five queries in all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from oparl.listing import ListParams
from oparl.matters import Matters, load_matters
from oparl.queries import CaseTimes, case_times


@dataclass(frozen=True)
class Row:
    """One list entry: the case that names it, its times, and whether it is shown as deleted."""

    case_id: int
    created: dt.datetime
    modified: dt.datetime
    deleted: bool


def matter_times(matters: Matters, times: dict[int, CaseTimes]) -> dict[int, tuple[dt.datetime, dt.datetime]]:
    """(created, modified) of every matter with a published case, by the id of its first case."""
    spans: dict[int, tuple[dt.datetime, dt.datetime]] = {}
    for case_id, t in times.items():
        if not t.is_public:
            continue
        root = matters.root_of(case_id)
        created, modified = spans.get(root, (t.created, t.modified))
        spans[root] = (min(created, t.created), max(modified, t.modified))
    return spans


@dataclass
class MatterIndex:
    """Every case's times and matter, read once for a list request."""

    matters: Matters
    times: dict[int, CaseTimes]
    spans: dict[int, tuple[dt.datetime, dt.datetime]]

    @classmethod
    def load(cls, *, include_withdrawn: bool) -> MatterIndex:
        matters = load_matters()
        times = case_times(include_withdrawn=include_withdrawn)
        return cls(matters, times, matter_times(matters, times))

    def paper_rows(self, params: ListParams) -> list[Row]:
        """Papers: the first case of each matter. With `modified_since`, also the deleted ones: cases of withdrawn
        meetings and cases that no longer start a matter of their own (a paper merged into an earlier one)."""
        rows = []
        for case_id in sorted(self.times):
            t = self.times[case_id]
            if t.is_public and self.matters.is_root(case_id):
                created, modified = self.spans[case_id]
                row = Row(case_id, created, modified, deleted=False)
            elif params.include_deleted:
                modified = self.spans[self.matters.root_of(case_id)][1] if t.is_public else t.modified
                row = Row(case_id, t.created, modified, deleted=True)
            else:
                continue
            if params.matches(row.created, row.modified):
                rows.append(row)
        return rows

    def consultation_rows(self, params: ListParams) -> list[Row]:
        """Consultations: every published case, modified with its matter (its paper can change). With
        `modified_since`, also those of withdrawn meetings, as deleted (modified when their meeting was withdrawn).
        """
        rows = []
        for case_id in sorted(self.times):
            t = self.times[case_id]
            if t.is_public:
                row = Row(case_id, t.created, self.spans[self.matters.root_of(case_id)][1], deleted=False)
            elif params.include_deleted:
                row = Row(case_id, t.created, t.modified, deleted=True)
            else:
                continue
            if params.matches(row.created, row.modified):
                rows.append(row)
        return rows
