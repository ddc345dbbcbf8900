"""The clerk's upload form: the protocol file and optional attachment documents, checked by name and by content."""

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from importer.load import ANY_SOURCE

PROTOCOL_SUFFIXES = (".txt",)
ATTACHMENT_SUFFIXES = (".md", ".txt", ".pdf")

# Signatures of common binary formats that clerks might pick by mistake (a Word file renamed .txt, a scan).
_BINARY_MAGIC = (b"%PDF-", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"GIF8", b"\xff\xd8\xff")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def display_name(name: str) -> str:
    """The last component of a browser-supplied file name, for display only (never used as a path)."""
    name = PurePath(name.replace("\\", "/")).name
    return "".join(ch for ch in name if ch.isprintable())[:255] or "unavngivet"


def suffix(name: str) -> str:
    return PurePath(display_name(name)).suffix.lower()


def check_file(upload, allowed: tuple[str, ...]) -> bytes:
    """Read an uploaded file and return its bytes, or raise ValidationError with a plain Danish reason.

    The kind is checked twice: by the name's extension and by the content itself, so a renamed binary file is
    refused whatever it is called.
    """
    name = display_name(upload.name)
    kind = suffix(name)
    if kind not in allowed:
        raise forms.ValidationError(
            _("»%(name)s« har en filtype, som ikke kan bruges. Tilladt: %(allowed)s."),
            code="file_type",
            params={"name": name, "allowed": ", ".join(allowed)},
        )
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            _("»%(name)s« er for stor (%(size)s). Den største tilladte størrelse er %(limit)s."),
            code="file_size",
            params={"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:  # the reported size was wrong; trust what was read
        raise forms.ValidationError(
            _("»%(name)s« er for stor. Den største tilladte størrelse er %(limit)s."),
            code="file_size",
            params={"name": name, "limit": filesizeformat(limit)},
        )
    if not content.strip():
        raise forms.ValidationError(_("»%(name)s« er tom."), code="file_empty", params={"name": name})
    if kind == ".pdf":
        if not content.startswith(b"%PDF-"):
            raise forms.ValidationError(
                _("»%(name)s« hedder .pdf, men er ikke en PDF-fil."), code="file_content", params={"name": name}
            )
        return content
    # UTF-16 text (with its byte-order mark) is full of NUL bytes but is text; the importer decodes it.
    is_utf16 = content.startswith(_UTF16_BOMS)
    if (b"\x00" in content and not is_utf16) or content.startswith(_BINARY_MAGIC):
        raise forms.ValidationError(
            _("»%(name)s« er ikke en tekstfil. Gem dokumentet som ren tekst (.txt) og prøv igen."),
            code="file_content",
            params={"name": name},
        )
    return content


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class UploadForm(forms.Form):
    """Step 1: choose the protocol and, optionally, its attachment documents."""

    protocol = forms.FileField(
        label=_("Protokol"),
        help_text=_("Referatet som tekstfil (.txt)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,text/plain"}),
    )
    attachments = MultipleFileField(
        label=_("Bilag"),
        required=False,
        help_text=_("Valgfrit: bilagsdokumenter som .md, .txt eller .pdf."),
        widget=MultipleFileInput(attrs={"accept": ".md,.txt,.pdf"}),
    )

    def full_clean(self):
        super().full_clean()
        # Each input names the error printed beside it and its help text, so a screen reader reads both.
        for name in self.errors:
            if name in self.fields:
                field_id = self[name].auto_id
                self.fields[name].widget.attrs["aria-describedby"] = f"{field_id}_error {field_id}_helptext"

    @classmethod
    def refused(cls, message: str) -> "UploadForm":
        """An empty form that shows why the last upload was refused before it could be read (too large, say)."""
        form = cls(data={}, files={})
        form.full_clean()
        form.errors.clear()
        form.add_error(None, message)
        return form

    def clean_protocol(self):
        upload = self.cleaned_data["protocol"]
        return display_name(upload.name), check_file(upload, PROTOCOL_SUFFIXES)

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > settings.UPLOAD_MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("Der kan højst uploades %(count)d bilag ad gangen."),
                code="too_many",
                params={"count": settings.UPLOAD_MAX_ATTACHMENTS},
            )
        errors, cleaned = [], []
        for upload in files:
            try:
                cleaned.append((display_name(upload.name), check_file(upload, ATTACHMENT_SUFFIXES)))
            except forms.ValidationError as exc:
                errors.append(exc)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


class KnownChoicesField(forms.MultipleChoiceField):
    """Several choices, where a value that is not among them is dropped rather than voiding the others."""

    def to_python(self, value):
        known = {str(key) for key, _label in self.choices}
        return [item for item in super().to_python(value) if item in known]


class PublishForm(forms.Form):
    """Step 2: publish what the preview showed. Replacing a published meeting needs the tick (the service checks).

    `not_personal` lists the CPR numbers found at upload (`numbers`); each one ticked is published unmasked.
    `seen_source` is the archive's version of the meeting the preview compared with ("new" when there was none), so
    that publishing can tell when someone else published the meeting meanwhile. Its inputs name the publish form
    (`form="publish-form"`), so the preview may place them anywhere on the page.
    """

    confirm_replace = forms.BooleanField(
        label=_("Jeg har set ændringerne og vil erstatte det offentliggjorte referat."),
        required=False,
    )
    not_personal = KnownChoicesField(
        label=_("Ikke et CPR-nummer – offentliggør tallet uændret"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"form": "publish-form"}),
    )
    seen_source = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"form": "publish-form"}))

    def __init__(self, *args, numbers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["not_personal"].choices = [(n, f"{n[:6]}-{n[6:]}") for n in numbers]

    @staticmethod
    def seen(source_id: int | None) -> str:
        """The `seen_source` value for a preview that compared with this SourceDocument (None: a new meeting)."""
        return "new" if source_id is None else str(source_id)

    def expected_source(self):
        """What `seen_source` says the clerk compared with: a SourceDocument id, None (new) or ANY_SOURCE (unsaid)."""
        value = (self.cleaned_data.get("seen_source") or "").strip() if hasattr(self, "cleaned_data") else ""
        if value == "new":
            return None
        return int(value) if value.isdigit() else ANY_SOURCE
