"""Cases (sager) and what a protocol says about each: sections, recommendations, decision trail, decision, bilag."""

import re
from typing import NamedTuple

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meetings.models import Attendance, Committee, Meeting, published_q


class Outcome(models.TextChoices):
    """Normalised decision outcomes; the values match `importer.records.OUTCOMES`."""

    NOTED = "noted", _("Taget til efterretning")
    RECOMMENDED = "recommended", _("Anbefalet")
    APPROVED = "approved", _("Godkendt")
    REJECTED = "rejected", _("Afvist")
    POSTPONED = "postponed", _("Udsat")
    OTHER = "other", _("Andet")


class Followed(models.TextChoices):
    """Whether a decision followed the administration's recommendation; the values match
    `importer.records.FOLLOWED` (blank: no recommendation to compare with, or the decision does not tell)."""

    AS_RECOMMENDED = "as_recommended", _("Fulgt")
    AMENDED = "amended", _("Fulgt med ændringer")
    REJECTED = "rejected", _("Ikke fulgt")
    POSTPONED = "postponed", _("Udsat")


_REFERENCE = re.compile(r"^\s*(?P<code>[^\W\d_]+)\s+(?P<number>\d{1,4})\s*/\s*(?P<year>\d{2}|\d{4})\s*$")


# A title stem shorter than this ("Diverse", "Meddelelser") is only matched whole: as a stem it would match too much.
MIN_STEM_FOR_PREFIX = 12
_TRAILING_NUMBERS = re.compile(r"[\s\d.,:;()/\-–—]+$")


def title_stem(title: str) -> str:
    """A title without trailing years, numbers and punctuation, folded for comparison ("Plan 2023 -2024" → "plan")."""
    return _TRAILING_NUMBERS.sub("", title.strip()).casefold()


def title_key(title: str) -> str:
    """What "the same title at another meeting" compares: the stem when it is long enough, else the whole title.

    "Beskæftigelsesplan 2023 -2024" and "Beskæftigelsesplan 2024-2025" share a key; "Budget 2023" and
    "Budget 2024" do not (a short stem would tie unrelated cases together).
    """
    stem = title_stem(title)
    return stem if len(stem) >= MIN_STEM_FOR_PREFIX else title.strip().casefold()


class Reference(NamedTuple):
    """A case as another committee's protocol cites it: "ØU 137/07" is Økonomiudvalget's sag 137 of 2007."""

    code: str
    number: int
    year: int

    @classmethod
    def parse(cls, text: str, *, today_year: int) -> "Reference | None":
        """Read "ØU 137/07" (or 137/2007); two-digit years up to this year are this century, later ones the last."""
        match = _REFERENCE.match(text or "")
        if not match:
            return None
        year = int(match["year"])
        if year < 100:
            year += 2000 if 2000 + year <= today_year else 1900
        return cls(match["code"], int(match["number"]), year)

    def spellings(self) -> list[str]:
        """How protocols write this reference ("ØU 137/07", "ØU 137/2007")."""
        return [f"{self.code} {self.number}/{self.year % 100:02d}", f"{self.code} {self.number}/{self.year}"]


class CaseQuerySet(models.QuerySet):
    def published(self):
        """Cases of published meetings (the rule itself is `MeetingQuerySet.published`)."""
        return self.filter(published_q("meeting__"))

    def same_title_as(self, case: "Case"):
        """Cases at other meetings with the same title, or the same title but for trailing years (indexed)."""
        return self.filter(title_key=case.title_key).exclude(meeting_id=case.meeting_id)

    def cited_by(self, case: "Case", *, today_year: int):
        """The case that this case's reference ("ØU 137/07") names: that committee's case number in that year."""
        reference = Reference.parse(case.reference, today_year=today_year)
        if reference is None:
            return self.none()
        return self.filter(
            meeting__committee__code__iexact=reference.code,
            number=reference.number,
            meeting__date__year=reference.year,
        ).exclude(pk=case.pk)

    def citing(self, case: "Case"):
        """Cases whose protocol cites this case by reference (the council's "Sag nr. 104 (ØU 138/07)")."""
        code = case.meeting.committee.code
        if not code:
            return self.none()
        reference = Reference(code, case.number, case.meeting.date.year)
        return self.filter(reference__in=reference.spellings()).exclude(pk=case.pk)

    def with_decision(self):
        return self.filter(decision__isnull=False)

    def with_outcome(self, outcome):
        return self.filter(decision__outcome=outcome)

    def for_listing(self):
        """What a list of cases shows: meeting, committee and decision in the same query."""
        return self.select_related("meeting__committee", "decision")


