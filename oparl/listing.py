"""OParl external lists: the request's filters and page, and the `data` / `pagination` / `links` answer.

OParl 1.1 §2.5: every list accepts `created_since`, `created_until`, `modified_since` and `modified_until` (full
date-times), `limit` (a wish, not an order) and, for OParl 1.1 clients, `omit_internal`. Deleted objects are listed
only when `modified_since` is given, so that a client updating its copy learns what to delete.

Timestamps are published to the second, so the filters compare to the second as well: `modified_until=T` includes
everything shown with `modified` T.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
SECOND = dt.timedelta(seconds=1)
# The order of the parameters in the links this API writes (one canonical spelling per list page).
FILTERS = ("created_since", "created_until", "modified_since", "modified_until")


class BadParameter(ValueError):
    """A list parameter the server cannot read; answered with 400 and the message."""


def parse_timestamp(name: str, value: str) -> dt.datetime:
    """A filter value: an RFC 3339 date-time (a bare date means its midnight in Copenhagen).

    A "+" in the offset that a client forgot to encode arrives as a space; it is read as the "+" it was.
    """
    text = value.strip()
    if len(text) > 19 and text[19:].startswith(" "):
        text = text[:19] + "+" + text[20:]
    parsed = None
    try:
        parsed = parse_datetime(text)
        if parsed is None and (day := parse_date(text)) is not None:
            parsed = dt.datetime.combine(day, dt.time())
    except ValueError:
        parsed = None
    if parsed is None:
        raise BadParameter(f"{name}: expected a date-time like 2024-01-31T12:00:00+01:00, got {value!r}")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _positive_int(name: str, value: str | None, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise BadParameter(f"{name}: expected a whole number of at least 1, got {value!r}")
    return number


@dataclass(frozen=True)
class ListParams:
    """What a client asked of a list."""

    created_since: dt.datetime | None = None
    created_until: dt.datetime | None = None
    modified_since: dt.datetime | None = None
    modified_until: dt.datetime | None = None
    limit: int = DEFAULT_LIMIT
    page: int = 1
    omit_internal: bool = False

    @classmethod
    def from_query(cls, query) -> ListParams:
        """Read the parameters of a QueryDict; raises BadParameter."""
        values = {name: parse_timestamp(name, query[name]) for name in FILTERS if query.get(name)}
        return cls(
            **values,
            limit=min(_positive_int("limit", query.get("limit"), DEFAULT_LIMIT), MAX_LIMIT),
            page=_positive_int("page", query.get("page"), 1),
            omit_internal=query.get("omit_internal", "").lower() == "true",
        )

    @property
    def include_deleted(self) -> bool:
        """OParl 1.1: deleted objects are listed only for a client updating its copy (`modified_since`)."""
        return self.modified_since is not None

    def q(self, created: str = "created", modified: str = "modified") -> Q:
        """The date filters as a condition on the fields (or annotations) named `created` and `modified`."""
        condition = Q()
        if self.created_since:
            condition &= Q(**{f"{created}__gte": self.created_since.replace(microsecond=0)})
        if self.created_until:
            condition &= Q(**{f"{created}__lt": self.created_until.replace(microsecond=0) + SECOND})
        if self.modified_since:
            condition &= Q(**{f"{modified}__gte": self.modified_since.replace(microsecond=0)})
        if self.modified_until:
            condition &= Q(**{f"{modified}__lt": self.modified_until.replace(microsecond=0) + SECOND})
        return condition

    def matches(self, created: dt.datetime | None, modified: dt.datetime | None) -> bool:
        """The date filters applied in Python (for lists computed outside the database); None never matches."""
        for since, until, value in (
            (self.created_since, self.created_until, created),
            (self.modified_since, self.modified_until, modified),
        ):
            if since is None and until is None:
                continue
            if value is None:
                return False
            if since is not None and value < since.replace(microsecond=0):
                return False
            if until is not None and value >= until.replace(microsecond=0) + SECOND:
                return False
        return True

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit

    def query_string(self, page: int) -> str:
        """The canonical query string of another page of the same list (filters kept, in a fixed order)."""
        pairs = [(name, getattr(self, name).isoformat()) for name in FILTERS if getattr(self, name) is not None]
        if self.omit_internal:
            pairs.append(("omit_internal", "true"))
        if self.limit != DEFAULT_LIMIT:
            pairs.append(("limit", str(self.limit)))
        if page > 1:
            pairs.append(("page", str(page)))
        return "?" + urlencode(pairs) if pairs else ""


@dataclass
class Page:
    """One page of a list: the rows on it and what is needed to describe the whole list."""

    rows: Sequence
    total: int
    params: ListParams
    data: list = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.params.limit))

    def exists(self) -> bool:
        return self.params.page <= self.pages

    def body(self, list_url: str) -> dict:
        """The list page as OParl writes it: `data`, `pagination` and `links` (`next` on every page but the last)."""
        params, current = self.params, self.params.page
        links = {"first": list_url + params.query_string(1)}
        if current > 1:
            links["prev"] = list_url + params.query_string(current - 1)
        links["self"] = list_url + params.query_string(current)
        if current < self.pages:
            links["next"] = list_url + params.query_string(current + 1)
        links["last"] = list_url + params.query_string(self.pages)
        return {
            "data": self.data,
            "pagination": {
                "totalElements": self.total,
                "elementsPerPage": params.limit,
                "currentPage": current,
                "totalPages": self.pages,
            },
            "links": links,
        }


def paginate_list(rows: Sequence, params: ListParams) -> Page:
    """A page of rows already filtered and ordered in Python."""
    return Page(rows=rows[params.offset : params.offset + params.limit], total=len(rows), params=params)


def paginate_queryset(queryset, params: ListParams) -> Page:
    """A page of a filtered, ordered queryset: one COUNT and one page query."""
    total = queryset.count()
    return Page(rows=list(queryset[params.offset : params.offset + params.limit]), total=total, params=params)
