"""The OParl 1.1 API walked as a client walks it, from the System object to every object of the archive."""

import datetime as dt
import hashlib
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import AttachmentDocument, Case
from meetings.models import Meeting, SourceDocument
from oparl import files
from oparl.links import Links
from oparl.terms import term_start
from tests import factories
from tests.open_data import API, OPARL_TYPES, Walk, validate

# The API itself, uncached; `test_cached_answers_keep_their_headers` runs it behind the page cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def meeting_url(slug, date):
    return f"{API}meeting/{slug}/{date}/"


# --- the walk ---------------------------------------------------------------------------------------------------


def test_walk_reaches_and_validates_every_object(open_archive, client):
    """From the System object, every list to its last page (10 per page) and every object by its id."""
    walk = Walk(client, query="?limit=10")
    cases = Case.objects.count()
    assert walk.types() == Counter(
        {
            "System": 1,
            "Body": 1,
            "LegislativeTerm": 3,  # 2006, 2018, 2022
            "Organization": 8,
            "Person": 16,
            "Membership": 24,
            "Meeting": Meeting.objects.count(),
            "AgendaItem": cases,
            "Consultation": cases,
            # Three matters span several meetings: two KB cases of 2007 cite ØU's, and Lokalplan 155 went
            # TMU → ØU → KB; each is one paper.
            "Paper": cases - 4,
            "File": SourceDocument.objects.count() + 2,  # every protocol, the procesplan and the PDF
        }
    )
    assert set(walk.types()) == set(OPARL_TYPES)
    # Each external list holds exactly the objects of its type, each once.
    for name, type_name in [("meeting", "Meeting"), ("paper", "Paper"), ("file", "File"), ("person", "Person")]:
        assert len(walk.lists[f"{API}{name}/"]) == walk.types()[type_name]
    assert walk.pages > 25
    # An object embedded in another is the object its id serves.
    for obj in walk.objects.values():
        for name in ("agendaItem", "consultation", "membership", "legislativeTerm"):
            for embedded in obj.get(name) or []:
                if isinstance(embedded, dict):
                    assert embedded == walk.objects[embedded["id"]], embedded["id"]
    # Every `web` is a page of the site.
    webs = {obj["web"] for obj in walk.objects.values() if "web" in obj}
    assert len(webs) > 50
    for url in webs:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/html")
    print(f"walked {len(walk.objects)} objects, {walk.embedded} embedded, {walk.pages} list pages, {len(webs)} pages")


def test_links_write_the_paths_the_urlconf_serves(rf):
    links = Links(rf.get("/"))
    day = dt.date(2020, 8, 11)
    site = "http://testserver"
    assert links.system() == site + reverse("oparl:system")
    assert links.body() == site + reverse("oparl:body", args=["rodovre"])
    assert links.term(2018) == site + reverse("oparl:term", args=[2018])
    assert links.organization("beu") == site + reverse("oparl:organization", args=["beu"])
    assert links.organization_meetings("beu") == site + reverse("oparl:organization_meetings", args=["beu"])
    assert links.person("a-b") == site + reverse("oparl:person", args=["a-b"])
    assert links.membership("beu", 2018, "a-b", "formand") == site + reverse(
        "oparl:membership", args=["beu", 2018, "a-b", "formand"]
    )
    assert links.meeting("beu", day) == site + reverse("oparl:meeting", args=["beu", day])
    for kind in ("agendaitem", "consultation", "paper"):
        assert links._case_path(kind, "beu", day, 30) == site + reverse(f"oparl:{kind}", args=["beu", day, 30])
    for name, view in (("file", "file"), ("file_access", "file_access"), ("file_download", "file_download")):
        assert getattr(links, name)("protocol", 7) == site + reverse(f"oparl:{view}", args=["protocol", 7])
    for name in ("organization", "person", "membership", "meeting", "agendaitem", "consultation", "paper", "file"):
        assert links.list(name) == site + reverse(f"oparl:{name}_list")


# --- the validator itself ------------------------------------------------------------------------------------


