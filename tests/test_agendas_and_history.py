"""Agendas before the meeting and minutes after it, corrections in the open, and decisions that say how final they
are: through the import service, the clerk's upload/preview/publish and the public pages."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from cases.models import Case, CaseStep
from importer.load import AgendaAfterMinutes, ImportStatus, protocol_import
from meetings.models import Committee, DocumentKind, Meeting, SourceDocument
from meetings.services import meeting_withdraw
from publishing.models import Upload
from search.models import SearchDocument
from tests.conftest import OWN_PROTOCOLS
from web.views.cases import pointed_committee

pytestmark = pytest.mark.django_db

AGENDA = OWN_PROTOCOLS / "beskaeftigelsesudvalget-2026-12-15-dagsorden.txt"
MINUTES = OWN_PROTOCOLS / "beskaeftigelsesudvalget-2026-12-15-referat.txt"
BEFORE_THE_MEETING = dt.date(2026, 12, 1)


def text_of(response) -> str:
    """The page's text, tags removed and whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def import_file(path, **kwargs):
    return protocol_import(content=path.read_bytes(), filename=path.name, **kwargs)


def changed(path, old: str, new: str) -> bytes:
    """The protocol file at `path` with one passage changed (the passage must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new).encode("utf-8")


def corrected_minutes() -> bytes:
    return changed(
        MINUTES,
        "Beslutning\nAnbefales.\nSagsfremstilling",
        "Beslutning\nAnbefales med den ændring, at målet for ledigheden sænkes.\nSagsfremstilling",
    )


def corrected_agenda() -> bytes:
    return changed(
        AGENDA,
        "Udkastet til Beskæftigelsesplan 2027 fremlægges.",
        "Det reviderede udkast til Beskæftigelsesplan 2027 fremlægges.",
    )


# An Økonomiudvalget case of 2007 in the old layout (no authority line), and the council's case quoting it.
OLD_COMMITTEE = (
    "Økonomiudvalget\n20-11-2007\nSager 138 - 138\nLokalplan 112 for Rødovre Centrum Nord\nSag nr. 138\n"
    "Sagens kerne\nForslag til Lokalplan 112 har været i offentlig høring. Der er indkommet tre bemærkninger.\n"
    "Teknisk Forvaltning indstiller, at Lokalplan 112 vedtages endeligt.\nBeslutning\n{decision}\n"
    "Mødet afsluttet kl. 17.30\n"
)
OLD_COUNCIL = (
    "Kommunalbestyrelsen\n{date}\nSager {number} (ØU 138/07) - {number} (ØU 138/07)\n"
    "Lokalplan 112 for Rødovre Centrum Nord\nSag nr. {number} (ØU 138/07)\nSagens kerne\n"
    "Forslag til Lokalplan 112 har været i offentlig høring. Der er indkommet tre bemærkninger.\n"
    "Teknisk Forvaltning indstiller, at Lokalplan 112 vedtages endeligt.\nØkonomiudvalget: Indstilles godkendt.\n"
    "Beslutning\n{decision}\nMødet afsluttet kl. 20.10\n"
)


def import_old(template: str, **values) -> Meeting:
    return protocol_import(content=template.format(**values).encode(), filename="gammel.txt").meeting


@pytest.fixture
def before_the_meeting(monkeypatch):
    """Today is two weeks before the meeting of 15 December 2026."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: BEFORE_THE_MEETING)


@pytest.fixture
def clerk(client):
    user = User.objects.create_user("anne", password="not-used-here")
    user.groups.add(Group.objects.get(name="Clerks"))
    client.force_login(user)
    return user


def upload(client, content: bytes, name: str):
    return client.post(reverse("publishing:upload"), {"protocol": SimpleUploadedFile(name, content)})


# --------------------------------------------------------------------- the import service


