"""Committees, people, meetings, attendance and the original protocol documents."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Count, Max, Min, Q
from django.db.models.functions import Coalesce, ExtractYear, Lower
from django.urls import reverse
from django.utils import timezone
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
        """Committees with at least one published meeting (from the kept `meeting_count`)."""
        return self.filter(meeting_count__gt=0)

    def recounted(self):
        """Each committee with its totals counted afresh (`meeting_count_now`, …): what the kept fields must equal."""
        published = published_q("meetings__")
        return self.annotate(
            meeting_count_now=Count("meetings", filter=published, distinct=True),
            case_count_now=Count("meetings__cases", filter=published, distinct=True),
            decision_count_now=Count(
                "meetings__cases", filter=published & Q(meetings__cases__decision__isnull=False), distinct=True
            ),
            first_meeting_now=Min("meetings__date", filter=published),
            last_meeting_now=Max("meetings__date", filter=published),
        )


class Committee(models.Model):
    name = models.CharField(_("navn"), max_length=200, unique=True)
    code = models.CharField(
        _("forkortelse"), max_length=20, blank=True, help_text=_("Som protokollerne skriver den, fx BEU, KB, ØU.")
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    # Kept totals over the committee's published meetings, maintained by `meetings.counts.counts_refresh` (called
    # by every service that writes meetings, cases or attendance), so no page counts the archive per request.
    meeting_count = models.PositiveIntegerField(_("møder"), default=0, editable=False)
    case_count = models.PositiveIntegerField(_("sager"), default=0, editable=False)
    decision_count = models.PositiveIntegerField(_("sager med beslutning"), default=0, editable=False)
    first_meeting = models.DateField(_("første møde"), null=True, blank=True, editable=False)
    last_meeting = models.DateField(_("seneste møde"), null=True, blank=True, editable=False)

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


class CommitteeNames:
    """Committees as protocols write them ("KB", "Kommunalbestyrelsen"), resolved like
    `CommitteeQuerySet.resolve` (case-insensitive, the code wins) from committees read once."""

    def __init__(self, committees):
        self.by_code: dict[str, Committee] = {}
        self.by_name: dict[str, Committee] = {}
        for committee in committees:
            if committee.code:
                self.by_code[committee.code.casefold()] = committee
            self.by_name[committee.name.casefold()] = committee

    def resolve(self, written: str | None) -> Committee | None:
        key = (written or "").strip().casefold()
        if not key:
            return None
        return self.by_code.get(key) or self.by_name.get(key)


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
        """People named in a published protocol; their attendance totals are kept fields (`meetings.counts`)."""
        return self.filter(meeting_count__gt=0)

    def recounted(self):
        """Each person with the totals counted afresh (`meeting_count_now`, …): what the kept fields must equal."""
        published = published_q("attendances__meeting__")
        return self.annotate(
            meeting_count_now=Count("attendances", filter=published),
            present_count_now=Count("attendances", filter=published & Q(attendances__present=True)),
            last_seen_now=Max("attendances__meeting__date", filter=published),
        )


class Person(models.Model):
    name = models.CharField(_("navn"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    # Kept totals over published meetings (`meetings.counts.counts_refresh`): listed at, present at, last date.
    meeting_count = models.PositiveIntegerField(_("møder"), default=0, editable=False)
    present_count = models.PositiveIntegerField(_("til stede"), default=0, editable=False)
    last_seen = models.DateField(_("senest set"), null=True, blank=True, editable=False)

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


class DocumentKind(models.TextChoices):
    """What a protocol document is: the agenda published before the meeting, or the minutes written at it.

    The values match `importer.records.AGENDA` / `MINUTES`.
    """

    AGENDA = "agenda", _("dagsorden")
    MINUTES = "minutes", _("referat")


class SourceDocument(models.Model):
    """A protocol file exactly as it was uploaded or imported; never changed, never deleted by a later import.

    A meeting's versions are its history: the agenda, the minutes, and every corrected version of the minutes.
    """

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
    kind = models.CharField(_("art"), max_length=12, choices=DocumentKind.choices, default=DocumentKind.MINUTES)
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
        """What a list of meetings shows: with the committee (the number of cases is kept on the meeting), newest
        first."""
        return self.with_committee().order_by("-date", "committee__name")

    def agendas(self):
        """Meetings whose current version is the agenda: held in the future, or held and the minutes not yet in."""
        return self.filter(kind=DocumentKind.AGENDA)

    def minutes(self):
        """Meetings whose minutes are in the archive."""
        return self.filter(kind=DocumentKind.MINUTES)

    def upcoming(self, today):
        """Agendas of meetings on `today` or later, soonest first."""
        return self.agendas().filter(date__gte=today).order_by("date", "committee_id")

    def years(self) -> list[tuple[int, int]]:
        """(year, number of these meetings held in it), newest year first: one grouped query.

        For one committee's meetings its indexes on committee (`unique_meeting_per_committee_and_date` is on
        committee and date) find the rows: the cost is that committee's meetings, not the archive's.
        """
        rows = (
            self.order_by()  # an ordering would join the GROUP BY and split the years
            .annotate(year=ExtractYear("date"))
            .values_list("year")
            .annotate(count=Count("pk"))
            .order_by("-year")
        )
        return [(year, count) for year, count in rows]


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
    term = models.CharField(
        _("valgperiode"),
        max_length=20,
        blank=True,
        help_text=_("Som protokollens første linje skriver den, fx 2022-25 i »Klima- og Naturudvalget 2022-25«."),
    )
    kind = models.CharField(
        _("art"),
        max_length=12,
        choices=DocumentKind.choices,
        default=DocumentKind.MINUTES,
        help_text=_("Dagsorden, indtil referatet er offentliggjort."),
    )
    corrected_at = models.DateTimeField(
        _("referatet rettet"),
        null=True,
        blank=True,
        help_text=_("Sidste gang et offentliggjort referat blev erstattet af en rettet udgave."),
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
    # Kept totals of the meeting's own cases (`meetings.counts.counts_refresh`); committees add them up.
    case_count = models.PositiveIntegerField(_("sager"), default=0, editable=False)
    decision_count = models.PositiveIntegerField(_("sager med beslutning"), default=0, editable=False)
    # Kept with them: {outcome: number of the meeting's cases decided so} (`cases.Outcome` values), which a
    # committee's page adds up over the meetings it lists anyway.
    outcome_counts = models.JSONField(_("udfald"), default=dict, blank=True, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        # Own columns only: a default ordering through a join would make every filter(pk__in=…) join and sort.
        ordering = ["-date", "committee_id"]
        get_latest_by = "date"
        verbose_name = _("møde")
        verbose_name_plural = _("møder")
        indexes = [
            # The meeting list and the home page read the newest meetings first: an index scan that stops early.
            models.Index(fields=["-date"], name="meeting_date_desc_idx"),
            # The sitemap's and feeds' "last changed" is the newest updated_at: one index probe.
            models.Index(fields=["updated_at"], name="meeting_updated_at_idx"),
            # The withdrawn are few: search excludes them through this small partial index (SearchDocument.published).
            models.Index(
                fields=["withdrawn_at"], condition=Q(withdrawn_at__isnull=False), name="meeting_withdrawn_idx"
            ),
        ]
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

    @property
    def is_agenda(self) -> bool:
        """Only the agenda is in: the meeting has not been held, or its minutes are not published yet."""
        return self.kind == DocumentKind.AGENDA

    def get_history_url(self):
        return reverse("web:meeting_history", kwargs={"committee": self.committee.slug, "date": self.date})


class AttendanceQuerySet(models.QuerySet):
    """`years`, `in_year` and `committee_summary` read one person's attendance through the person index and each
    row's meeting through its primary key (a correlated subquery). Joined instead, PostgreSQL reads every meeting
    to find that person's few hundred (see meetings.counts._refresh_people) and a member's page would grow with
    the archive."""

    def present(self):
        return self.filter(present=True)

    def absent(self):
        """Away for the whole meeting or for at least one case (`cases.Absence` rows, reached by name)."""
        return self.filter(Q(present=False) | Q(absences__isnull=False)).distinct()

    def years(self) -> list[tuple[int, int]]:
        """(year, number of these attendances at published meetings held in it), newest year first: one grouped
        query."""
        rows = (
            self.order_by()  # an ordering would join the GROUP BY
            .annotate(year=_published_meeting("year"))
            .values_list("year")
            .annotate(count=Count("pk"))
            .order_by("-year")
        )
        return [(year, count) for year, count in rows if year is not None]  # None: the withdrawn meetings'

    def in_year(self, year: int):
        """These attendances at published meetings held in `year`."""
        return self.alias(meeting_year=_published_meeting("year")).filter(meeting_year=year)

    def committee_summary(self) -> list[dict]:
        """A row per committee (`committee_id`), role and party letter of these attendances at published meetings:
        `meetings`, `first` and `last` date. One grouped query."""
        rows = (
            self.order_by()
            .alias(meeting_date=_published_meeting("date"))
            .annotate(committee_id=_published_meeting("committee_id"))
            .values("committee_id", "role", "party")
            .annotate(meetings=Count("pk"), first=Min("meeting_date"), last=Max("meeting_date"))
        )
        return [row for row in rows if row["committee_id"] is not None]

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


def _published_meeting(field: str) -> models.Subquery:
    """The attendance row's meeting's `field` ("year" too) if the meeting is published, else NULL."""
    meetings = (
        Meeting.objects.published()
        .filter(pk=models.OuterRef("meeting_id"))
        .annotate(year=ExtractYear("date"))
        .order_by()  # one row by its key: nothing to sort
    )
    return models.Subquery(meetings.values(field)[:1])


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


class ArchiveVersion(models.Model):
    """One row: a number that every change of what the public sees moves on, and when it last moved.

    The public pages are cached under it (`web.cache`) and send `changed_at` as Last-Modified. It is moved by
    `meetings.services.archive_changed`, inside the transaction that makes the change: readers see the new number
    exactly when they can see the new data, whichever worker or database they ask.
    """

    version = models.PositiveBigIntegerField(_("version"), default=1)
    changed_at = models.DateTimeField(_("ændret"), default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("arkivversion")
        verbose_name_plural = _("arkivversioner")

    def __str__(self):
        return f"{self.version} ({self.changed_at:%Y-%m-%d %H:%M:%S})"

    @classmethod
    def current(cls) -> "ArchiveVersion":
        """The archive's version (one primary-key lookup); created on first use in a database that has none."""
        state = cls.objects.filter(pk=1).first()
        if state is None:
            state, _created = cls.objects.get_or_create(pk=1)
        return state