def test_validator_rejects_what_oparl_forbids():
    good = {
        "id": f"{API}file/protocol/1/",
        "type": "https://schema.oparl.org/1.1/File",
        "accessUrl": f"{API}file/protocol/1/access",
    }
    assert validate(good) == "File"
    for broken in (
        {k: v for k, v in good.items() if k != "accessUrl"},  # required
        {**good, "accessUrl": "not a url"},  # format url
        {**good, "size": "12"},  # type
        {**good, "created": "2024-01-01"},  # a date-time needs its time and offset
        {**good, "name": "x", "deleted": True},  # a deleted object keeps nothing but id, type, created, modified
        {**good, "type": "https://schema.oparl.org/1.0/File"},
    ):
        with pytest.raises(AssertionError):
            validate(broken)
    meeting = {
        "id": f"{API}meeting/x/2020-01-01/",
        "type": "https://schema.oparl.org/1.1/Meeting",
        "agendaItem": [{"id": f"{API}agendaitem/x/2020-01-01/1/", "type": "https://schema.oparl.org/1.1/AgendaItem"}],
    }
    # Embedded objects are validated against their own schema (AgendaItem requires `order`).
    with pytest.raises(AssertionError, match="order"):
        validate(meeting)


# --- what the objects say ----------------------------------------------------------------------------------------


def test_a_matter_is_one_paper_with_a_consultation_per_meeting_that_treated_it(open_archive, client):
    paper = client.get(f"{API}paper/teknik-og-miljoeudvalget/2025-06-10/65/").json()
    assert paper["name"] == "Lokalplan 155 for Islev Torv"
    assert paper["reference"] == "TMU 65/25"
    assert [c["meeting"] for c in paper["consultation"]] == [
        meeting_url("teknik-og-miljoeudvalget", "2025-06-10"),
        meeting_url("oekonomiudvalget", "2025-06-11"),
        meeting_url("kommunalbestyrelsen", "2025-06-24"),
    ]
    assert [c["authoritative"] for c in paper["consultation"]] == [False, False, True]
    assert [c["rodovre:minutes"]["outcome"] for c in paper["consultation"]] == [
        "recommended",
        "recommended",
        "approved",
    ]
    assert paper["rodovre:minutes"]["outcome"] == "approved"
    kb = client.get(f"{API}consultation/kommunalbestyrelsen/2025-06-24/30/").json()
    assert kb["paper"] == paper["id"]
    # The later cases of the matter have no paper of their own.
    merged = client.get(f"{API}paper/kommunalbestyrelsen/2025-06-24/30/").json()
    assert merged == {
        "id": f"{API}paper/kommunalbestyrelsen/2025-06-24/30/",
        "type": "https://schema.oparl.org/1.1/Paper",
        "created": merged["created"],
        "modified": paper["modified"],
        "deleted": True,
    }
    # "Sag nr. 104 (ØU 138/07)": the council's case continues Økonomiudvalget's sag 138.
    cited = client.get(f"{API}paper/oekonomiudvalget/2007-11-20/138/").json()
    assert [c["agendaItem"] for c in cited["consultation"]] == [
        f"{API}agendaitem/oekonomiudvalget/2007-11-20/138/",
        f"{API}agendaitem/kommunalbestyrelsen/2007-11-27/104/",
    ]


def test_agenda_items_carry_result_and_the_archives_extension(open_archive, client):
    item = client.get(f"{API}agendaitem/kommunalbestyrelsen/2025-06-24/30/").json()
    assert (item["number"], item["order"], item["public"]) == ("30", 30, True)
    assert item["result"] == "Godkendt"
    assert item["resolutionText"].startswith("Godkendt.\nFor stemte: A, F og Ø.")
    extension = item["rodovre:minutes"]
    assert extension["outcome"] == "approved"
    assert extension["authority"] == "KB"
    assert extension["authorityOrganization"] == f"{API}organization/kommunalbestyrelsen/"
    assert extension["recommendations"][0]["text"] == "at Lokalplan 155 for Islev Torv vedtages endeligt,"
    assert f"{API}person/jan-kongebro/" in extension["absent"]
    assert [(s["body"], s.get("agendaItem")) for s in extension["trail"]] == [
        ("Teknik- og Miljøudvalget", f"{API}agendaitem/teknik-og-miljoeudvalget/2025-06-10/65/"),
        ("Økonomiudvalget", f"{API}agendaitem/oekonomiudvalget/2025-06-11/106/"),
    ]
    assert {a["number"] for a in extension["attachments"]} == {1, 2}
    closed = client.get(f"{API}agendaitem/kommunalbestyrelsen/2025-06-24/33/").json()
    assert closed["public"] is False


