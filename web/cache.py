"""Public pages cached until the archive changes.

The public pages show only published data, which changes only through a service that also moves the archive's
version (`meetings.services.archive_changed`: imports from the web or the command line, publishing, withdrawal
and restoration, the admin's save and delete). A page is cached (Django's cache framework, `CACHES["default"]`:
the database by default, so every worker and management command shares it) under a key made of that version,
today's date (pages list upcoming meetings) and the page's absolute URL. Reading the version is one primary-key
lookup per request, so a change shows on the very next request from every worker, and pages cached under an
older version are never read again (they expire after `PAGE_CACHE_SECONDS`). Each process also keeps its most
recently used entries (`RecentPages`, `PAGE_CACHE_RECENT` of them): same keys, so never stale, and a hit there
skips the round trip to the shared cache.

A cached page is stored with its headers, ETag and Last-Modified included, so ConditionalGetMiddleware answers
If-None-Match / If-Modified-Since with 304 exactly as for a freshly rendered page. Requests carrying a session
or messages cookie (logged-in clerks, someone just logged out) are neither served from nor stored in the cache.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import set_response_etag

from meetings.models import ArchiveVersion

logger = logging.getLogger(__name__)

# URL names (namespace:name, or a namespace alone) whose GET responses are cached; everything else passes through.
CACHED = frozenset({"web", "oparl", "sitemap_index", "sitemap"})
# Within those: pages whose content is not a function of the archive alone (a search is a function of the query
# too: its result sets are unbounded in number and measured uncached).
NOT_CACHED = frozenset({"web:search", "web:members"})
# Access-Control-Allow-Origin: the OParl API must send it on every answer; Content-Security-Policy: a file served
# by the API carries its own (sandbox), which the site's default must not replace on a cached hit.
HEADERS_KEPT = (
    "Content-Type",
    "Content-Disposition",
    "Content-Language",
    "Last-Modified",
    "ETag",
    "Vary",
    "Access-Control-Allow-Origin",
    "Content-Security-Policy",
)


def archive_state(request=None) -> ArchiveVersion:
    """The archive's version for this request: read once (one primary-key lookup) and kept on the request."""
    state = getattr(request, "archive_state", None) if request is not None else None
    if state is None:
        state = ArchiveVersion.current()
        if request is not None:
            request.archive_state = state
    return state


def is_cacheable_request(request) -> bool:
    """A GET or HEAD of a public page by a visitor without a session (anonymous, no pending messages)."""
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or CookieStorage.cookie_name in request.COOKIES:
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    name = match.view_name
    return name not in NOT_CACHED and (name in CACHED or name.split(":", 1)[0] in CACHED)


def page_key(request, state: ArchiveVersion) -> str:
    """The cache key of this page at this version of the archive, today."""
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]
    # The time of the change too: a version number could come round again (a database restored from a backup).
    return f"page:{state.version}.{state.changed_at.timestamp():.6f}:{timezone.localdate().isoformat()}:{url}"


def _is_cacheable_response(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
    )


class PageCacheMiddleware:
    """Serve and store public pages in the cache, keyed by the archive's version (see the module docstring).

    Sits right below ConditionalGetMiddleware, so a cached page is still answered with 304 when it matches, and
    above everything that is only needed to render a page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PAGE_CACHE_SECONDS <= 0 or not is_cacheable_request(request):
            return self.get_response(request)
        key = page_key(request, archive_state(request))
        entry = self._get(key)
        if entry is not None:
            response = HttpResponse(entry["content"], status=entry["status"])
            for name, value in entry["headers"]:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _is_cacheable_response(response):
            if not response.has_header("ETag"):
                set_response_etag(response)  # as ConditionalGetMiddleware would, once, for every later hit
            headers = [(name, response[name]) for name in HEADERS_KEPT if response.has_header(name)]
            headers += [(name, value) for name, value in response.items() if name.lower().startswith("x-")]
            self._set(key, {"status": response.status_code, "content": response.content, "headers": headers})
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _get(key: str):
        entry = _recent.get(key)
        if entry is not None:
            return entry
        try:
            entry = cache.get(key)
        except Exception:  # an unreachable cache must not take the site down: render the page instead
            logger.warning("Page cache unavailable (get)", exc_info=True)
            return None
        if entry is not None:
            _recent.put(key, entry)
        return entry

    @staticmethod
    def _set(key: str, entry: dict) -> None:
        _recent.put(key, entry)
        try:
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("Page cache unavailable (set)", exc_info=True)


class RecentPages:
    """This process's most recently used cache entries, in front of the shared cache.

    The keys carry the archive's version, so an entry here can never be out of date: after a change no request
    asks for its key again, and it ages out. A hit here costs no round trip to the shared cache, only the version's.
    """

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[str, dict] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: dict) -> None:
        if self.size <= 0:
            return
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


_recent = RecentPages(getattr(settings, "PAGE_CACHE_RECENT", 200))