def test_an_agenda_is_replaced_by_its_minutes_and_stays_in_the_history():
    agenda = import_file(AGENDA)
    meeting = agenda.meeting
    assert (meeting.kind, meeting.term, meeting.committee.name) == (
        DocumentKind.AGENDA,
        "2026",
        "Beskæftigelsesudvalget",
    )
    assert meeting.source.kind == DocumentKind.AGENDA
    assert set(SearchDocument.objects.filter(meeting=meeting).values_list("kind", flat=True)) == {"agenda"}

    # The minutes need no "replace": they are what the agenda was waiting for.
    minutes = import_file(MINUTES, replace=False)
    assert minutes.meeting.pk == meeting.pk and minutes.status == ImportStatus.UPDATED
    meeting.refresh_from_db()
    assert meeting.kind == DocumentKind.MINUTES and meeting.corrected_at is None
    assert list(meeting.source_versions.order_by("imported_at", "id").values_list("kind", flat=True)) == [
        DocumentKind.AGENDA,
        DocumentKind.MINUTES,
    ]
    assert Case.objects.get(meeting=meeting, number=53).decision.text == "Anbefales."
    assert set(SearchDocument.objects.filter(meeting=meeting).values_list("kind", flat=True)) == {"minutes"}
    assert SearchDocument.objects.filter(meeting=meeting).count() == 3


def test_an_agenda_never_replaces_minutes():
    import_file(MINUTES)
    for dry_run in (True, False):
        with pytest.raises(AgendaAfterMinutes):
            import_file(AGENDA, dry_run=dry_run)
    meeting = Meeting.objects.get()
    assert meeting.kind == DocumentKind.MINUTES and meeting.source_versions.count() == 1


def test_corrected_minutes_are_dated_but_identical_bytes_or_words_are_no_correction():
    import_file(MINUTES)
    # The same protocol again, and with Windows line endings: the same words, no correction.
    import_file(MINUTES)
    protocol_import(content=MINUTES.read_bytes().replace(b"\n", b"\r\n"), filename="crlf.txt")
    meeting = Meeting.objects.get()
    assert meeting.corrected_at is None
    result = protocol_import(content=corrected_minutes(), filename="rettet.txt")
    assert result.status == ImportStatus.UPDATED
    meeting.refresh_from_db()
    assert meeting.corrected_at is not None
    assert meeting.source.filename == "rettet.txt"


def test_a_committee_in_an_election_term_is_one_committee_with_the_term_on_its_meetings():
    import_file(OWN_PROTOCOLS / "klima-og-naturudvalget-2025-02-04.txt")
    text = (OWN_PROTOCOLS / "klima-og-naturudvalget-2025-02-04.txt").read_text(encoding="utf-8")
    later = text.replace("Klima- og Naturudvalget 2022-25", "Klima- og Naturudvalget 2026-29").replace(
        "04-02-2025", "03-02-2026"
    )
    protocol_import(content=later.encode(), filename="knu-2026.txt")
    committee = Committee.objects.get(name="Klima- og Naturudvalget")
    assert committee.code == "KNU"  # seeded: protocols name it by its code
    assert list(committee.meetings.order_by("date").values_list("term", flat=True)) == ["2022-25", "2026-29"]
    assert not Committee.objects.filter(name__startswith="Klima- og Naturudvalget 20").exists()
    meeting = committee.meetings.get(date=dt.date(2025, 2, 4))
    # "KNU og TMU": the committee decides itself (with TMU); the attachment without a title is kept untitled.
    naturpolitik = meeting.cases.get(number=8)
    assert (naturpolitik.authority, naturpolitik.authority_committee) == ("KNU og TMU", committee)
    assert list(meeting.cases.get(number=9).attachments.values_list("number", "title")) == [
        (1, ""),
        (2, "Kort over stiforbindelsen langs Harrestrup Å"),
    ]
    # The chair, away for sag 9-10, keeps her role.
    chair = meeting.attendances.get(person__name="Lis Holm")
    assert (chair.role, chair.present, chair.cases_missed) == ("chair", True, [9, 10])