class CaseStepQuerySet(models.QuerySet):
    def published(self):
        """Trail steps quoted in cases of published meetings."""
        return self.filter(published_q("case__meeting__"))


class Case(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("møde"), on_delete=models.CASCADE, related_name="cases")
    number = models.PositiveIntegerField(_("sagsnummer"))
    title = models.CharField(_("titel"), max_length=500)
    authority = models.CharField(
        _("beslutningskompetence"),
        max_length=200,
        blank=True,
        help_text=_("Som skrevet i protokollen, fx BEU eller KB."),
    )
    authority_committee = models.ForeignKey(
        Committee,
        verbose_name=_("beslutningskompetence (udvalg)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reference = models.CharField(
        _("henvisning"), max_length=100, blank=True, db_index=True, help_text=_("Fx ØU 137/07.")
    )
    closed = models.BooleanField(_("lukket punkt"), default=False)
    title_key = models.CharField(
        _("titelnøgle"), max_length=500, blank=True, db_index=True, editable=False, help_text=_("Se title_key().")
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        # Own columns only: a default ordering through a join would make every filter(pk__in=…) join and sort.
        ordering = ["meeting_id", "number"]
        verbose_name = _("sag")
        verbose_name_plural = _("sager")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="unique_case_number_per_meeting"),
        ]

    def __str__(self):
        return f"Sag nr. {self.number}: {self.title}"

    def save(self, *args, **kwargs):
        self.title_key = title_key(self.title)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "title_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "web:case_detail",
            kwargs={"committee": self.meeting.committee.slug, "date": self.meeting.date, "number": self.number},
        )


class Absence(models.Model):
    """A member away for one case ("Jan Kongebro (A), sag 29-34"); someone away all meeting has one per case."""

    attendance = models.ForeignKey(
        Attendance, verbose_name=_("deltagelse"), on_delete=models.CASCADE, related_name="absences"
    )
    case = models.ForeignKey(Case, verbose_name=_("sag"), on_delete=models.CASCADE, related_name="absences")

    class Meta:
        ordering = ["attendance_id", "case_id"]
        verbose_name = _("fravær")
        verbose_name_plural = _("fravær")
        constraints = [
            models.UniqueConstraint(fields=["attendance", "case"], name="unique_absence_per_attendance_and_case"),
        ]

    def __str__(self):
        return f"{self.attendance.person} – {self.case}"


class Section(models.Model):
    """One section of a case (Sagens kerne, Indstilling, …) in source order; unknown headings are kept too."""

    case = models.ForeignKey(Case, verbose_name=_("sag"), on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("placering"))
    heading = models.CharField(_("overskrift"), max_length=200)
    text = models.TextField(_("tekst"), blank=True)

    class Meta:
        ordering = ["case_id", "position"]
        verbose_name = _("afsnit")
        verbose_name_plural = _("afsnit")
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="unique_section_position_per_case"),
        ]

    def __str__(self):
        return self.heading


