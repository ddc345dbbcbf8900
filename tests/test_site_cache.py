"""Public pages are cached until the archive changes: a change through any path shows on the very next request,
a cached page costs two queries, 304s keep working and logged-in clerks get pages rendered for them."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from importer.attachments import attachment_import
from meetings.models import ArchiveVersion, Meeting
from publishing.services import upload_preview, upload_publish
from tests.test_publishing_flow import corrected
from tests.test_site_pages import case_url, meeting_url

pytestmark = pytest.mark.django_db

SAG_30 = "Udvikling af ny beskæftigelsespolitik i Rødovre Kommune"


def public_pages(archive) -> list[str]:
    meeting = archive["2020-08-11"].meeting
    person = meeting.attendances.order_by("position").first().person
    return [
        "/",
        reverse("web:committee_list"),
        meeting.committee.get_absolute_url(),
        reverse("web:meeting_list"),
        reverse("web:meeting_list") + "?aar=2020",
        meeting.get_absolute_url(),
        case_url("2020-08-11", 30),
        reverse("web:person_list"),
        person.get_absolute_url(),
        reverse("web:meeting_feed"),
        "/sitemap.xml",
        "/sitemap-sager.xml",
    ]


def test_a_cached_page_costs_two_queries_and_is_the_same_page(archive):
    from web.cache import _recent

    client = Client()
    for url in public_pages(archive):
        first = client.get(url)
        assert first.status_code == 200 and first["X-Page-Cache"] == "miss", url
        _recent.clear()  # as in another worker: from the shared cache
        with CaptureQueriesContext(connection) as queries:
            again = client.get(url)
        assert again["X-Page-Cache"] == "hit", url
        assert len(queries) == 2, (url, [q["sql"] for q in queries])  # the archive's version, the cache entry
        with CaptureQueriesContext(connection) as queries:
            recent = client.get(url)  # this worker has it in memory now: the version only
        assert len(queries) == 1 and recent.content == again.content, url
        assert again.content == first.content, url
        assert again["Content-Type"] == first["Content-Type"], url
        assert again["ETag"] == first["ETag"], url


def test_cached_pages_answer_conditional_requests_with_304(archive):
    client = Client()
    for url in ("/", meeting_url("2020-08-11"), case_url("2020-08-11", 30), reverse("web:person_list")):
        client.get(url)
        cached = client.get(url)
        assert cached["X-Page-Cache"] == "hit"
        assert client.get(url, headers={"if-none-match": cached["ETag"]}).status_code == 304, url
        assert client.get(url, headers={"if-modified-since": cached["Last-Modified"]}).status_code == 304, url


def test_two_clients_share_one_cache_and_both_see_a_change_at_once(archive):
    """Two clients stand for two gunicorn workers: the cache lives in the database they share."""
    url = case_url("2020-08-11", 30)
    from web.cache import _recent

    first_worker, second_worker = Client(), Client()
    assert first_worker.get(url)["X-Page-Cache"] == "miss"
    _recent.clear()  # the second worker is another process: it has only the shared cache
    assert second_worker.get(url)["X-Page-Cache"] == "hit"
    case = Case.objects.get(meeting__date="2020-08-11", number=30)
    admin_edit_decision(case, "Anbefales med en ny formulering fra administrationen.")
    for worker in (first_worker, second_worker):
        response = worker.get(url)
        assert "Anbefales med en ny formulering fra administrationen." in response.content.decode()
    assert second_worker.get(url)["X-Page-Cache"] == "hit"


def admin_edit_decision(case: Case, text: str) -> None:
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser(f"admin{case.pk}", "a@example.org", "pw"))
    response = admin.post(
        f"/admin/cases/decision/{case.decision.pk}/change/",
        {"case": case.pk, "text": text, "outcome": case.decision.outcome, "followed": case.decision.followed},
    )
    assert response.status_code == 302


def clerk_client() -> tuple[Client, object]:
    user = get_user_model().objects.create_user("clerk", password="not-used")
    user.groups.add(Group.objects.get(name="Clerks"))
    client = Client()
    client.force_login(user)
    return client, user


def through_the_command_line(tmp_path, protocol_bytes):
    path = tmp_path / "beskaeftigelsesudvalget-2020-08-11.txt"
    path.write_bytes(corrected(protocol_bytes("2020-08-11")))
    call_command("import_protocols", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115


def through_web_publishing(tmp_path, protocol_bytes):
    _client, user = clerk_client()
    upload = upload_preview(
        user=user, filename="rettet.txt", content=corrected(protocol_bytes("2020-08-11")), attachments=[]
    )
    upload_publish(upload=upload, user=user, confirm_replace=True)


def through_the_admin(tmp_path, protocol_bytes):
    case = Case.objects.get(meeting__date="2020-08-11", number=34)
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("admin", "a@example.org", "pw"))
    assert admin.post(f"/admin/cases/case/{case.pk}/delete/", {"post": "yes"}).status_code == 302


@pytest.mark.parametrize("change", [through_the_command_line, through_web_publishing, through_the_admin])
def test_a_change_shows_on_the_very_next_request_whatever_path_made_it(archive, protocol_bytes, tmp_path, change):
    public = Client()
    meeting_page, committee_page = (
        meeting_url("2020-08-11"),
        reverse("web:committee_detail", kwargs={"slug": "beskaeftigelsesudvalget"}),
    )
    for url in (meeting_page, committee_page):
        public.get(url)
        assert public.get(url)["X-Page-Cache"] == "hit"
    assert "Sag nr. 34" in public.get(meeting_page).content.decode()
    version = ArchiveVersion.current().version

    change(tmp_path, protocol_bytes)

    assert ArchiveVersion.current().version > version
    page = public.get(meeting_page)
    assert page["X-Page-Cache"] == "miss" and "Sag nr. 34" not in page.content.decode()
    assert "<dd>19</dd>" in public.get(committee_page).content.decode()  # the kept case count, 20 → 19


def test_a_withdrawal_removes_the_page_and_its_links_at_once(archive):
    public = Client()
    url, listing = meeting_url("2020-08-11"), reverse("web:meeting_list")
    for page in (url, listing, listing):
        public.get(page)
    assert meeting_url("2020-08-11") in public.get(listing).content.decode()
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("admin", "a@example.org", "pw"))
    meeting = Meeting.objects.get(date="2020-08-11")
    admin.post("/admin/meetings/meeting/", {"action": "withdraw", "_selected_action": [meeting.pk]})
    assert public.get(url).status_code == 404
    assert meeting_url("2020-08-11") not in public.get(listing).content.decode()


def test_an_attachment_document_shows_on_its_case_page_at_once(archive):
    public = Client()
    url = case_url("2020-08-11", 30)
    public.get(url)
    assert public.get(url)["X-Page-Cache"] == "hit"
    attachment_import(content=b"# Et nyt notat\n\nTekst.", filename="nyt-notat.md")  # unlinked, still a change
    assert public.get(url)["X-Page-Cache"] == "miss"


def test_logged_in_clerks_see_pages_rendered_for_them(archive):
    public = Client()
    clerk, _user = clerk_client()
    url = case_url("2020-08-11", 30)
    public.get(url)
    assert public.get(url)["X-Page-Cache"] == "hit"
    # A change behind the services' back (no version moved) is only seen uncached:
    Case.objects.filter(meeting__date="2020-08-11", number=30).update(title="Ændret uden om tjenesterne")
    response = clerk.get(url)
    assert "X-Page-Cache" not in response and "Ændret uden om tjenesterne" in response.content.decode()
    assert SAG_30 in public.get(url).content.decode()


def test_the_key_moves_with_the_day_for_pages_that_list_upcoming_meetings(archive, monkeypatch):
    public = Client()
    public.get("/")
    assert public.get("/")["X-Page-Cache"] == "hit"
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    monkeypatch.setattr("web.cache.timezone.localdate", lambda: tomorrow)
    assert public.get("/")["X-Page-Cache"] == "miss"


def test_search_and_non_get_requests_are_not_cached(archive):
    public = Client()
    for _ in range(2):
        assert "X-Page-Cache" not in public.get("/soeg/", {"q": "beskæftigelse"})
    assert "X-Page-Cache" not in public.head("/robots.txt")


def test_sitemap_sections_split_at_their_limit_without_counting_the_archive(archive, monkeypatch, settings):
    from web.sitemaps import CaseSitemap

    settings.PAGE_CACHE_SECONDS = 0
    monkeypatch.setattr(CaseSitemap, "limit", 8)
    index = Client().get("/sitemap.xml").content.decode()
    cases = Case.objects.published().count()
    pages = -(-cases // 8)
    assert index.count("sitemap-sager.xml") == pages
    for page in range(1, pages + 1):
        with CaptureQueriesContext(connection) as queries:
            body = Client().get(f"/sitemap-sager.xml?p={page}").content.decode()
        assert body.count("<url>") == (8 if page < pages else cases - 8 * (pages - 1))
        assert not [q for q in queries if "COUNT(" in q["sql"] and "cases_case" in q["sql"]]
    newest = max(Meeting.objects.values_list("updated_at", flat=True))
    assert f"<lastmod>{timezone.localtime(newest).isoformat()}</lastmod>" in index
