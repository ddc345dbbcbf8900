"""Turn uploaded protocol bytes into clean text: detect the encoding, refuse non-text, normalise characters.

Clerks upload what their tools export: UTF-8 (with or without a byte-order mark), Windows-1252 from older Word
installations, CRLF line endings, no-break spaces pasted from web pages. Everything downstream works on the one
normal form produced here.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from importer.records import ErrorCode, ProtocolError

# Above this share of control characters the "text" is almost certainly a binary file decoded by accident.
_MAX_CONTROL_SHARE = 0.05

# Characters that act as spaces in exports but are not U+0020.
_ODD_SPACES = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Invisible characters that only break word matching (zero-width space/joiners, a stray BOM inside the text).
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_LINE_BREAKS = re.compile("\r\n|\r|\u2028|\u2029|\x85")
# Control characters other than the newline, left over after the replacements above.
_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def known_codec(encoding: str) -> str:
    """The encoding recorded with a protocol if Python knows it, else UTF-8 (a stored parse from elsewhere)."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        return "utf-8"
    return encoding


def decode(data: bytes) -> tuple[str, str]:
    """Decode protocol bytes and normalise them; return `(text, encoding)`.

    Accepts UTF-8, UTF-8 with BOM, UTF-16 with BOM and Windows-1252 (tried when UTF-8 fails). The text comes back
    normalised by `normalise`. Raises `ProtocolError` (line 0) for empty, whitespace-only or binary input.
    """
    if not data:
        raise ProtocolError(ErrorCode.EMPTY, "the file is empty")
    text, encoding = _decode_bytes(data)
    if _looks_binary(text):
        raise ProtocolError(ErrorCode.NOT_TEXT, "the file is not text (it looks like a binary file)")
    text = normalise(text)
    if not text.strip():
        raise ProtocolError(ErrorCode.BLANK, "the file holds only whitespace")
    return text, encoding


def normalise(text: str) -> str:
    """Normalise decoded text: LF line ends, plain spaces, NFC, no trailing spaces, no control characters."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    text = _ODD_SPACES.sub(" ", text)
    text = _CONTROLS.sub(" ", text)
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _decode_bytes(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16"), "utf-16"
    if b"\x00" in data:
        raise ProtocolError(ErrorCode.NOT_TEXT, "the file is not text (it contains NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("windows-1252"), "windows-1252"
    except UnicodeDecodeError:
        # Five bytes are undefined in Windows-1252; Latin-1 maps them to C1 controls, which the binary check counts.
        return data.decode("iso-8859-1"), "iso-8859-1"


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ProtocolError(
            ErrorCode.BAD_ENCODING, f"the file claims to be {encoding} but is not valid {encoding}"
        ) from exc


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    controls = sum(1 for ch in text if ch not in "\n\r\t\f" and unicodedata.category(ch) == "Cc")
    return controls > _MAX_CONTROL_SHARE * len(text)
