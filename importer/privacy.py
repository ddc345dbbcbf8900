"""Personal data at import: CPR numbers found with their line and case, and masked in what the archive keeps.

`importer.personal_data` finds and masks (pure Python); this module applies it to what the importer writes: the
parsed protocol (cases, sections, decisions … and so the search index), the original text kept as the meeting's
SourceDocument, and attachment documents. The mask comes from the `CPR_MASK` setting. A number a clerk confirms as
not personal (`not_personal`, ten digits each) is left as it is.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from importer import personal_data
from importer import records as r
from importer.attachments import Extraction
from importer.decode import decode, known_codec, normalise


@dataclass(frozen=True)
class Finding:
    """A CPR number found in an upload: in the protocol (`document` "") or in the attachment named `document`.

    `line` is 1-based in the protocol (the parser's numbering) or the document's text, and 0 for a number in the
    file's name (`in_filename`); `case` is the protocol case it stands in (None: the protocol's header, the file
    name, or an attachment).
    """

    number: str
    written: str
    line: int
    case: int | None = None
    document: str = ""

    @property
    def display(self) -> str:
        return f"{self.number[:6]}-{self.number[6:]}"

    @property
    def in_filename(self) -> bool:
        return self.line == 0

    def to_json(self) -> dict:
        return {"number": self.number, "written": self.written, "line": self.line, "case": self.case,
                "document": self.document}  # fmt: skip

    @classmethod
    def from_json(cls, data: dict) -> Finding:
        return cls(data["number"], data["written"], data["line"], data.get("case"), data.get("document", ""))


def cpr_mask() -> str:
    """The configured mask template (`CPR_MASK`), checked."""
    mask = getattr(settings, "CPR_MASK", personal_data.DEFAULT_MASK)
    try:
        return personal_data.check_mask(mask)
    except ValueError as exc:
        raise ImproperlyConfigured(f"CPR_MASK: {exc}") from exc


def protocol_findings(content: bytes, protocol: r.Protocol) -> list[Finding]:
    """Every CPR number in a protocol file, with its line (as the parser numbers them) and case."""
    # The text exactly as the parser saw it (decode's checks already passed when `protocol` was parsed).
    text = normalise(content.decode(known_codec(protocol.encoding), errors="replace"))
    cases = sorted(protocol.cases, key=lambda c: c.line)
    starts = [c.line for c in cases]
    findings = []
    for hit in personal_data.find_cpr(text):
        # A case's title stands on the line before its "Sag nr." line, which is where the record starts.
        index = bisect.bisect_right(starts, hit.line + 1) - 1
        findings.append(Finding(hit.number, hit.written, hit.line, cases[index].number if index >= 0 else None))
    return findings


def document_findings(content: bytes, extraction: Extraction, filename: str) -> list[Finding]:
    """Every CPR number in an attachment document, with its line in the file (in a PDF: in its extracted text)."""
    text = extraction.text if extraction.content_type == "application/pdf" else decode(content)[0]
    return [Finding(h.number, h.written, h.line, None, filename) for h in personal_data.find_cpr(text)]


def _filename_parts(filename: str) -> list[str]:
    # "_" is a word character, so "notat_010190-1234.pdf" would hide the number from CPR_PATTERN's boundaries;
    # in a file name it separates words, so each part between underscores is searched on its own.
    return filename.split("_")


def filename_findings(filename: str, document: str = "") -> list[Finding]:
    """Every CPR number in a file's name (line 0): the protocol's (`document` "") or the attachment `document`'s.

    File names are public too: the archive shows an attachment's ("Læs bilaget (…)") and OParl gives both.
    """
    return [
        Finding(hit.number, hit.written, 0, None, document)
        for part in _filename_parts(filename)
        for hit in personal_data.find_cpr(part)
    ]


def mask_filename(filename: str, *, not_personal: Collection[str] = ()) -> str:
    """The file name with every CPR number masked as in the text, except those in `not_personal`."""
    mask = cpr_mask()
    return "_".join(personal_data.mask_cpr(part, mask=mask, keep=not_personal) for part in _filename_parts(filename))


def mask_protocol(protocol: r.Protocol, *, not_personal: Collection[str] = ()) -> r.Protocol:
    """The protocol with every CPR number in its text masked, except those in `not_personal`."""
    mask = cpr_mask()
    return personal_data.map_strings(protocol, lambda s: personal_data.mask_cpr(s, mask=mask, keep=not_personal))


def mask_content(content: bytes, encoding: str, *, not_personal: Collection[str] = ()) -> bytes:
    """The file's bytes with every CPR number masked, in the file's own encoding; the same bytes if none is.

    Masks the decoded text as it is (line ends and all), so the kept original stays verbatim apart from the
    masks. A number that only shows after normalising (a zero-width character inside it, say) cannot be masked
    in place: then the normalised text is kept instead, as UTF-8, so that no CPR number survives either way.
    """
    mask = cpr_mask()
    codec = known_codec(encoding)
    text = content.decode(codec, errors="replace")
    masked = personal_data.mask_cpr(text, mask=mask, keep=not_personal)
    left = {hit.number for hit in personal_data.find_cpr(normalise(masked))} - set(not_personal)
    if left:
        return personal_data.mask_cpr(normalise(text), mask=mask, keep=not_personal).encode("utf-8")
    if masked is text:
        return content
    return masked.encode(codec, errors="replace")


def mask_extraction(
    content: bytes, extraction: Extraction, *, not_personal: Collection[str] = ()
) -> tuple[bytes, Extraction]:
    """An attachment document's bytes and extracted text/HTML with CPR numbers masked.

    Text documents are masked in their own bytes. A PDF cannot be masked in place: when it holds a number to mask,
    the archive keeps its extracted, masked text as a plain-text document instead of the PDF (the clerk's upload
    keeps the PDF itself until it is purged).
    """
    mask = cpr_mask()

    def hide(text: str) -> str:
        return personal_data.mask_cpr(text, mask=mask, keep=not_personal)

    masked = Extraction(extraction.content_type, hide(extraction.title), hide(extraction.text), hide(extraction.html))
    if masked == extraction:
        return content, extraction
    if extraction.content_type == "application/pdf":
        return masked.text.encode("utf-8"), masked._replace(content_type="text/plain")
    encoding = decode(content)[1]
    return mask_content(content, encoding, not_personal=not_personal), masked
