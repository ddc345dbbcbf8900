"""Bounded requests and headers: a body too large for its URL is refused with 413 before a byte of it is read, every
page carries a Content-Security-Policy without inline scripts, and every refused upload explains itself in Danish
in the form."""

import re
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import SourceDocument
from publishing.models import Upload
from tests.conftest import PROTOCOLS, ROOT

pytestmark = pytest.mark.django_db
PROTOCOL = (PROTOCOLS / "beskaeftigelsesudvalget-2020-08-11.txt").read_bytes()


class UnreadableBody:
    """A wsgi.input that fails the test if anything reads from it."""

    def read(self, *args):
        raise AssertionError("the request body was read")

    readline = read


@pytest.fixture
def clerk(client):
    user = User.objects.create_user("clerk")
    user.groups.add(Group.objects.get(name="Clerks"))
    client.force_login(user)
    return user


def post_unread(client, url: str, length: int, content_type="multipart/form-data; boundary=x"):
    return client.generic(
        "POST", url, b"", content_type=content_type, CONTENT_LENGTH=str(length), **{"wsgi.input": UnreadableBody()}
    )


# --- 413 -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/upload/", "/konto/log-ind/", "/soeg/", "/admin/login/", "/no-such-page/"])
def test_an_anonymous_large_body_is_refused_unread_on_any_url(client, url):
    response = post_unread(client, url, 300 * 1024 * 1024)
    assert response.status_code == 413
    assert "For meget data" in response.content.decode() and "Intet af den blev læst" in response.content.decode()


def test_small_urls_refuse_what_uploads_accept(client, clerk):
    just_over = settings.REQUEST_MAX_BYTES + 1
    assert post_unread(client, reverse("publishing:upload_publish", args=[1]), just_over).status_code == 413
    assert post_unread(client, "/konto/log-ind/", just_over).status_code == 413
    # The same size to the upload form is read (and, here, found to be no valid form): not refused by size.
    body = b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n' + b"a" * just_over + b"\r\n--x--\r\n"
    response = client.generic(
        "POST", reverse("publishing:upload"), body, content_type="multipart/form-data; boundary=x"
    )
    assert response.status_code != 413


def test_a_clerks_upload_over_the_request_cap_gets_the_form_with_the_reason(client, clerk):
    response = post_unread(client, reverse("publishing:upload"), settings.UPLOAD_MAX_REQUEST_BYTES + 1)
    assert response.status_code == 413
    page = response.content.decode().replace("\xa0", " ")  # filesizeformat puts a no-break space before the unit
    assert 'id="upload-errors"' in page and "der kan højst sendes 50,0 MB ad gangen" in page
    assert '<form method="post" enctype="multipart/form-data"' in page
    assert not Upload.objects.exists()


def test_a_non_clerk_gets_the_small_limit_on_the_upload_url(client):
    client.force_login(User.objects.create_user("reader"))
    assert post_unread(client, reverse("publishing:upload"), settings.REQUEST_MAX_BYTES + 1).status_code == 413


