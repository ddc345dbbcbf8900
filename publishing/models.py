"""The record of every protocol a clerk uploads: the bytes kept between preview and publish, and what came of it."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from importer.attachments import Extraction
from importer.load import ImportStatus


class UploadQuerySet(models.QuerySet):
    def with_people(self):
        """What the upload list shows: uploader, publisher and the meeting's committee in the same query."""
        return self.select_related("uploaded_by", "published_by", "meeting__committee")

    def without_files(self):
        """For lists: rows without the stored protocol bytes and their parse, which only preview and publish read."""
        return self.defer("content", "parsed")

    def pending(self):
        return self.filter(state=Upload.State.PREVIEW)

    def stalled(self):
        """Background publishes not finished `PUBLISH_TIMEOUT` seconds after they were queued (see `Upload.stalled`)."""
        return self.filter(_queued_before(publish_deadline()), state=Upload.State.PUBLISHING)

    def abandoned(self, before):
        """Uploads never published from before then: previews nobody published, files that could not be read, and
        background publishes that stalled (queued before then, and not finished within `PUBLISH_TIMEOUT`)."""
        stalled = _queued_before(min(before, publish_deadline())) & Q(state=Upload.State.PUBLISHING)
        return self.filter(Q(state__in=[Upload.State.PREVIEW, Upload.State.FAILED], uploaded_at__lt=before) | stalled)


def _queued_before(when: datetime) -> Q:
    # Rows queued before `publish_queued_at` was kept count from their upload.
    return Q(publish_queued_at__lt=when) | Q(publish_queued_at__isnull=True, uploaded_at__lt=when)


def publish_deadline() -> datetime:
    """A background publish queued before this should have finished by now (`PUBLISH_TIMEOUT`)."""
    return timezone.now() - timedelta(seconds=settings.PUBLISH_TIMEOUT)


class Upload(models.Model):
    """One protocol upload by a clerk, from preview to publication.

    The original file name is shown to people only; it is never used to build a path. The bytes live in the
    database until the upload is published (and afterwards too: they are what the archive's SourceDocument holds).
    `parsed` is the parse made at upload (`importer.records.protocol_to_json`), so that neither the preview nor
    the publish parses the bytes again.
    """

    class State(models.TextChoices):
        PREVIEW = "preview", _("forhåndsvisning")
        PUBLISHING = "publishing", _("offentliggøres")  # queued for the background worker (a large protocol)
        PUBLISHED = "published", _("offentliggjort")
        FAILED = "failed", _("kunne ikke læses")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploadet af"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="protocol_uploads",
    )
    uploaded_at = models.DateTimeField(_("uploadet"), auto_now_add=True)
    filename = models.CharField(_("filnavn"), max_length=255, help_text=_("Kun til visning."))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("størrelse (bytes)"), default=0)
    content = models.BinaryField(_("protokolfil"), blank=True)
    parsed = models.JSONField(
        _("tolkning"), null=True, blank=True, editable=False, help_text=_("Protokollen som læst ved upload.")
    )
    state = models.CharField(_("status"), max_length=12, choices=State.choices, default=State.PREVIEW)
    error = models.TextField(_("fejl"), blank=True, help_text=_("Hvorfor filen ikke kunne læses."))
    committee_name = models.CharField(_("udvalg som læst"), max_length=200, blank=True)
    meeting_date = models.DateField(_("mødedato som læst"), null=True, blank=True)
    changes = models.TextField(
        _("ændringer"), blank=True, help_text=_("Hvad offentliggørelsen ændrede, en linje pr. ændring.")
    )
    import_status = models.CharField(_("resultat"), max_length=12, blank=True, choices=ImportStatus.choices)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("møde"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uploads",
    )
    source = models.ForeignKey(
        "meetings.SourceDocument",
        verbose_name=_("kildedokument"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uploads",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("offentliggjort af"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("offentliggjort"), null=True, blank=True)
    # Personal data (issue 15): the CPR numbers found at upload (`importer.privacy.Finding.to_json`, protocol and
    # attachments) and those the publisher confirmed as not personal, which alone were published unmasked.
    personal_data = models.JSONField(
        _("CPR-numre fundet"), default=list, blank=True, editable=False, help_text=_("Fundet ved upload.")
    )
    not_personal = models.JSONField(
        _("bekræftet ikke personnumre"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Numre som den, der offentliggjorde, bekræftede ikke er CPR-numre; de blev ikke maskeret."),
    )
    publish_error = models.TextField(
        _("offentliggørelse afbrudt"), blank=True, help_text=_("Hvorfor en offentliggørelse i baggrunden ikke skete.")
    )
    # When the upload was queued for the background worker (state "publishing"): the stall timeout counts from
    # here, and the queued task carries it, so a task from an earlier attempt never publishes a later one.
    publish_queued_at = models.DateTimeField(_("sat i kø til offentliggørelse"), null=True, blank=True, editable=False)

    objects = UploadQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")
        permissions = [("publish_protocol", _("Kan uploade og offentliggøre protokoller"))]

    def __str__(self):
        return f"{self.filename} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("publishing:upload_preview", kwargs={"pk": self.pk})

    @property
    def change_lines(self) -> list[str]:
        return [line for line in self.changes.splitlines() if line]

    @property
    def stalled(self) -> bool:
        """A background publish the worker has not finished within `PUBLISH_TIMEOUT` (killed, or its task lost)."""
        queued = self.publish_queued_at or self.uploaded_at
        return self.state == Upload.State.PUBLISHING and queued is not None and queued < publish_deadline()

    @property
    def holds_unmasked(self) -> bool:
        """Whether the clerk-only original kept here differs from the archive's copy (CPR numbers were masked)."""
        confirmed = set(self.not_personal)
        return any(hit["number"] not in confirmed for hit in self.personal_data)


class UploadAttachment(models.Model):
    """An attachment document uploaded together with a protocol, kept until it is published.

    What `importer.attachments.extract` read from the file (type, title, text, HTML) is stored at upload, so the
    preview and the publish never read the file again.
    """

    upload = models.ForeignKey(Upload, verbose_name=_("upload"), on_delete=models.CASCADE, related_name="attachments")
    position = models.PositiveSmallIntegerField(_("placering"))
    filename = models.CharField(_("filnavn"), max_length=255, help_text=_("Kun til visning og genkendelse."))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = models.BinaryField(_("fil"))
    content_type = models.CharField(_("indholdstype"), max_length=100, blank=True)
    title = models.CharField(_("titel"), max_length=500, blank=True)
    text = models.TextField(_("tekst"), blank=True)
    html = models.TextField(_("HTML"), blank=True)
    document = models.ForeignKey(
        "cases.AttachmentDocument",
        verbose_name=_("bilagsdokument"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["upload_id", "position"]
        verbose_name = _("uploadet bilag")
        verbose_name_plural = _("uploadede bilag")
        constraints = [
            models.UniqueConstraint(fields=["upload", "position"], name="unique_attachment_position_per_upload"),
        ]

    def __str__(self):
        return self.filename

    def get_absolute_url(self):
        return self.upload.get_absolute_url()

    @property
    def extraction(self) -> Extraction | None:
        """What was read from the file at upload; None for a row stored before that was kept."""
        if not self.content_type:
            return None
        return Extraction(self.content_type, self.title, self.text, self.html)
