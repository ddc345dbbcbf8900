"""Committees, people, meetings, attendance and the original protocol documents."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meetings.slugs import danish_slugify


def published_q(path: str = "") -> Q:
    """The publication rule as a condition on the meeting reached by `path` ("meeting__", "case__meeting__"…).

    Every meeting in the archive is public unless it has been withdrawn (`meetings.services.meeting_withdraw`).
    Every `published()` in the project is this condition; nothing else spells the rule out.
    """
    return Q(**{f"{path}withdrawn_at__isnull": True})


class CommitteeQuerySet(models.QuerySet):
    def resolve(self, written: str | None):
        """The committee a protocol's name or short code refers to ("KB", "Kommunalbestyrelsen"), or None.

        Codes and names are each unique (case-insensitively), so at most two rows match; the code wins.
        """
        written = (written or "").strip()
        if not written:
            return None
        matches = list(self.filter(Q(code__iexact=written) | Q(name__iexact=written)))
        by_code = [c for c in matches if c.code.casefold() == written.casefold()]
        return (by_code or matches or [None])[0]

    def with_published_meetings(self):
        """Committees with at least one published meeting."""
        return self.filter(meetings__in=Meeting.objects.published()).distinct()

    def with_counts(self):
        """Each committee with its number of published meetings, cases and decided cases, and its latest date."""
        published = published_q("meetings__")
        return self.annotate(
            meeting_count=Count("meetings", filter=published, distinct=True),
            case_count=Count("meetings__cases", filter=published, distinct=True),
            decision_count=Count(
                "meetings__cases", filter=published & Q(meetings__cases__decision__isnull=False), distinct=True
            ),
            last_meeting=Max("meetings__date", filter=published),
        )


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
        constraints = [
            # Protocols cite committees by code ("ØU 137/07"): a code must name one committee, whatever its case.
            models.UniqueConstraint(Lower("code"), condition=~Q(code=""), name="unique_committee_code_where_set"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = danish_slugify(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("web:committee_detail", kwargs={"slug": self.slug})


class PartyQuerySet(models.QuerySet):
    def names(self) -> dict[str, str]:
        """Party letter → party name ("A" → "Socialdemokratiet"), one query."""
        return dict(self.values_list("letter", "name"))


class Party(models.Model):
    letter = models.CharField(_("bogstav"), max_length=4, unique=True)
    name = models.CharField(_("navn"), max_length=100)

    objects = PartyQuerySet.as_manager()

    class Meta:
        ordering = ["letter"]
        verbose_name = _("parti")
        verbose_name_plural = _("partier")

    def __str__(self):
        return f"{self.name} ({self.letter})"


class PersonQuerySet(models.QuerySet):
    def with_attendance_counts(self):
        """People named in a published protocol, with meetings listed at, meetings present at and last date."""
        published = published_q("attendances__meeting__")
        return self.annotate(
            meeting_count=Count("attendances", filter=published),
            present_count=Count("attendances", filter=published & Q(attendances__present=True)),
            last_seen=Max("attendances__meeting__date", filter=published),
        ).filter(meeting_count__gt=0)


class Person(models.Model):
    name = models.CharField(_("navn"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)

    objects = PersonQuerySet.as_manager()

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
        return reverse("web:person_detail", kwargs={"slug": self.slug})


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
        """Meetings the public may see (see `published_q`)."""
        return self.filter(published_q())

    def withdrawn(self):
        return self.exclude(published_q())

    def for_committee(self, committee):
        return self.filter(committee=committee)

    def with_committee(self):
        return self.select_related("committee")

    def for_listing(self):
        """What a list of meetings shows: committee and number of cases in the same query, newest first."""
        return self.with_committee().annotate(case_count=Count("cases")).order_by("-date", "committee__name")


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
    withdrawn_at = models.DateTimeField(
        _("trukket tilbage"),
        null=True,
        blank=True,
        help_text=_("Sat når mødet er trukket tilbage fra det offentlige arkiv; tomt betyder offentligt."),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        # Own columns only: a default ordering through a join would make every filter(pk__in=…) join and sort.
        ordering = ["-date", "committee_id"]
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
        return reverse("web:meeting_detail", kwargs={"committee": self.committee.slug, "date": self.date})

    @property
    def is_published(self) -> bool:
        return self.withdrawn_at is None


class AttendanceQuerySet(models.QuerySet):
    def present(self):
        return self.filter(present=True)

    def absent(self):
        """Away for the whole meeting or for at least one case (`cases.Absence` rows, reached by name)."""
        return self.filter(Q(present=False) | Q(absences__isnull=False)).distinct()

    def with_party_name(self):
        """Each row with `party_name`, the name of the party letter printed that day ("" when unknown)."""
        names = Party.objects.filter(letter=models.OuterRef("party")).values("name")[:1]
        return self.annotate(party_name=Coalesce(models.Subquery(names), models.Value("")))

    def for_display(self):
        """In list order, with person, substitute, party name and the cases missed (`cases_missed`): two queries."""
        return (
            self.with_party_name()
            .select_related("person", "substitute_for")
            .prefetch_related(models.Prefetch("absences", queryset=self._absences()))
            .order_by("position")
        )

    def _absences(self):
        # `cases.Absence`, reached through the relation so this app names nothing in `cases`.
        return (
            self.model._meta.get_field("absences")
            .related_model.objects.select_related("case")
            .only("attendance_id", "case_id", "case__number")
        )


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

    @property
    def cases_missed(self) -> list[int]:
        """The numbers of the cases this person was away for, from the (prefetched) absence rows."""
        return sorted(absence.case.number for absence in self.absences.all())

    def missed(self, case_number: int) -> bool:
        """True when this person was away for the given case."""
        return not self.present or case_number in self.cases_missed
