"""Refuse request bodies larger than their URL allows, before any of it is read (413).

Django reads a whole request body (spooling files to disk) as soon as anything touches `request.POST` — the CSRF
check does, before any view can refuse the request. This middleware looks only at the Content-Length header, so
an anonymous 300 MB POST costs nothing but the headers. A body without a Content-Length (chunked) is never read by
Django's WSGI handler at all, so it needs no check.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import Resolver404, resolve

from publishing.views import PUBLISH_PERMISSION, upload_too_large, upload_unreadable


def _content_length(request) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def _view_name(request) -> str:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""


def _is_clerk(request) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.has_perm(PUBLISH_PERMISSION)


def body_limit(request, view_name: str) -> int:
    """The largest body this request may carry: an upload by a clerk, the admin for staff, else small."""
    if view_name == "publishing:upload" and _is_clerk(request):
        return settings.UPLOAD_MAX_REQUEST_BYTES
    user = getattr(request, "user", None)
    if view_name.startswith("admin:") and user is not None and user.is_active and user.is_staff:
        return settings.ADMIN_MAX_REQUEST_BYTES
    return settings.REQUEST_MAX_BYTES


class RequestBodyLimitMiddleware:
    """413 for a Content-Length above `body_limit`; must come after AuthenticationMiddleware and before CSRF's
    view check reads the body (it is placed right after AuthenticationMiddleware in settings.MIDDLEWARE).

    A clerk's upload is also read here, so that files Django refuses to read (too many, a part header too long
    for its file name) get the upload form with a Danish reason rather than a bare "Bad Request".
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = _content_length(request)
        if length:
            view_name = _view_name(request)
            # Only a body above the small limit needs the user (a session lookup) to decide.
            if length > settings.REQUEST_MAX_BYTES:
                limit = body_limit(request, view_name)
                if length > limit:
                    return self.refuse(request, length, limit)
            if view_name == "publishing:upload" and request.method == "POST" and _is_clerk(request):
                try:
                    request.POST, request.FILES  # noqa: B018 - parsing is the point
                except (MultiPartParserError, SuspiciousOperation) as exc:
                    return upload_unreadable(request, exc)
        return self.get_response(request)

    def refuse(self, request, length: int, limit: int):
        if limit == settings.UPLOAD_MAX_REQUEST_BYTES and _view_name(request) == "publishing:upload":
            return upload_too_large(request, length=length, limit=limit)
        # No "Connection: close" (WSGI forbids hop-by-hop headers): the servers discard the unread body themselves
        # before reading a next request on the connection, without storing it.
        return render(request, "413.html", {"limit": limit}, status=413)