def test_meetings_list_attendance_with_substitutes_and_absences(open_archive, client):
    meeting = client.get(meeting_url("kommunalbestyrelsen", "2025-06-24")).json()
    assert meeting["name"] == "Kommunalbestyrelsen, 24. juni 2025"
    assert meeting["meetingState"] == "durchgeführt"
    assert meeting["end"] == "2025-06-24T21:05:00+02:00"
    assert "start" not in meeting  # protocols do not say when a meeting began
    attendance = {a["person"].rsplit("/", 2)[-2]: a for a in meeting["rodovre:minutes"]["attendance"]}
    assert attendance["kim-hansen"]["substituteFor"] == f"{API}person/ole-nielsen/"
    assert attendance["jan-kongebro"]["absentFrom"] == [
        f"{API}agendaitem/kommunalbestyrelsen/2025-06-24/{n}/" for n in (30, 32, 33)
    ]
    assert attendance["peter-mikkelsen"]["present"] is False
    assert f"{API}person/peter-mikkelsen/" not in meeting["participant"]
    protocol = meeting["resultsProtocol"]
    source = SourceDocument.objects.get(pk=protocol["id"].rstrip("/").rsplit("/", 1)[-1])
    assert protocol["size"] == len(source.content)
    assert protocol["sha512Checksum"] == hashlib.sha512(bytes(source.content)).hexdigest()
    assert protocol["text"] == source.text
    # Ole Nielsen is named only as the one Kim Hansen stood in for: still a person of the archive.
    assert client.get(f"{API}person/ole-nielsen/").json()["name"] == "Ole Nielsen"


def test_memberships_come_from_member_lists_per_term_and_role(open_archive, client):
    person = client.get(f"{API}person/kim-hansen/").json()
    roles = {(m["rodovre:minutes"]["legislativeTerm"].rsplit("/", 2)[-2], m["role"]) for m in person["membership"]}
    assert roles == {("2022", "Medlem"), ("2022", "Suppleant")}
    assert person["rodovre:minutes"] == {"party": "V", "partyName": "Venstre"}
    chair = client.get(f"{API}membership/beskaeftigelsesudvalget/2018/annie-arnoldsen-petersen/formand/").json()
    assert (chair["role"], chair["startDate"], chair["endDate"]) == ("Formand", "2019-10-08", "2019-10-08")


def test_legislative_terms_are_the_danish_election_periods():
    assert term_start(dt.date(2017, 12, 31)) == 2014
    assert term_start(dt.date(2018, 1, 1)) == 2018
    assert term_start(dt.date(2021, 11, 16)) == 2018
    assert term_start(dt.date(2022, 1, 1)) == 2022
    assert term_start(dt.date(2026, 1, 1)) == 2026
    assert term_start(dt.date(2007, 11, 27)) == 2006


def test_terms_listed_from_the_meetings(open_archive, client):
    terms = client.get(f"{API}legislativeterm/").json()["data"]
    assert [(t["name"], t["startDate"], t["endDate"]) for t in terms] == [
        ("Valgperioden 2006–2009", "2006-01-01", "2009-12-31"),
        ("Valgperioden 2018–2021", "2018-01-01", "2021-12-31"),
        ("Valgperioden 2022–2025", "2022-01-01", "2025-12-31"),
    ]
    assert client.get(f"{API}legislativeterm/2010/").status_code == 404


# --- withdrawn meetings ------------------------------------------------------------------------------------------