def test_undated_and_numeric_date_trail_steps_link_to_the_earlier_cases():
    # Økonomiudvalget's meetings the councils quote: sag 53 of 2009 by reference, the pool by title and date.
    protocol_import(
        content=(
            "Økonomiudvalget\n10-03-2009\nSager 53 - 53\nVarmeplan 2009-2012 for Rødovre Kommune\nSag nr. 53\n"
            "Beslutning\nIndstilles godkendt.\n"
        ).encode(),
        filename="oeu-2009.txt",
    )
    council_2009 = import_file(OWN_PROTOCOLS / "kommunalbestyrelsen-2009-03-24.txt").meeting
    council_2014 = import_file(OWN_PROTOCOLS / "kommunalbestyrelsen-2014-05-27.txt").meeting
    # The earlier meeting imported after the council's: the link is made from its side too.
    protocol_import(
        content=(
            "Økonomiudvalget\n14-05-2014\nSager 70 - 70\nRenovering af Rødovre Svømmehal\nSag nr. 70\n"
            "Beslutning\nIndstilles godkendt med den ændring, at beløbet finansieres af anlægspuljen.\n"
        ).encode(),
        filename="oeu-2014.txt",
    )
    varmeplan = CaseStep.objects.get(case__meeting=council_2009, case__number=42, body="Økonomiudvalget")
    assert varmeplan.earlier_case == Case.objects.get(meeting__date=dt.date(2009, 3, 10), number=53)
    board = CaseStep.objects.get(case__meeting=council_2009, case__number=42, body__startswith="Bestyrelsen for")
    assert board.body_committee is None and board.earlier_case is None
    svoemmehal = CaseStep.objects.get(case__meeting=council_2014, case__number=62, body="Økonomiudvalget")
    assert svoemmehal.earlier_case == Case.objects.get(meeting__date=dt.date(2014, 5, 14), number=70)
    # A step whose title matches nothing at that meeting stays unlinked.
    takster = CaseStep.objects.get(case__meeting=council_2014, case__number=63, body="Økonomiudvalget")
    assert takster.earlier_case is None


# --------------------------------------------------------------------- the public pages


def test_the_agenda_is_shown_as_an_agenda_and_listed_as_coming(client, before_the_meeting):
    meeting = import_file(AGENDA).meeting
    page = text_of(client.get(meeting.get_absolute_url()))
    assert "Dagsorden — mødet er ikke holdt endnu. Beslutningerne kommer med referatet." in page
    assert "Valgperiode 2026" in page
    assert "Deltagere" in page and "Mikkel Molin" in page  # the apology is already known
    assert page.count("Ikke behandlet endnu – beslutningen kommer med referatet.") == 3
    assert "Dagsordenen som ren tekst" in page
    case_page = text_of(client.get(Case.objects.get(meeting=meeting, number=53).get_absolute_url()))
    assert (
        "Sagen er på dagsordenen til mødet 15. december 2026. Beslutningen offentliggøres med referatet." in case_page
    )
    assert "Indstilling (forslag til beslutning)" in case_page
    assert "at Beskæftigelsesplan 2027 anbefales godkendt." in case_page

    home = text_of(client.get(reverse("web:home")))
    assert "Kommende møder" in home and "Beskæftigelsesudvalget 15. december 2026 Dagsorden 3 sager" in home
    committee = text_of(client.get(meeting.committee.get_absolute_url()))
    assert "Kommende møder" in committee and "15. december 2026 Dagsorden" in committee

    # In search, filterable: agendas only, or minutes only.
    search = reverse("web:search")
    agendas = text_of(client.get(search, {"q": "beskæftigelsesplan", "kind": "agenda"}))
    assert "Beskæftigelsesplan 2027" in agendas and "dagsorden, ikke behandlet endnu" in agendas
    assert "Beskæftigelsesplan 2027" not in text_of(client.get(search, {"q": "beskæftigelsesplan", "kind": "minutes"}))


def test_an_agenda_whose_minutes_are_late_says_so(client, monkeypatch):
    meeting = import_file(AGENDA).meeting
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2026, 12, 20))
    page = text_of(client.get(meeting.get_absolute_url()))
    assert "Dagsorden — referatet er ikke offentliggjort endnu." in page
    assert "Kommende møder" not in text_of(client.get(reverse("web:home")))