class Recommendation(models.Model):
    """One "at …" clause of the administration's Indstilling."""

    case = models.ForeignKey(Case, verbose_name=_("sag"), on_delete=models.CASCADE, related_name="recommendations")
    position = models.PositiveSmallIntegerField(_("placering"))
    proposer = models.CharField(_("indstillet af"), max_length=200, blank=True)
    text = models.TextField(_("tekst"))

    class Meta:
        ordering = ["case_id", "position"]
        verbose_name = _("indstilling")
        verbose_name_plural = _("indstillinger")
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="unique_recommendation_position_per_case"),
        ]

    def __str__(self):
        return self.text[:80]


class Decision(models.Model):
    case = models.OneToOneField(Case, verbose_name=_("sag"), on_delete=models.CASCADE, related_name="decision")
    text = models.TextField(_("beslutning"))
    outcome = models.CharField(_("udfald"), max_length=12, choices=Outcome.choices, default=Outcome.OTHER)
    followed = models.CharField(
        _("indstillingen fulgt"),
        max_length=16,
        choices=Followed.choices,
        blank=True,
        help_text=_("Om beslutningen fulgte indstillingen, som læst af programmet; tom når det ikke kan afgøres."),
    )

    class Meta:
        ordering = ["case_id"]
        verbose_name = _("beslutning")
        verbose_name_plural = _("beslutninger")

    def __str__(self):
        return self.text[:80]


class CaseStep(models.Model):
    """An earlier body's decision quoted in the case (the decision trail, e.g. TMU → ØU → KB)."""

    case = models.ForeignKey(Case, verbose_name=_("sag"), on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("placering"))
    body = models.CharField(_("organ"), max_length=200, help_text=_("Som skrevet i protokollen."))
    body_committee = models.ForeignKey(
        Committee, verbose_name=_("udvalg"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    date = models.DateField(_("dato"), null=True, blank=True)
    item = models.PositiveIntegerField(_("punkt"), null=True, blank=True)
    text = models.TextField(_("beslutning"), blank=True)
    outcome = models.CharField(_("udfald"), max_length=12, choices=Outcome.choices, default=Outcome.OTHER)
    earlier_case = models.ForeignKey(
        Case,
        verbose_name=_("tidligere behandling"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="later_steps",
    )

    objects = CaseStepQuerySet.as_manager()

    class Meta:
        ordering = ["case_id", "position"]
        verbose_name = _("sagsgang")
        verbose_name_plural = _("sagsgange")
        indexes = [
            # The importer links later meetings' steps to a new meeting by its committee and date.
            models.Index(fields=["body_committee", "date"], name="casestep_body_date_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="unique_step_position_per_case"),
        ]

    def __str__(self):
        return f"{self.body}: {self.text[:60]}"


class AttachmentDocument(models.Model):
    """An attachment's document itself; it may arrive before the case it belongs to is imported."""

    filename = models.CharField(_("filnavn"), max_length=255)
    title = models.CharField(_("titel"), max_length=500, blank=True)
    content = models.BinaryField(_("original fil"))
    content_type = models.CharField(_("indholdstype"), max_length=100)
    text = models.TextField(_("tekst"), blank=True, help_text=_("Udtrukket ren tekst."))
    html = models.TextField(_("HTML"), blank=True, help_text=_("Renset HTML-visning."))
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    uploaded_at = models.DateTimeField(_("uploadet"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("bilagsdokument")
        verbose_name_plural = _("bilagsdokumenter")

    def __str__(self):
        return self.title or self.filename


class Attachment(models.Model):
    """A "Bilag N: title" line of a case."""

    case = models.ForeignKey(Case, verbose_name=_("sag"), on_delete=models.CASCADE, related_name="attachments")
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("titel"), max_length=500, blank=True, help_text=_("Tom for et bilag uden titel."))
    document = models.ForeignKey(
        AttachmentDocument,
        verbose_name=_("dokument"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
    )

    class Meta:
        ordering = ["case_id", "number"]
        verbose_name = _("bilag")
        verbose_name_plural = _("bilag")
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="unique_attachment_number_per_case"),
        ]

    def __str__(self):
        return f"Bilag {self.number}: {self.title}" if self.title else f"Bilag {self.number}"
