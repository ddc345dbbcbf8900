"""Read replicas: the public site's anonymous reads of the archive go to a replica, everything else to the primary.

`DATABASE_REPLICA_URLS` (settings) names PostgreSQL streaming replicas of the primary as aliases `replica1`, …
`PublicReadsMiddleware` picks one replica for an anonymous GET or HEAD request (no session cookie: not a clerk,
not the admin) and `ReplicaRouter` sends that request's reads of the archive's apps there. Writes always go to
the primary, and so does every read made inside a transaction on it (an import compares and writes in one), by a
logged-in user, or outside a public request (management commands, the background worker, the shell).

A replica replays the primary's commits a moment later: the version of the archive that the page cache keys on
(`meetings.ArchiveVersion`) is an archive model too, read from the same replica as the page, so a page and its
key always agree; a change shows once the replica has it (normally within milliseconds).
"""

from __future__ import annotations

import random
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

# The models whose reads may be served by a replica: the published archive and its search index.
ARCHIVE_APPS = frozenset({"meetings", "cases", "search", "oparl"})

_replica: ContextVar[str | None] = ContextVar("replica", default=None)


def public_reads_from(alias: str | None):
    """Send this context's anonymous archive reads to `alias` (None: the primary); returns a token for `reset`."""
    return _replica.set(alias)


def reset(token) -> None:
    _replica.reset(token)


class ReplicaRouter:
    """Archive reads of a public request to its replica; all writes, and all other reads, to the primary."""

    def db_for_read(self, model, **hints):
        alias = _replica.get()
        if alias is None or model._meta.app_label not in ARCHIVE_APPS:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:  # read-your-writes inside a transaction
            return DEFAULT_DB_ALIAS
        return alias

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias is the same database

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # replicas follow the primary's schema by replication


class PublicReadsMiddleware:
    """Route an anonymous GET/HEAD request's archive reads to one replica (chosen at random per request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        replicas = settings.DATABASE_REPLICAS
        if not replicas or request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return self.get_response(request)
        token = public_reads_from(random.choice(replicas))
        try:
            return self.get_response(request)
        finally:
            reset(token)