def test_corrections_are_public_with_a_word_level_diff(client):
    import_file(MINUTES)
    meeting = Meeting.objects.get()
    assert "Referatet er rettet" not in text_of(client.get(meeting.get_absolute_url()))
    protocol_import(content=corrected_minutes(), filename="rettet.txt")
    meeting.refresh_from_db()
    when = timezone.localtime(meeting.corrected_at)

    page = text_of(client.get(meeting.get_absolute_url()))
    assert f"Referatet er rettet {when.day}. " in page
    assert "Se de tidligere udgaver og hvad der blev ændret" in page
    assert "2 offentliggjorte udgaver, og hvad der blev ændret" in page
    case = Case.objects.get(meeting=meeting, number=53)
    assert "Referatet er rettet" in text_of(client.get(case.get_absolute_url()))

    history = client.get(meeting.get_history_url())
    html = history.content.decode()
    assert "Referat – rettet udgave" in text_of(history)
    # Word level: only the inserted words are marked; "Anbefales" and its full stop are unchanged context.
    assert re.findall(r"<ins>.*?</span>(.*?)<span", html) == ["med den ændring, at målet for ledigheden sænkes"]
    assert re.findall(r"<del>.*?</span>(.*?)<span", html) == []
    assert "Beslutning Anbefales <ins>" in html

    # The earlier version's text is public, exactly as published, and cannot run as a page.
    first = meeting.source_versions.order_by("imported_at", "id").first()
    version = client.get(
        reverse(
            "web:meeting_version_text",
            kwargs={"committee": meeting.committee.slug, "date": meeting.date, "pk": first.pk},
        )
    )
    assert version.status_code == 200 and "sandbox" in version["Content-Security-Policy"]
    assert version.content.decode() == MINUTES.read_text(encoding="utf-8")


def test_a_corrected_agenda_is_announced_and_called_a_correction_in_the_history(client, before_the_meeting):
    meeting = import_file(AGENDA).meeting
    import_file(AGENDA)  # the same agenda again: nothing was corrected
    meeting.refresh_from_db()
    assert meeting.corrected_at is None
    assert "er rettet" not in text_of(client.get(meeting.get_absolute_url()))

    result = protocol_import(content=corrected_agenda(), filename="dagsorden-rettet.txt")
    assert result.status == ImportStatus.UPDATED
    meeting.refresh_from_db()
    assert meeting.kind == DocumentKind.AGENDA and meeting.corrected_at is not None
    when = date_format(timezone.localtime(meeting.corrected_at), "j. F Y")
    page = text_of(client.get(meeting.get_absolute_url()))
    assert "Dagsorden — mødet er ikke holdt endnu." in page
    assert f"Dagsordenen er rettet {when}. Se de tidligere udgaver og hvad der blev ændret" in page
    assert "Referatet er rettet" not in page
    case = Case.objects.get(meeting=meeting, number=53)
    assert f"Dagsordenen er rettet {when}." in text_of(client.get(case.get_absolute_url()))

    history = client.get(meeting.get_history_url())
    assert "Dagsorden – rettet udgave" in text_of(history)
    assert "Det reviderede udkast" in "".join(re.findall(r"<ins>.*?</span>(.*?)<span", history.content.decode()))

    # The minutes follow the agenda: they are no correction, and the page stops announcing one.
    import_file(MINUTES)
    meeting.refresh_from_db()
    assert meeting.kind == DocumentKind.MINUTES and meeting.corrected_at is None
    page = text_of(client.get(meeting.get_absolute_url()))
    assert "er rettet" not in page
    history = text_of(client.get(meeting.get_history_url()))
    assert "Referatet erstattede dagsordenen – se forskellen" in history
    assert history.count("rettet udgave") == 1  # the corrected agenda stays a correction in the history


def test_unpublished_previews_and_withdrawn_meetings_stay_private(client, clerk):
    import_file(MINUTES)
    meeting = Meeting.objects.get()
    upload(client, corrected_minutes(), "rettet.txt")
    assert Upload.objects.get().state == Upload.State.PREVIEW
    client.logout()
    history = text_of(client.get(meeting.get_history_url()))
    assert "rettet udgave" not in history and "målet for ledigheden" not in history
    assert SourceDocument.objects.count() == 1
    # A version of another meeting is not reachable under this meeting's address.
    other = import_file(OWN_PROTOCOLS / "kommunalbestyrelsen-2014-05-27.txt").meeting
    foreign = reverse(
        "web:meeting_version_text",
        kwargs={"committee": meeting.committee.slug, "date": meeting.date, "pk": other.source_id},
    )
    assert client.get(foreign).status_code == 404
    meeting_withdraw(meeting=meeting)
    assert client.get(meeting.get_history_url()).status_code == 404


