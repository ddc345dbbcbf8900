"""Attachment documents: text extraction, safe HTML rendering, and matching to the archive's bilag."""

from __future__ import annotations

import hashlib
import html
import io
import re
from dataclasses import dataclass
from pathlib import Path

import markdown
import nh3
from django.db import transaction

from cases.models import Attachment, AttachmentDocument
from importer.decode import decode
from importer.linking import best_attachment
from importer.records import ProtocolError
from search.index import index_cases

CONTENT_TYPES = {".md": "text/markdown", ".txt": "text/plain", ".pdf": "application/pdf"}
_ALLOWED_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "strong", "em", "b", "i", "blockquote"}
_ALLOWED_TAGS |= {"table", "thead", "tbody", "tr", "th", "td", "br", "hr", "code", "pre", "a"}


class AttachmentError(ValueError):
    """A document that cannot be read (wrong kind, empty, unreadable)."""


@dataclass
class AttachmentResult:
    document: AttachmentDocument
    created: bool
    attachment: Attachment | None


def extract(content: bytes, filename: str) -> tuple[str, str, str, str]:
    """Return (content_type, title, plain text, sanitised HTML) for a .md, .txt or .pdf document."""
    suffix = Path(filename).suffix.lower()
    if suffix not in CONTENT_TYPES:
        raise AttachmentError(f"{filename}: unsupported file type {suffix or '(none)'}; expected .md, .txt or .pdf")
    if suffix == ".pdf":
        text = _pdf_text(content, filename)
        return CONTENT_TYPES[suffix], _first_line(text), text, _paragraphs_html(text)
    try:
        text, _ = decode(content)
    except ProtocolError as exc:
        raise AttachmentError(f"{filename}: {exc.message}") from exc
    if suffix == ".md":
        rendered = markdown.markdown(text, extensions=["tables", "sane_lists"])
        safe = nh3.clean(
            rendered, tags=_ALLOWED_TAGS, attributes={"a": {"href", "title"}}, url_schemes={"http", "https", "mailto"}
        )
        plain = re.sub(r"\s+\n", "\n", nh3.clean(rendered, tags=set())).strip()
        return CONTENT_TYPES[suffix], _markdown_title(text), html.unescape(plain), safe
    return CONTENT_TYPES[suffix], _first_line(text), text.strip(), _paragraphs_html(text)


def _pdf_text(content: bytes, filename: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content))
        text = "\n\n".join((page.extract_text() or "").strip() for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise AttachmentError(f"{filename}: not a readable PDF ({exc})") from exc
    if not text.strip():
        raise AttachmentError(f"{filename}: the PDF has no extractable text")
    return text.strip()


def _markdown_title(text: str) -> str:
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            return line.lstrip("# ").strip()
    return _first_line(text)


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")[:500]


def _paragraphs_html(text: str) -> str:
    """Plain text as escaped paragraphs: blank lines separate paragraphs, single newlines become <br>."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "\n".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)


@transaction.atomic
def attachment_import(*, content: bytes, filename: str) -> AttachmentResult:
    """Store an attachment document (once per content hash) and link it to the bilag it fits best, if any."""
    safe_name = Path(filename).name[:255]
    content_type, title, text, rendered = extract(content, safe_name)
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
    if linked is None:
        candidates = Attachment.objects.filter(document__isnull=True).select_related("case__meeting")
        linked = best_attachment(document, candidates)
        if linked:
            linked.document = document
            linked.save(update_fields=["document"])
            index_cases([linked.case_id])
    return AttachmentResult(document=document, created=created, attachment=linked)
