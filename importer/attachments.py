"""Attachment documents: text extraction, safe HTML rendering, and matching to the archive's bilag."""

from __future__ import annotations

import hashlib
import html
import io
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

import markdown
import nh3
from django.db import transaction

from cases.models import Attachment, AttachmentDocument
from importer.decode import decode
from importer.linking import best_attachment
from importer.records import ProtocolError
from meetings.services import archive_changed
from search.index import index_cases

CONTENT_TYPES = {".md": "text/markdown", ".txt": "text/plain", ".pdf": "application/pdf"}
_ALLOWED_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "strong", "em", "b", "i", "blockquote"}
_ALLOWED_TAGS |= {"table", "thead", "tbody", "tr", "th", "td", "br", "hr", "code", "pre", "a"}


class AttachmentErrorCode(StrEnum):
    UNSUPPORTED_TYPE = "unsupported-type"
    NOT_TEXT = "not-text"  # empty, blank, binary or wrongly encoded .md/.txt
    UNREADABLE_PDF = "unreadable-pdf"
    NO_PDF_TEXT = "no-pdf-text"  # a PDF of scanned pages, say


class AttachmentError(ValueError):
    """A document that cannot be read; `code` says why, `filename` which, the message is English detail."""

    def __init__(self, code: AttachmentErrorCode, filename: str, message: str):
        super().__init__(f"{filename}: {message}")
        self.code = AttachmentErrorCode(code)
        self.filename = filename


@dataclass
class AttachmentResult:
    document: AttachmentDocument
    created: bool
    attachment: Attachment | None


class Extraction(NamedTuple):
    """What `extract` reads from a document; kept with an upload so publishing need not read the file again."""

    content_type: str
    title: str
    text: str
    html: str  # sanitised


def extract(content: bytes, filename: str) -> Extraction:
    """Read a .md, .txt or .pdf document: its content type, title, plain text and sanitised HTML."""
    suffix = Path(filename).suffix.lower()
    if suffix not in CONTENT_TYPES:
        raise AttachmentError(
            AttachmentErrorCode.UNSUPPORTED_TYPE,
            filename,
            f"unsupported file type {suffix or '(none)'}; expected .md, .txt or .pdf",
        )
    if suffix == ".pdf":
        text = _pdf_text(content, filename)
        return Extraction(CONTENT_TYPES[suffix], _first_line(text), text, _paragraphs_html(text))
    try:
        text, _ = decode(content)
    except ProtocolError as exc:
        raise AttachmentError(AttachmentErrorCode.NOT_TEXT, filename, exc.message) from exc
    if suffix == ".md":
        rendered = markdown.markdown(text, extensions=["tables", "sane_lists"])
        safe = nh3.clean(
            rendered, tags=_ALLOWED_TAGS, attributes={"a": {"href", "title"}}, url_schemes={"http", "https", "mailto"}
        )
        plain = re.sub(r"\s+\n", "\n", nh3.clean(rendered, tags=set())).strip()
        return Extraction(CONTENT_TYPES[suffix], _markdown_title(text), html.unescape(plain), safe)
    return Extraction(CONTENT_TYPES[suffix], _first_line(text), text.strip(), _paragraphs_html(text))


def _pdf_text(content: bytes, filename: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content))
        text = "\n\n".join((page.extract_text() or "").strip() for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise AttachmentError(AttachmentErrorCode.UNREADABLE_PDF, filename, f"not a readable PDF ({exc})") from exc
    if not text.strip():
        raise AttachmentError(AttachmentErrorCode.NO_PDF_TEXT, filename, "the PDF has no extractable text")
    return text.strip()


def _markdown_title(text: str) -> str:
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            return line.lstrip("# ").strip()[:500]  # AttachmentDocument.title's length
    return _first_line(text)


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")[:500]


def _paragraphs_html(text: str) -> str:
    """Plain text as escaped paragraphs: blank lines separate paragraphs, single newlines become <br>."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "\n".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)


@transaction.atomic
def attachment_import(*, content: bytes, filename: str, extraction: Extraction | None = None) -> AttachmentResult:
    """Store an attachment document (once per content hash) and link it to the bilag it fits best, if any.

    `extraction` is what `extract` read from these bytes earlier (the upload keeps it); without it the document is
    read here. Raises `AttachmentError` for a document that cannot be read.
    """
    safe_name = Path(filename).name[:255]
    content_type, title, text, rendered = extraction or extract(content, safe_name)
    digest = hashlib.sha256(content).hexdigest()
    document, created = AttachmentDocument.objects.get_or_create(
        sha256=digest,
        defaults={
            "filename": safe_name,
            "title": title,
            "content": content,
            "content_type": content_type,
            "text": text,
            "html": rendered,
        },
    )
    linked = document.attachments.first()
    changed = created
    if linked is None:
        candidates = Attachment.objects.filter(document__isnull=True).select_related("case__meeting")
        linked = best_attachment(document, candidates)
        if linked:
            linked.document = document
            linked.save(update_fields=["document"])
            index_cases([linked.case_id])
            changed = True
    if changed:
        archive_changed()  # case pages show the document: replace their cached copies
    return AttachmentResult(document=document, created=created, attachment=linked)