def test_a_recommendation_says_who_decides_and_links_onward(client):
    import_file(MINUTES)
    plan = Case.objects.get(meeting__date=dt.date(2026, 12, 15), number=53)
    page = text_of(client.get(plan.get_absolute_url()))
    assert "Beslutning Anbefalet Anbefales." in page
    assert "Udvalget anbefaler indstillingen, som den er." in page
    assert "Ikke endeligt afgjort: Kommunalbestyrelsen træffer afgørelsen." in page
    assert "Afgørelsen i Kommunalbestyrelsen er ikke i arkivet endnu." in page
    # A case the committee decides itself says nothing of the kind.
    meddelelser = Case.objects.get(meeting=plan.meeting, number=52)
    assert "Ikke endeligt afgjort" not in text_of(client.get(meddelelser.get_absolute_url()))

    council = (
        "Kommunalbestyrelsen\n{date}\n{kind}Sager 120 - 120\nBeskæftigelsesplan 2027\nSag nr. 120\n"
        "Beslutningskompetence: KB\nIndstilling\nSocial- og Sundhedsforvaltningen indstiller,\n"
        "at Beskæftigelsesplan 2027 godkendes.\nBeskæftigelsesudvalget, 15. december 2026, pkt. 53:\nAnbefales.\n"
        "{decision}"
    )
    # The council's agenda first: the matter is on its way.
    protocol_import(
        content=council.format(date="26-01-2027", kind="Dagsorden\n", decision="").encode(), filename="kb.txt"
    )
    page = text_of(client.get(plan.get_absolute_url()))
    assert "Sagen er på dagsordenen: Kommunalbestyrelsen, 26. januar 2027, sag nr. 120" in page
    # Then its minutes: the final decision, linked.
    protocol_import(
        content=council.format(date="26-01-2027", kind="", decision="Beslutning\nGodkendt.\n").encode(),
        filename="kb-referat.txt",
    )
    response = client.get(plan.get_absolute_url())
    final = Case.objects.get(meeting__committee__code="KB", number=120)
    assert "Afgørelsen: Kommunalbestyrelsen, 26. januar 2027, sag nr. 120 – Godkendt" in text_of(response)
    assert f'href="{final.get_absolute_url()}"' in response.content.decode()


def test_an_old_recommendation_names_the_deciding_body_from_its_pointer_and_links_its_decision(client):
    import_old(OLD_COMMITTEE, decision="Indstilles godkendt (Til Kommunalbestyrelsen)")
    lokalplan = Case.objects.get(meeting__committee__code="ØU", number=138)
    assert (lokalplan.authority, lokalplan.decision.outcome) == ("", "recommended")
    page = text_of(client.get(lokalplan.get_absolute_url()))
    assert "Ikke endeligt afgjort: Kommunalbestyrelsen træffer afgørelsen." in page
    assert "Afgørelsen i Kommunalbestyrelsen er ikke i arkivet endnu." in page

    council = import_old(OLD_COUNCIL, date="26-02-2008", number=12, decision="Godkendt.")
    final = council.cases.get(number=12)
    # The council's case quotes the committee's decision in its trail, as an undated step linked to it.
    step = final.steps.get()
    assert (step.body, step.date, step.text, step.earlier_case) == (
        "Økonomiudvalget",
        None,
        "Indstilles godkendt.",
        lokalplan,
    )
    response = client.get(lokalplan.get_absolute_url())
    page = text_of(response)
    assert "Ikke endeligt afgjort: Kommunalbestyrelsen træffer afgørelsen." in page
    assert "Afgørelsen: Kommunalbestyrelsen, 26. februar 2008, sag nr. 12 – Godkendt" in page
    assert f'href="{final.get_absolute_url()}"' in response.content.decode()
    assert "ikke i arkivet endnu" not in page and "et andet organ træffer afgørelsen" not in page


