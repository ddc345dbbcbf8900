"""Danish texts by code: every protocol error, parser warning and attachment error has one, and the parser and the
attachment reader set the codes where they fail or warn — shown on the real 2020-08-11 protocol, broken each way."""

import pytest

from importer.attachments import AttachmentError, AttachmentErrorCode, extract
from importer.messages import (
    ATTACHMENT_ERROR_MESSAGES,
    ERROR_MESSAGES,
    WARNING_MESSAGES,
    attachment_error_text,
    error_text,
    warning_text,
)
from importer.parse import parse_protocol
from importer.records import ErrorCode, ProtocolError, WarningCode
from tests.conftest import PROTOCOLS
from tests.factories import minimal_pdf

REAL = (PROTOCOLS / "beskaeftigelsesudvalget-2020-08-11.txt").read_text(encoding="utf-8")
FIRST_CASE = "Meddelelser\nSag nr. 29"

# One real way to hit each error code, with the Danish text a clerk then sees.
BROKEN = {
    ErrorCode.EMPTY: (b"", "Protokollen kunne ikke læses: Filen er tom."),
    ErrorCode.BLANK: (b" \r\n\t\r\n", "Protokollen kunne ikke læses: Filen indeholder kun mellemrum og tomme linjer."),
    ErrorCode.NOT_TEXT: (
        REAL.encode()[:300] + b"\x00\x01\x02",
        "Protokollen kunne ikke læses: Filen er ikke en tekstfil.",
    ),
    ErrorCode.BAD_ENCODING: (
        b"\xef\xbb\xbf" + REAL.encode("windows-1252"),
        "Protokollen kunne ikke læses: Filens tegnsæt passer ikke til indholdet. Gem den som UTF-8.",
    ),
    ErrorCode.NO_COMMITTEE: (
        REAL.replace("Beskæftigelsesudvalget\n\n", "", 1).encode(),
        "Protokollen kunne ikke læses. Fejl i linje 1: Første linje skal være udvalgets navn.",
    ),
    ErrorCode.NO_DATE: (
        REAL.replace("11-08-2020\n", "", 1).encode(),
        "Protokollen kunne ikke læses. Fejl i linje 20: Mødedatoen (DD-MM-ÅÅÅÅ) mangler i indledningen.",
    ),
    ErrorCode.INVALID_DATE: (
        REAL.replace("11-08-2020", "31-02-2020", 1).encode(),
        "Protokollen kunne ikke læses. Fejl i linje 3: Mødedatoen er ikke en gyldig dato.",
    ),
    ErrorCode.NO_CASES: (
        REAL[: REAL.index(FIRST_CASE)].encode(),
        "Protokollen kunne ikke læses. Fejl i linje 19: Protokollen indeholder ingen sager (en linje »Sag nr. …«).",
    ),
    ErrorCode.DUPLICATE_CASE: (
        REAL.replace("Sag nr. 30", "Sag nr. 29").encode(),
        "Protokollen kunne ikke læses. Fejl i linje 51: Det samme sagsnummer står to gange.",
    ),
    ErrorCode.NO_TITLE: (
        REAL.replace(FIRST_CASE, "Sag nr. 29").encode(),
        "Protokollen kunne ikke læses. Fejl i linje 21: Der er ingen titellinje lige før »Sag nr. …«.",
    ),
}


def test_every_code_has_a_danish_message():
    assert set(ERROR_MESSAGES) == set(ErrorCode)
    assert set(WARNING_MESSAGES) == set(WarningCode)
    assert set(ATTACHMENT_ERROR_MESSAGES) == set(AttachmentErrorCode)
    assert set(BROKEN) == set(ErrorCode), "add a broken protocol for the new code"


@pytest.mark.parametrize("code", list(ErrorCode))
def test_the_parser_raises_each_error_code_and_the_clerk_reads_it_in_danish(code):
    content, danish = BROKEN[code]
    with pytest.raises(ProtocolError) as info:
        parse_protocol(content)
    assert info.value.code is code
    assert error_text(info.value) == danish
    assert info.value.message not in danish  # the English detail stays in logs and on the command line


def test_a_warning_about_one_line_quotes_it_in_danish():
    p = parse_protocol((REAL + "\nMichel Berg, formand\n").encode())
    (warning,) = p.warnings
    assert warning.code is WarningCode.TEXT_AFTER_CLOSING and warning.quote == "Michel Berg, formand"
    assert warning_text(warning) == (
        "Linje 278: Der står tekst efter slutlinjen; den hører ikke til nogen sag. »Michel Berg, formand«"
    )


def test_a_warning_about_a_case_names_no_english():
    text = REAL.replace("Sager 29 - 34", "Sager 29 - 35")
    (warning,) = parse_protocol(text.encode()).warnings
    assert (warning.code, warning.case, warning.line) == (WarningCode.MISSING_CASE, 35, 0)
    assert warning_text(warning) == "Sagen er nævnt i »Sager …«-linjen, men står ikke i protokollen."


@pytest.mark.parametrize(
    ("content", "filename", "code", "danish"),
    [
        (b"x", "bilag.exe", AttachmentErrorCode.UNSUPPORTED_TYPE, "»bilag.exe« har en filtype, som ikke kan bruges."),
        (b"\x00\x01\x02binary", "binær.txt", AttachmentErrorCode.NOT_TEXT, "»binær.txt« kan ikke læses som tekst."),
        (
            b"not a pdf",
            "bilag.pdf",
            AttachmentErrorCode.UNREADABLE_PDF,
            "»bilag.pdf« er en PDF-fil, der ikke kan læses.",
        ),
        (minimal_pdf(""), "scan.pdf", AttachmentErrorCode.NO_PDF_TEXT, "»scan.pdf« indeholder ingen tekst"),
    ],
)
def test_unreadable_attachments_have_a_code_and_a_danish_text(content, filename, code, danish):
    with pytest.raises(AttachmentError) as info:
        extract(content, filename)
    assert info.value.code is code and info.value.filename == filename
    assert attachment_error_text(info.value).startswith(f"Et bilag kunne ikke læses: {danish}")
