"""Committees, people, meetings, attendance and the original protocol documents."""

import hashlib

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meetings.slugs import danish_slugify


class CommitteeQuerySet(models.QuerySet):
    def resolve(self, written: str | None):
        """The committee a protocol's name or short code refers to ("KB", "Kommunalbestyrelsen"), or None."""
        written = (written or "").strip()
        if not written:
            return None
        return self.filter(models.Q(code__iexact=written) | models.Q(name__iexact=written)).first()


class Committee(models.Model):
    name = models.CharField(_("navn"), max_length=200, unique=True)
    code = models.CharField(
        _("forkortelse"), max_length=20, blank=True, help_text=_("Som protokollerne skriver den, fx BEU, KB, ØU.")
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("udvalg")
        verbose_name_plural = _("udvalg")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = danish_slugify(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("meetings:committee_detail", kwargs={"slug": self.slug})


class Party(models.Model):
    letter = models.CharField(_("bogstav"), max_length=4, unique=True)
    name = models.CharField(_("navn"), max_length=100)

    class Meta:
        ordering = ["letter"]
        verbose_name = _("parti")
        verbose_name_plural = _("partier")

    def __str__(self):
        return f"{self.name} ({self.letter})"


class Person(models.Model):
    name = models.CharField(_("navn"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("personer")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = danish_slugify(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("meetings:person_detail", kwargs={"slug": self.slug})


class SourceDocument(models.Model):
    """A protocol file exactly as it was uploaded or imported; never changed, never deleted by a later import."""

    meeting = models.ForeignKey(
        "Meeting",
        verbose_name=_("møde"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="source_versions",
    )
    filename = models.CharField(_("filnavn"), max_length=255)
    content = models.BinaryField(_("originale bytes"))
    text = models.TextField(_("tekst"), help_text=_("Den afkodede tekst, ordret."))
    encoding = models.CharField(_("tegnsæt"), max_length=40)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("importeret af"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("importeret"), auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("kildedokument")
        verbose_name_plural = _("kildedokumenter")

    def __str__(self):
        return f"{self.filename} ({self.sha256[:12]})"

    @staticmethod
    def digest(content: bytes) -> str:
        return hashlib.sha256(content).hexdigest()


class MeetingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def for_committee(self, committee):
        return self.filter(committee=committee)

    def with_committee(self):
        return self.select_related("committee")


class Meeting(models.Model):
    committee = models.ForeignKey(
        Committee, verbose_name=_("udvalg"), on_delete=models.PROTECT, related_name="meetings"
    )
    date = models.DateField(_("dato"))
    title = models.CharField(
        _("mødebetegnelse"),
        max_length=255,
        blank=True,
        help_text=_("Når første linje navngiver mødet, fx et konstituerende møde."),
    )
    ended_at = models.TimeField(_("afsluttet kl."), null=True, blank=True)
    first_case = models.PositiveIntegerField(_("første sag"), null=True, blank=True)
    last_case = models.PositiveIntegerField(_("sidste sag"), null=True, blank=True)
    source = models.ForeignKey(
        SourceDocument,
        verbose_name=_("kildedokument"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_published = models.BooleanField(_("offentliggjort"), default=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "committee__name"]
        get_latest_by = "date"
        verbose_name = _("møde")
        verbose_name_plural = _("møder")
        constraints = [
            models.UniqueConstraint(fields=["committee", "date"], name="unique_meeting_per_committee_and_date"),
            models.CheckConstraint(
                condition=models.Q(first_case__isnull=True)
                | models.Q(last_case__isnull=True)
                | models.Q(first_case__lte=models.F("last_case")),
                name="meeting_case_range_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.committee.name} {self.date:%d-%m-%Y}"

    def get_absolute_url(self):
        return reverse("cases:meeting_detail", kwargs={"committee": self.committee.slug, "date": self.date})


class AttendanceQuerySet(models.QuerySet):
    def present(self):
        return self.filter(present=True)

    def absent(self):
        return self.filter(models.Q(present=False) | ~models.Q(cases_missed=[]))


class Attendance(models.Model):
    """A person's part in one meeting: role, party as printed that day, and which cases they missed."""

    class Role(models.TextChoices):
        MEMBER = "member", _("medlem")
        CHAIR = "chair", _("formand")
        VICE_CHAIR = "vice_chair", _("næstformand")

    meeting = models.ForeignKey(Meeting, verbose_name=_("møde"), on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="attendances")
    position = models.PositiveSmallIntegerField(_("placering"), default=0)
    party = models.CharField(
        _("parti"), max_length=4, blank=True, help_text=_("Partibogstavet som trykt i protokollen.")
    )
    role = models.CharField(_("rolle"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    present = models.BooleanField(_("til stede"), default=True, help_text=_("Til stede ved mindst en del af mødet."))
    cases_missed = models.JSONField(_("fraværende ved sager"), default=list, blank=True)
    substitute_for = models.ForeignKey(
        Person,
        verbose_name=_("suppleant for"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="substituted_by",
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["meeting_id", "position"]
        verbose_name = _("deltagelse")
        verbose_name_plural = _("deltagelser")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="unique_attendance_per_meeting_and_person"),
        ]

    def __str__(self):
        return f"{self.person} – {self.meeting}"

    @property
    def is_chair(self) -> bool:
        return self.role == self.Role.CHAIR

    def missed(self, case_number: int) -> bool:
        """True when this person was away for the given case."""
        return not self.present or case_number in self.cases_missed