def test_without_a_deciding_body_the_latest_final_treatment_in_the_trail_is_the_decision(client):
    import_old(OLD_COMMITTEE, decision="Indstilles godkendt.")
    lokalplan = Case.objects.get(meeting__committee__code="ØU", number=138)
    page = text_of(client.get(lokalplan.get_absolute_url()))
    assert (
        "Ikke endeligt afgjort: udvalget giver kun sin anbefaling videre; et andet organ træffer afgørelsen. "
        "Den endelige afgørelse er ikke i arkivet endnu." in page
    )
    # The council postpones: no final decision yet, and the page lists the postponement as what it is.
    import_old(OLD_COUNCIL, date="26-02-2008", number=12, decision="Udsat.")
    page = text_of(client.get(lokalplan.get_absolute_url()))
    assert (
        "Den endelige afgørelse er ikke i arkivet endnu. "
        "Videre behandling i arkivet: Kommunalbestyrelsen, 26. februar 2008 (udsat)" in page
    )
    assert "Afgørelsen:" not in page
    # Then it decides: that is the final decision, never reported missing while it is listed.
    import_old(OLD_COUNCIL, date="25-03-2008", number=30, decision="Godkendt med 15 stemmer mod 4 (Ø og F).")
    response = client.get(lokalplan.get_absolute_url())
    page = text_of(response)
    assert "Ikke endeligt afgjort: Kommunalbestyrelsen træffer afgørelsen." in page
    assert "Afgørelsen: Kommunalbestyrelsen, 25. marts 2008, sag nr. 30 – Godkendt" in page
    final = Case.objects.get(meeting__date=dt.date(2008, 3, 25), number=30)
    assert f'href="{final.get_absolute_url()}"' in response.content.decode()
    assert "ikke i arkivet endnu" not in page
    # Both of the council's treatments are listed among the matter's later treatments.
    assert (
        "Videre behandling Kommunalbestyrelsen, 26. februar 2008, sag nr. 12 – Udsat "
        "Kommunalbestyrelsen, 25. marts 2008, sag nr. 30 – Godkendt" in page
    )


@pytest.mark.parametrize(
    ("decision", "code"),
    [
        ("Indstilles godkendt (Til Kommunalbestyrelsen)", "KB"),
        ("Indstilles godkendt. (Til KB)", "KB"),
        ("Anbefales og sendes videre til Økonomiudvalget.", "ØU"),
        ("Anbefales (til Teknik- og Miljøudvalget og Kommunalbestyrelsen).", "TMU"),
        # No committee after "til", or the committee's own name: no pointer.
        ("Indstilles godkendt med en bevilling til Rødovre Skole.", None),
        ("Anbefales til Børne- og Skoleudvalget.", None),
        ("Sagen sendes tilbage til forvaltningen.", None),
        ("Indstilles godkendt.", None),
    ],
)
def test_a_pointer_in_an_old_decision_names_a_known_committee(decision, code):
    own = Committee.objects.get(code="BSU")
    found = pointed_committee(decision, Committee.objects.all(), own)
    assert (found.code if found else None) == code


def test_whether_the_recommendation_was_followed_is_shown_next_to_the_decision(client):
    meeting = import_file(OWN_PROTOCOLS / "kommunalbestyrelsen-2014-05-27.txt").meeting
    svoemmehal = text_of(client.get(meeting.cases.get(number=62).get_absolute_url()))
    assert "Indstillingen blev fulgt med ændringer – se beslutningen." in svoemmehal
    assert svoemmehal.index("Godkendt med den ændring") < svoemmehal.index("Teknisk Forvaltning indstiller,")
    assert "Sagen blev udsat; indstillingen er ikke afgjort." in text_of(
        client.get(meeting.cases.get(number=63).get_absolute_url())
    )


def test_the_printed_case_keeps_attendance_and_address(client):
    meeting = import_file(MINUTES).meeting
    case = meeting.cases.get(number=53)
    html = client.get(case.get_absolute_url()).content.decode()
    assert f'<p class="print-only print-address">Sagens adresse: http://testserver{case.get_absolute_url()}</p>' in html
    assert 'id="deltagelse"' in html
    from tests.conftest import ROOT

    print_css = (ROOT / "static" / "css" / "print.css").read_text()
    hidden = print_css[: print_css.index("{ display: none !important; }")]
    assert ".page__aside" not in hidden and ".print-only { display: block !important; }" in print_css