def test_the_admin_takes_its_own_limit_for_staff_only(client):
    url = reverse("admin:publishing_upload_changelist")
    staff = User.objects.create_user("staff", is_staff=True)
    client.force_login(staff)
    # Above the admin's cap: refused unread, with the limit the page names.
    response = post_unread(client, url, settings.ADMIN_MAX_REQUEST_BYTES + 1)
    assert response.status_code == 413
    assert "For meget data" in response.content.decode() and "højst 2,5" in response.content.decode()
    # Between the small limit and the admin's: staff get it read (here: an ordinary form, refused by the admin).
    assert settings.REQUEST_MAX_BYTES < settings.ADMIN_MAX_REQUEST_BYTES
    body = b"a=" + b"x" * (settings.REQUEST_MAX_BYTES + 1)
    response = client.generic("POST", url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code != 413
    # Anyone else in the admin gets the small limit, unread.
    client.force_login(User.objects.create_user("reader"))
    assert post_unread(client, url, settings.REQUEST_MAX_BYTES + 1).status_code == 413
    client.logout()
    assert post_unread(client, "/admin/login/", settings.REQUEST_MAX_BYTES + 1).status_code == 413


def test_a_failed_csrf_check_gets_a_danish_page_in_the_site_style(protocol_bytes):
    from django.test import Client

    user = User.objects.create_user("clerk")
    user.groups.add(Group.objects.get(name="Clerks"))
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(reverse("publishing:upload"), {"protocol": SimpleUploadedFile("p.txt", PROTOCOL)})
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Formularen kunne ikke sendes</h1>" in page and 'id="csrf-failure"' in page
    assert "Intet er gemt eller ændret." in page and "genindlæs siden" in page
    assert "CSRF verification failed" not in page and "Forbidden" not in page  # not Django's English page
    assert '<link rel="stylesheet" href="/static/css/site.css">' in page
    assert "<style" not in page and " style=" not in page and not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "Log ud" in page  # rendered with the request: the clerk's user bar is there
    assert not Upload.objects.exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(sys.platform != "linux", reason="gunicorn needs a POSIX system")
def test_gunicorn_answers_413_before_the_body_is_sent(tmp_path):
    """Against the production server: only the headers of a 300 MB POST are sent, and the 413 comes back."""
    port = _free_port()
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "1", "VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "rodovre_minutes.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                sock = socket.create_connection(("127.0.0.1", port), timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        with sock:
            sock.settimeout(20)
            sock.sendall(
                b"POST /upload/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                b"Content-Length: 314572800\r\n\r\n--x\r\n"
            )
            answer = sock.recv(65536).decode("utf-8", "replace")
        assert answer.startswith("HTTP/1.1 413"), answer[:200]
    finally:
        server.terminate()
        server.wait(timeout=10)


# --- Content-Security-Policy -----------------------------------------------------------------------------------


def csp_of(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


def test_every_page_has_a_csp_without_inline_scripts(client, archive, clerk):
    meeting = archive["2020-08-11"].meeting
    urls = [
        "/",
        reverse("web:meeting_list"),
        meeting.get_absolute_url(),
        reverse("web:case_detail", args=[meeting.committee.slug, meeting.date, 30]),
        "/soeg/?q=beskæftigelse",
        reverse("web:committee_list"),
        reverse("web:meeting_feed"),
        "/sitemap.xml",
        reverse("publishing:upload"),
        reverse("publishing:upload_list"),
        "/no-such-page/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        policy = csp_of(response)
        assert policy["script-src"] == "script-src 'self'", url
        assert "unsafe-inline" not in response["Content-Security-Policy"], url
        assert policy["object-src"] == "object-src 'none'" and policy["frame-ancestors"] == "frame-ancestors 'none'"
    client.logout()
    assert "script-src 'self'" in client.get(reverse("login"))["Content-Security-Policy"]
    assert "script-src 'self'" in client.get("/admin/login/")["Content-Security-Policy"]
    # Plain-text originals get the policy too; the clerk's view of an upload keeps its stricter one.
    original = client.get(reverse("web:meeting_original", args=[meeting.committee.slug, meeting.date]))
    assert csp_of(original)["script-src"] == "script-src 'self'"
    upload = Upload.objects.create(filename="p.txt", sha256="0" * 64, content=PROTOCOL)
    client.force_login(clerk)
    own = client.get(reverse("publishing:upload_original", args=[upload.pk]))
    assert own["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_templates_hold_no_inline_script_the_policy_would_block():
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or 'type="application/json"' in tag, f"{path}: inline script {tag}"
        assert not re.search(r"\son[a-z]+\s*=", text), f"{path}: inline event handler"
        assert "javascript:" not in text, path


# --- refused uploads explain themselves in the form ------------------------------------------------------------


def errors_of(response) -> str:
    """The upload form's error texts: the summary box must be there; each message there or at its field."""
    page = response.content.decode()
    assert 'id="upload-errors"' in page
    form = page[page.index('id="upload-errors"') : page.rindex("</form>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", form))


def test_too_many_attachments_are_refused_in_danish_in_the_form(client, clerk):
    some = [SimpleUploadedFile(f"bilag-{i}.txt", b"Bilag") for i in range(settings.UPLOAD_MAX_ATTACHMENTS + 1)]
    response = client.post(
        reverse("publishing:upload"), {"protocol": SimpleUploadedFile("p.txt", PROTOCOL), "attachments": some}
    )
    assert response.status_code == 200
    assert "Der kan højst uploades 20 bilag ad gangen." in errors_of(response)
    # Far more files than Django will read at all: still the form, still Danish.
    many = [SimpleUploadedFile(f"bilag-{i}.txt", b"Bilag") for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 5)]
    response = client.post(
        reverse("publishing:upload"), {"protocol": SimpleUploadedFile("p.txt", PROTOCOL), "attachments": many}
    )
    assert response.status_code == 400
    assert "alt for mange filer på én gang. Der kan højst uploades 20 bilag" in errors_of(response)
    assert not Upload.objects.exists() and not SourceDocument.objects.exists()


def multipart(parts: list[tuple[str, str, bytes]]) -> bytes:
    body = b""
    for field, filename, content in parts:
        disposition = f'form-data; name="{field}"; filename="{filename}"'.encode()
        body += (
            b"--x\r\nContent-Disposition: " + disposition + b"\r\nContent-Type: text/plain\r\n\r\n" + content + b"\r\n"
        )
    return body + b"--x--\r\n"


@pytest.mark.parametrize("length", [300, 5000])
def test_a_very_long_file_name_is_handled_in_the_form(client, clerk, length):
    name = "referat-" + "a" * length + ".txt"
    body = multipart([("protocol", name, PROTOCOL)])
    response = client.generic(
        "POST", reverse("publishing:upload"), body, content_type="multipart/form-data; boundary=x"
    )
    if length == 300:  # read, and shown shortened
        assert response.status_code == 302
        assert len(Upload.objects.get().filename) <= 255
    else:  # beyond what Django reads of a part's header: the form says what to do
        assert response.status_code == 400
        assert "Et filnavn er for langt" in errors_of(response)
        assert not Upload.objects.exists()