def test_withdrawn_meeting_and_its_cases_answer_deleted(open_archive, client):
    Meeting.objects.update(updated_at=timezone.now() - dt.timedelta(days=1))
    AttachmentDocument.objects.update(uploaded_at=timezone.now() - dt.timedelta(days=1))
    before = timezone.now().replace(microsecond=0)
    factories.withdraw(committee__slug="beskaeftigelsesudvalget", date="2020-08-11")
    meeting = client.get(meeting_url("beskaeftigelsesudvalget", "2020-08-11")).json()
    assert set(meeting) == {"id", "type", "created", "modified", "deleted"} and meeting["deleted"] is True
    assert dt.datetime.fromisoformat(meeting["modified"]) >= before
    case_path = "beskaeftigelsesudvalget/2020-08-11/30/"
    assert client.get(f"{API}paper/{case_path}").json()["deleted"] is True
    # Its agenda items and consultations answer as deleted too, modified with their meeting; an AgendaItem keeps
    # the `order` its schema requires.
    item = client.get(f"{API}agendaitem/{case_path}").json()
    assert item == {
        "id": f"{API}agendaitem/{case_path}",
        "type": "https://schema.oparl.org/1.1/AgendaItem",
        "order": 30,
        "created": meeting["created"],
        "modified": meeting["modified"],
        "deleted": True,
    }
    consultation = client.get(f"{API}consultation/{case_path}").json()
    assert consultation == {
        "id": f"{API}consultation/{case_path}",
        "type": "https://schema.oparl.org/1.1/Consultation",
        "created": meeting["created"],
        "modified": meeting["modified"],
        "deleted": True,
    }
    source = Meeting.objects.get(date="2020-08-11").source_id
    assert client.get(f"{API}file/protocol/{source}/").json()["deleted"] is True
    assert client.get(f"{API}file/protocol/{source}/download").status_code == 410
    # The procesplan belongs only to sag 30 of that meeting: deleted with it.
    procesplan = AttachmentDocument.objects.get(filename__startswith="procesplan").pk
    document = client.get(f"{API}file/document/{procesplan}/").json()
    assert document["deleted"] is True
    # Lists leave deleted objects out, unless a client updates its copy (modified_since).
    listed = {m["id"] for m in client.get(f"{API}meeting/").json()["data"]}
    assert meeting["id"] not in listed
    since = client.get(f"{API}meeting/", {"modified_since": before.isoformat()}).json()["data"]
    assert [m["id"] for m in since] == [meeting["id"]] and since[0]["deleted"] is True
    papers = client.get(f"{API}paper/", {"modified_since": before.isoformat()}).json()["data"]
    assert {p["id"] for p in papers} >= {f"{API}paper/beskaeftigelsesudvalget/2020-08-11/{n}/" for n in range(29, 35)}
    for kind in ("agendaitem", "consultation"):
        withdrawn = {f"{API}{kind}/beskaeftigelsesudvalget/2020-08-11/{n}/" for n in range(29, 35)}
        assert not withdrawn & set(_ids(client, f"{kind}/", limit=100)), kind
        since = client.get(f"{API}{kind}/", {"modified_since": before.isoformat(), "limit": 100}).json()["data"]
        assert {obj["id"] for obj in since if obj.get("deleted")} == withdrawn, kind
        assert all(obj["modified"] == meeting["modified"] for obj in since if obj.get("deleted")), kind
    # The whole API still validates, deleted objects included.
    walk = Walk(client, query=f"?modified_since={before.isoformat().replace('+', '%2B')}")
    assert meeting["id"] in walk.objects