def test_empty_committees_are_marked_and_the_home_page_states_the_coverage(client):
    import_file(MINUTES)
    import_file(OWN_PROTOCOLS / "kommunalbestyrelsen-2009-03-24.txt")
    home = text_of(client.get(reverse("web:home")))
    assert "Arkivet rummer 2 møder med 7 sager fra 2 udvalg, 2009–2026." in home
    assert "Kommunalbestyrelsen 1 møde, 4 sager 2009" in home
    empty = Committee.objects.get(code="TMU")
    page = text_of(client.get(empty.get_absolute_url()))
    assert "Arkivet har endnu ingen møder fra dette udvalg." in page
    assert "Med beslutning" not in page
    listing = text_of(client.get(reverse("web:committee_list")))
    assert "Teknik- og Miljøudvalget (TMU) Ingen møder i arkivet endnu" in listing


# --------------------------------------------------------------------- the clerk's round


def test_a_clerk_publishes_the_agenda_then_the_minutes(client, clerk, before_the_meeting):
    # The agenda: previewed as an agenda, published with a confirmation on the page the clerk lands on.
    response = upload(client, AGENDA.read_bytes(), "dagsorden.txt")
    preview = client.get(response.url)
    text = text_of(preview)
    assert "Dagsorden Filen er en dagsorden: sagerne har ingen beslutninger endnu." in text
    assert "Art Dagsorden (før mødet: ingen beslutninger)" in text and "Valgperiode 2026" in text
    # The publish button comes before the cases.
    html = preview.content.decode()
    assert html.index('id="publish-form"') < html.index('id="sagerne"')
    pk = Upload.objects.get().pk
    response = client.post(reverse("publishing:upload_publish", kwargs={"pk": pk}), follow=True)
    meeting = Meeting.objects.get()
    assert response.redirect_chain[-1][0] == meeting.get_absolute_url()
    page = text_of(response)
    assert "Dagsordenen er offentliggjort: Beskæftigelsesudvalget, 15. december 2026." in page
    assert "Dagsorden — mødet er ikke holdt endnu." in page
    assert "Logget ind som anne" in page
    # The message is shown once.
    assert "Dagsordenen er offentliggjort" not in text_of(client.get(meeting.get_absolute_url()))

    # The minutes: the preview says they replace the agenda, and publishing needs no tick.
    response = upload(client, MINUTES.read_bytes(), "referat.txt")
    text = text_of(client.get(response.url))
    assert "Referatet erstatter den offentliggjorte dagsorden; dagsordenen bliver i mødets historik." in text
    assert "Referatet erstatter dagsordenen; dagsordenen bliver i mødets historik." in text
    assert 'name="confirm_replace"' not in client.get(response.url).content.decode()
    second = Upload.objects.latest("id")
    response = client.post(reverse("publishing:upload_publish", kwargs={"pk": second.pk}), follow=True)
    assert "Referatet er offentliggjort: Beskæftigelsesudvalget, 15. december 2026." in text_of(response)
    meeting.refresh_from_db()
    assert meeting.kind == DocumentKind.MINUTES
    assert "Dagsorden —" not in text_of(response)
    history = text_of(client.get(meeting.get_history_url()))
    assert "Referat offentliggjort" in history and "Dagsorden offentliggjort" in history
    assert "Referatet erstattede dagsordenen – se forskellen" in history

    # An agenda uploaded now cannot be published over the minutes.
    response = upload(client, AGENDA.read_bytes(), "dagsorden-igen.txt")
    page = client.get(response.url).content.decode()
    assert "En dagsorden kan ikke erstatte et referat" in page and 'id="publish-form"' not in page
    third = Upload.objects.latest("id")
    response = client.post(reverse("publishing:upload_publish", kwargs={"pk": third.pk}))
    assert response.status_code == 409 and "En dagsorden kan ikke erstatte et referat" in response.content.decode()
    assert Meeting.objects.get().kind == DocumentKind.MINUTES


def test_a_correction_previews_word_by_word(client, clerk):
    import_file(MINUTES)
    response = upload(client, corrected_minutes(), "rettet.txt")
    html = client.get(response.url).content.decode()
    assert "Se ændringerne ord for ord" in html
    assert re.search(r"<ins><span class=\"visually-hidden\">\[tilføjet: </span>med den ændring, at målet", html)
    assert 'name="confirm_replace"' in html
