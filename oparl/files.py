"""The archive's files as OParl serves them: checksums, content types and the access/download responses.

Two kinds of file: "protocol" (a meeting's protocol exactly as imported, `SourceDocument`) and "document" (an
attachment document, `AttachmentDocument`). Both keep their bytes in the database with a SHA-256; OParl asks for
SHA-512, which depends on the bytes only, so each process computes it once per SHA-256 and remembers it.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.http import content_disposition_header, http_date

from cases.models import AttachmentDocument
from meetings.models import SourceDocument

PROTOCOL = "protocol"
DOCUMENT = "document"
MODELS = {PROTOCOL: SourceDocument, DOCUMENT: AttachmentDocument}
# SHA-256 → SHA-512 of the files this process has hashed: a checksum never changes for the same bytes. Kept in
# memory rather than in Django's cache, which may be the database: a page of files then costs no extra query.
_KNOWN: dict[str, str] = {}
_KNOWN_MAX = 200_000  # about 40 MB of hex digests at most
# What a browser may show in place. Anything else is sent as a download, so no uploaded file can run as a page of
# this site; the importer only accepts these today, the list is the second line of defence.
INLINE_TYPES = {"text/plain", "text/markdown", "application/pdf"}
# Python codec names → the charset names browsers know.
_CHARSETS = {"cp1252": "windows-1252", "utf-8-sig": "utf-8", "latin-1": "iso-8859-1", "iso8859-1": "iso-8859-1"}


class Checksums:
    """SHA-512 of many files at once: those this process hashed before cost nothing, the rest one query together."""

    def __init__(self):
        self._by_sha256: dict[str, str] = {}

    def fill(self, files: Iterable[tuple[str, int, str]]) -> None:
        """Make the checksums of these (kind, pk, sha256) available to `sha512`."""
        wanted = {sha256: (kind, pk) for kind, pk, sha256 in files if sha256 not in self._by_sha256}
        for sha256 in list(wanted):
            if sha256 in _KNOWN:
                self._by_sha256[sha256] = _KNOWN[sha256]
                del wanted[sha256]
        if not wanted:
            return
        by_kind = {kind: [pk for k, pk in wanted.values() if k == kind] for kind in MODELS}
        # One query for every missing file (UNION ALL of both kinds), read a few rows at a time: attachment
        # documents can be megabytes each.
        contents = [
            model.objects.filter(pk__in=by_kind[kind]).order_by().values_list("sha256", "content")
            for kind, model in MODELS.items()
            if by_kind[kind]
        ]
        if len(_KNOWN) > _KNOWN_MAX:
            _KNOWN.clear()
        for sha256, content in contents[0].union(*contents[1:], all=True).iterator(chunk_size=20):
            self._by_sha256[sha256] = _KNOWN[sha256] = hashlib.sha512(bytes(content)).hexdigest()

    def sha512(self, sha256: str) -> str | None:
        return self._by_sha256.get(sha256)


def charset(encoding: str) -> str:
    """The charset name for a Python codec name ("cp1252" → "windows-1252")."""
    try:
        name = codecs.lookup(encoding or "utf-8").name
    except LookupError:
        return "utf-8"
    return _CHARSETS.get(name, name)


def guess_text_charset(content: bytes) -> str:
    """UTF-8 if the bytes are UTF-8, else Windows-1252 (what Danish office software writes)."""
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return "windows-1252"
    return "utf-8"


def file_response(
    content: bytes, *, content_type: str, filename: str, download: bool, sha256: str, modified
) -> HttpResponse:
    """The bytes of a file, in place (accessUrl) or as a download (downloadUrl, OParl 1.1 §2.7).

    Only the download carries `Content-Disposition: attachment` with the file name, as OParl requires; a type
    browsers should not render here is always a download. The ETag is the content's SHA-256.
    """
    base_type = content_type.split(";")[0].strip().lower()
    as_attachment = download or base_type not in INLINE_TYPES
    response = HttpResponse(
        content, content_type=content_type if base_type in INLINE_TYPES else "application/octet-stream"
    )
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    response["Content-Length"] = str(len(content))
    response["ETag"] = f'"{sha256}"'
    response["Last-Modified"] = http_date(modified.timestamp())
    # A file is data, never a page of this site: no scripts, no plugins, whatever a browser makes of it.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response