def test_withdrawn_memberships_and_terms_answer_deleted(open_archive, client):
    Meeting.objects.update(updated_at=timezone.now() - dt.timedelta(days=1))
    AttachmentDocument.objects.update(uploaded_at=timezone.now() - dt.timedelta(days=1))
    before = timezone.now().replace(microsecond=0)
    beu = f"{API}membership/beskaeftigelsesudvalget/2018/"
    chair_2020, member = f"{beu}michel-berg/formand/", f"{beu}anders-torm-nielsen/medlem/"
    assert client.get(chair_2020).json()["startDate"] == "2020-08-11"
    # Michel Berg chaired only the meeting of 2020-08-11: withdrawing it deletes that membership.
    factories.withdraw(committee__slug="beskaeftigelsesudvalget", date="2020-08-11")
    withdrawn = Meeting.objects.get(date="2020-08-11").updated_at.replace(microsecond=0)
    chair = client.get(chair_2020)
    assert chair.status_code == 200
    assert chair.json() == {
        "id": chair_2020,
        "type": "https://schema.oparl.org/1.1/Membership",
        "created": chair.json()["created"],
        "modified": chair.json()["modified"],
        "deleted": True,
    }
    assert dt.datetime.fromisoformat(chair.json()["modified"]) == withdrawn
    validate(chair.json())
    # Anders Torm Nielsen was also listed on 2019-10-08: his membership stays, ending there.
    stays = client.get(member).json()
    assert (stays["startDate"], stays["endDate"], "deleted" in stays) == ("2019-10-08", "2019-10-08", False)
    assert dt.datetime.fromisoformat(stays["modified"]) == withdrawn
    # Left out of the lists (and of its organization and person), listed as deleted to a client updating its copy.
    assert chair_2020 not in _ids(client, "membership/", limit=100)
    assert chair_2020 not in client.get(f"{API}organization/beskaeftigelsesudvalget/").json()["membership"]
    since = client.get(f"{API}membership/", {"modified_since": before.isoformat(), "limit": 100}).json()["data"]
    assert {m["id"]: m.get("deleted", False) for m in since} == {
        f"{beu}anders-torm-nielsen/medlem/": False,
        f"{beu}jan-kongebro/medlem/": False,
        f"{beu}peter-mikkelsen/medlem/": False,
        f"{beu}steen-skriver-rasmussen/medlem/": False,
        chair_2020: True,
    }
    # Withdrawing the term's last published meeting deletes the term and every membership in it.
    assert client.get(f"{API}legislativeterm/2018/").json()["name"] == "Valgperioden 2018–2021"
    factories.withdraw(committee__slug="beskaeftigelsesudvalget", date="2019-10-08")
    last = Meeting.objects.get(date="2019-10-08").updated_at.replace(microsecond=0)
    term = client.get(f"{API}legislativeterm/2018/").json()
    assert set(term) == {"id", "type", "created", "modified", "deleted"} and term["deleted"] is True
    assert term["id"] == f"{API}legislativeterm/2018/"
    assert dt.datetime.fromisoformat(term["modified"]) == last
    validate(term)
    assert client.get(member).json()["deleted"] is True
    assert [t["id"] for t in client.get(f"{API}legislativeterm/").json()["data"]] == [
        f"{API}legislativeterm/2006/",
        f"{API}legislativeterm/2022/",
    ]
    body_terms = client.get(f"{API}body/rodovre/").json()["legislativeTerm"]
    assert [t["id"] for t in body_terms] == [f"{API}legislativeterm/2006/", f"{API}legislativeterm/2022/"]
    since = client.get(f"{API}legislativeterm/", {"modified_since": before.isoformat()}).json()["data"]
    assert since == [term]
    since = client.get(f"{API}membership/", {"modified_since": before.isoformat(), "limit": 100}).json()["data"]
    assert len(since) == 6 and all(m["deleted"] is True for m in since)
    assert not any("/2018/" in m for m in _ids(client, "membership/", limit=100))
    # The whole API still validates and reaches them.
    walk = Walk(client, query=f"?modified_since={before.isoformat().replace('+', '%2B')}")
    assert term["id"] in walk.objects and chair_2020 in walk.objects and member in walk.objects


# --- lists: filters, pagination ---------------------------------------------------------------------------------


def _stamp(date: str, created: dt.datetime, modified: dt.datetime) -> None:
    Meeting.objects.filter(date=date).update(created_at=created, updated_at=modified)


def _ids(client, path, **params):
    return [obj["id"] for obj in client.get(f"{API}{path}", params).json()["data"]]


def test_date_filters_select_by_created_and_modified(open_archive, client):
    old = timezone.make_aware(dt.datetime(2021, 3, 1, 10, 0, 0, 500000))
    new = timezone.make_aware(dt.datetime(2024, 6, 1, 12, 0, 0))
    Meeting.objects.update(created_at=old, updated_at=old)
    AttachmentDocument.objects.update(uploaded_at=old)
    _stamp("2022-11-15", old, new)
    _stamp("2019-10-08", new, new + dt.timedelta(days=1))
    beu_2022 = meeting_url("beskaeftigelsesudvalget", "2022-11-15")
    beu_2019 = meeting_url("beskaeftigelsesudvalget", "2019-10-08")
    since = "2024-01-01T00:00:00+01:00"
    assert set(_ids(client, "meeting/", modified_since=since)) == {beu_2022, beu_2019}
    assert set(_ids(client, "meeting/", created_since=since)) == {beu_2019}
    assert beu_2019 not in _ids(client, "meeting/", created_until=since, limit=100)
    # The bounds are the values as published (to the second), both included.
    shown = client.get(beu_2022).json()["modified"]
    assert _ids(client, "meeting/", modified_since=shown, modified_until=shown) == [beu_2022]
    created = client.get(beu_2022).json()["created"]
    assert beu_2022 in _ids(client, "meeting/", created_until=created, limit=100)
    # A '+' that was not URL-encoded arrives as a space and is still read as the offset.
    assert set(_ids(client, "meeting/", modified_since=since.replace("+", " "))) == {beu_2022, beu_2019}
    # Every list filters, including those computed in Python (papers, consultations) and the file list.
    for path in ("organization/", "person/", "membership/", "agendaitem/", "consultation/", "paper/", "file/"):
        assert _ids(client, path, modified_since="2030-01-01T00:00:00Z") == [], path
        assert _ids(client, path, created_until="2000-01-01T00:00:00Z") == [], path
        assert _ids(client, path, modified_since="2000-01-01T00:00:00Z"), path
    papers = _ids(client, "paper/", modified_since=since, limit=100)
    assert f"{API}paper/beskaeftigelsesudvalget/2022-11-15/45/" in papers
    assert all("2020-08-11" not in p for p in papers)


