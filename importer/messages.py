"""Danish texts for the importer's codes: protocol errors, parser warnings and unreadable attachment documents.

The parser stays free of Django and speaks English (its messages are for logs and the command line); the clerk's
pages show these texts instead, chosen by code. tests/test_import_messages.py checks that every code has one.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from importer.attachments import AttachmentError, AttachmentErrorCode
from importer.records import ErrorCode, ParseWarning, ProtocolError, WarningCode

ERROR_MESSAGES = {
    ErrorCode.EMPTY: gettext_lazy("Filen er tom."),
    ErrorCode.BLANK: gettext_lazy("Filen indeholder kun mellemrum og tomme linjer."),
    ErrorCode.NOT_TEXT: gettext_lazy("Filen er ikke en tekstfil."),
    ErrorCode.BAD_ENCODING: gettext_lazy("Filens tegnsæt passer ikke til indholdet. Gem den som UTF-8."),
    ErrorCode.NO_COMMITTEE: gettext_lazy("Første linje skal være udvalgets navn."),
    ErrorCode.NO_DATE: gettext_lazy("Mødedatoen (DD-MM-ÅÅÅÅ) mangler i indledningen."),
    ErrorCode.INVALID_DATE: gettext_lazy("Mødedatoen er ikke en gyldig dato."),
    ErrorCode.NO_CASES: gettext_lazy("Protokollen indeholder ingen sager (en linje »Sag nr. …«)."),
    ErrorCode.DUPLICATE_CASE: gettext_lazy("Det samme sagsnummer står to gange."),
    ErrorCode.NO_TITLE: gettext_lazy("Der er ingen titellinje lige før »Sag nr. …«."),
}

WARNING_MESSAGES = {
    WarningCode.MISSING_CASE: gettext_lazy("Sagen er nævnt i »Sager …«-linjen, men står ikke i protokollen."),
    WarningCode.UNANNOUNCED_CASE: gettext_lazy("Sagsnummeret ligger uden for intervallet i »Sager …«-linjen."),
    WarningCode.ANNOUNCED_RANGE: gettext_lazy(
        "Intervallet i »Sager …«-linjen er usandsynligt langt. Tjek sagsnumrene."
    ),
    WarningCode.CASE_ORDER: gettext_lazy("Sagerne står ikke i stigende nummerorden."),
    WarningCode.NO_DECISION: gettext_lazy("Sagen har ingen beslutning."),
    WarningCode.TEXT_OUTSIDE_SECTION: gettext_lazy(
        "Der står tekst før sagens første overskrift; den er bevaret uden overskrift."
    ),
    WarningCode.TITLE_SPLIT_GUESS: gettext_lazy(
        "Sagens titel var klistret sammen med den forrige sags bilagslinje. Programmet har gættet, hvor titlen "
        "begynder – tjek titlen og bilagene."
    ),
    WarningCode.HEADER_LINE: gettext_lazy("En linje i protokollens indledning (før sagerne) blev ikke genkendt."),
    WarningCode.CLOSING_TIME: gettext_lazy("Klokkeslættet i slutlinjen (»Mødet afsluttet kl. …«) kunne ikke læses."),
    WarningCode.TEXT_AFTER_CLOSING: gettext_lazy("Der står tekst efter slutlinjen; den hører ikke til nogen sag."),
}
# Warnings about one line whose text the clerk needs to see to find it; the others name their case or line.
QUOTED_WARNINGS = frozenset({WarningCode.HEADER_LINE, WarningCode.CLOSING_TIME, WarningCode.TEXT_AFTER_CLOSING})

ATTACHMENT_ERROR_MESSAGES = {
    AttachmentErrorCode.UNSUPPORTED_TYPE: gettext_lazy(
        "»%(name)s« har en filtype, som ikke kan bruges. Tilladt: .md, .txt, .pdf."
    ),
    AttachmentErrorCode.NOT_TEXT: gettext_lazy(
        "»%(name)s« kan ikke læses som tekst. Gem dokumentet som ren tekst (UTF-8) og prøv igen."
    ),
    AttachmentErrorCode.UNREADABLE_PDF: gettext_lazy("»%(name)s« er en PDF-fil, der ikke kan læses."),
    AttachmentErrorCode.NO_PDF_TEXT: gettext_lazy(
        "»%(name)s« indeholder ingen tekst, der kan læses (måske er siderne scannet). Upload en PDF med tekst "
        "eller dokumentet som .txt."
    ),
}


def error_text(exc: ProtocolError) -> str:
    """A parse failure as a Danish sentence, with its line number when the problem has one."""
    reason = str(ERROR_MESSAGES[exc.code])
    if exc.line:
        return _("Protokollen kunne ikke læses. Fejl i linje %(line)d: %(reason)s") % {
            "line": exc.line,
            "reason": reason,
        }
    return _("Protokollen kunne ikke læses: %(reason)s") % {"reason": reason}


def warning_text(warning: ParseWarning) -> str:
    """A parser warning as a Danish sentence, with the line number and, where it helps, the line's text."""
    text = str(WARNING_MESSAGES[warning.code])
    if warning.code in QUOTED_WARNINGS and warning.quote:
        text += f" »{warning.quote}«"
    if warning.line:
        text = _("Linje %(line)d: %(text)s") % {"line": warning.line, "text": text}
    return text


def attachment_error_text(exc: AttachmentError) -> str:
    """An unreadable attachment document as a Danish sentence naming the file."""
    reason = ATTACHMENT_ERROR_MESSAGES[exc.code] % {"name": exc.filename}
    return _("Et bilag kunne ikke læses: %(reason)s") % {"reason": reason}