def test_pagination_runs_to_the_last_page_in_a_stable_order(open_archive, client):
    first = client.get(f"{API}agendaitem/", {"limit": 7}).json()
    total = first["pagination"]["totalElements"]
    pages_expected = -(-total // 7)
    assert total == Case.objects.count() and pages_expected > 3
    assert first["pagination"] == {
        "totalElements": total,
        "elementsPerPage": 7,
        "currentPage": 1,
        "totalPages": pages_expected,
    }
    assert set(first["links"]) == {"first", "self", "next", "last"}
    seen, page, pages = [], first, 1
    while True:
        seen += [obj["id"] for obj in page["data"]]
        if "next" not in page["links"]:
            break
        page, pages = client.get(page["links"]["next"]).json(), pages + 1
        assert page["links"]["prev"] and page["links"]["first"] == f"{API}agendaitem/?limit=7"
    assert pages == pages_expected and len(seen) == total == len(set(seen))
    assert page["links"]["self"] == page["links"]["last"] == f"{API}agendaitem/?limit=7&page={pages_expected}"
    assert seen == [obj["id"] for obj in client.get(f"{API}agendaitem/", {"limit": 100}).json()["data"]]
    # Filters survive in every link.
    filtered = client.get(f"{API}paper/", {"limit": 2, "created_since": "2000-01-01T00:00:00+00:00"}).json()
    assert "created_since=2000-01-01T00%3A00%3A00%2B00%3A00" in filtered["links"]["next"]


def test_list_parameters_are_checked(open_archive, client):
    assert client.get(f"{API}meeting/", {"page": 99}).status_code == 404
    for params in ({"limit": 0}, {"limit": "x"}, {"page": "-1"}, {"modified_since": "yesterday"}):
        response = client.get(f"{API}meeting/", params)
        assert response.status_code == 400 and "error" in response.json()
    # Too large a limit is lowered, as OParl allows.
    assert client.get(f"{API}agendaitem/", {"limit": 5000}).json()["pagination"]["elementsPerPage"] == 100
    assert client.get(f"{API}meeting/findes-ikke/2020-01-01/").status_code == 404
    assert client.get(f"{API}body/andet/").status_code == 404
    assert client.post(f"{API}meeting/").status_code == 405


def test_omit_internal_leaves_out_the_internal_lists_oparl_names(open_archive, client):
    person = client.get(f"{API}person/", {"omit_internal": "true", "limit": 100}).json()["data"]
    assert all("membership" not in p for p in person)
    items = client.get(f"{API}agendaitem/", {"omit_internal": "true", "limit": 100}).json()["data"]
    assert all("auxiliaryFile" not in i for i in items)


# --- queries, caching --------------------------------------------------------------------------------------------

# Queries per list page, the same for a page of 2 and a page of 100 (with the file checksums cached).
LIST_QUERIES = {
    "body/": 5,
    "legislativeterm/": 4,
    "organization/": 5,
    "person/": 8,
    "membership/": 5,
    "meeting/": 11,
    "organization/kommunalbestyrelsen/meeting/": 12,
    "agendaitem/": 9,
    "consultation/": 10,
    "paper/": 10,
    "file/": 7,
}


def test_a_list_page_costs_the_same_queries_whatever_its_size(open_archive, client, django_assert_num_queries):
    for path, expected in LIST_QUERIES.items():
        client.get(f"{API}{path}", {"limit": 100})  # the file checksums are computed once per process
        for limit in (2, 100):
            with django_assert_num_queries(expected):
                response = client.get(f"{API}{path}", {"limit": limit})
            assert response.status_code == 200
            assert len(response.json()["data"]) == min(limit, response.json()["pagination"]["totalElements"])


def test_missing_checksums_cost_one_query_together(open_archive, client, django_assert_num_queries):
    files._KNOWN.clear()
    with django_assert_num_queries(LIST_QUERIES["file/"] + 1):
        client.get(f"{API}file/")
    with django_assert_num_queries(LIST_QUERIES["file/"]):
        client.get(f"{API}file/")


def test_answers_revalidate_with_etag_and_last_modified(open_archive, client):
    paths = ["", "meeting/", "meeting/beskaeftigelsesudvalget/2020-08-11/", "paper/oekonomiudvalget/2007-11-20/138/"]
    first = {}
    for path in paths:
        response = first[path] = client.get(f"{API}{path}")
        assert response.status_code == 200
        assert response["ETag"] and response["Last-Modified"]
        assert response["Access-Control-Allow-Origin"] == "*"
        assert client.get(f"{API}{path}", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
        assert client.get(f"{API}{path}", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304
    # A write moves updated_at (a re-import, here by hand, an hour later).
    later = timezone.now() + dt.timedelta(hours=1)
    Meeting.objects.filter(date__in=["2020-08-11", "2007-11-20"]).update(updated_at=later)
    Case.objects.filter(number=138).update(title="Lokalplan 112 (rettet)")
    for path in paths:
        assert client.get(f"{API}{path}", HTTP_IF_NONE_MATCH=first[path]["ETag"]).status_code == 200, path
        again = client.get(f"{API}{path}", HTTP_IF_MODIFIED_SINCE=first[path]["Last-Modified"])
        assert again.status_code == 200, path


def test_cached_answers_keep_their_headers(open_archive, client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    for _ in range(2):
        response = client.get(f"{API}meeting/")
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["X-Page-Cache"] == "hit"
    source = SourceDocument.objects.first()
    for _ in range(2):
        download = client.get(f"{API}file/protocol/{source.pk}/download")
        assert "sandbox" in download["Content-Security-Policy"]
        assert download["Content-Disposition"].startswith("attachment")


# --- files ---------------------------------------------------------------------------------------------------------


def test_files_are_served_in_place_and_as_downloads(open_archive, client):
    source = SourceDocument.objects.get(meeting__date="2020-08-11")
    obj = client.get(f"{API}file/protocol/{source.pk}/").json()
    access = client.get(obj["accessUrl"])
    assert access.status_code == 200 and access.content == bytes(source.content)
    assert access["Content-Type"] == "text/plain; charset=utf-8"
    assert "attachment" not in access["Content-Disposition"]
    download = client.get(obj["downloadUrl"])
    assert download["Content-Disposition"] == f'attachment; filename="{source.filename}"'
    assert len(download.content) == obj["size"]
    assert hashlib.sha512(download.content).hexdigest() == obj["sha512Checksum"]
    assert client.get(obj["downloadUrl"], HTTP_IF_NONE_MATCH=download["ETag"]).status_code == 304
    assert "sandbox" in download["Content-Security-Policy"]
    pdf = client.get(f"{API}file/document/{AttachmentDocument.objects.get(filename='lokalplan-155.pdf').pk}/").json()
    assert pdf["mimeType"] == "application/pdf"
    assert client.get(pdf["accessUrl"])["Content-Type"] == "application/pdf"
    assert pdf["agendaItem"] and pdf["meeting"]
    assert client.get(f"{API}file/other/1/").status_code == 404


# --- the HTML pages point at their objects ------------------------------------------------------------------------


PAGES = [
    ("/moeder/beskaeftigelsesudvalget/2020-08-11/", "meeting/beskaeftigelsesudvalget/2020-08-11/"),
    ("/moeder/beskaeftigelsesudvalget/2020-08-11/sag/30/", "agendaitem/beskaeftigelsesudvalget/2020-08-11/30/"),
    ("/udvalg/beskaeftigelsesudvalget/", "organization/beskaeftigelsesudvalget/"),
    ("/personer/jan-kongebro/", "person/jan-kongebro/"),
    ("/moeder/", "meeting/"),
]


def test_pages_link_their_api_object(open_archive, client):
    for page, obj in PAGES:
        html = client.get(page).content.decode()
        path = "/api/oparl/v1/" + obj
        assert f'<link rel="alternate" type="application/json" title="OParl" href="{path}">' in html, page
        assert client.get(path).status_code == 200
    data = client.get("/data/").content.decode()
    assert 'type="application/json" title="OParl" href="http://testserver/api/oparl/v1/"' in data
