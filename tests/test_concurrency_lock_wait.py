"""A clerk's publish waits a bounded time for a meeting another writer holds, then answers "being published right
now — try again" (409) instead of outliving the server's request timeout; the worker and the command line wait as
long as it takes.

On PostgreSQL the meeting's lock is held by another process (a separate connection in its own transaction), as a
worker or an `import_protocols` run would hold it.
"""

import datetime as dt
import html
import re
import subprocess
import sys
import time
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from cases.models import Case
from importer.locks import MeetingBusy
from meetings.models import Meeting
from publishing import services
from publishing.models import Upload
from tests.conftest import PROTOCOLS, ROOT
from tests.test_concurrency_writers import subprocess_env

COMMITTEE, DATE = "Beskæftigelsesudvalget", dt.date(2020, 8, 11)
V1 = (PROTOCOLS / "beskaeftigelsesudvalget-2020-08-11.txt").read_bytes()
NOT_PERSONAL = "1509874321"
KERNE_30 = "Social- og Sundhedsforvaltningen foreslår at igangsætte en proces"


def on_postgresql(test):
    """A test whose lock is held by another process: PostgreSQL (the lock is its), committed data."""
    test = pytest.mark.django_db(transaction=True, serialized_rollback=True)(test)
    test = pytest.mark.skipif(connection.vendor != "postgresql", reason="the meeting's lock is PostgreSQL's")(test)
    return pytest.mark.postgres_only(test)


# A second process holding the meeting's lock in its own transaction: prints "locked", then holds it until its
# stdin closes or the given number of seconds have passed, whichever comes first.
HOLDER = """
import datetime, select, sys
import django
django.setup()
from django.db import transaction
from importer.locks import lock_meeting
with transaction.atomic():
    lock_meeting(sys.argv[1], datetime.date.fromisoformat(sys.argv[2]))
    print("locked", flush=True)
    select.select([sys.stdin], [], [], float(sys.argv[3]))
"""


class Holder:
    def __init__(self, seconds: float = 30):
        env = subprocess_env() | {"DJANGO_SETTINGS_MODULE": "rodovre_minutes.settings"}
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, COMMITTEE, DATE.isoformat(), str(seconds)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline()
        if line.strip() != "locked":
            self.process.kill()
            pytest.fail(f"the holder did not take the lock: {line!r} {self.process.stderr.read()}")

    def release(self) -> None:
        self.process.stdin.close()
        self.wait()

    def wait(self) -> None:
        assert self.process.wait(timeout=60) == 0, self.process.stderr.read()


@pytest.fixture
def clerk(client):
    group, _ = Group.objects.get_or_create(name="Clerks")  # transactional tests flush the migrations' rows
    group.permissions.add(Permission.objects.get(codename="publish_protocol"))
    user = User.objects.create_user("clerk")
    user.groups.add(group)
    client.force_login(user)
    return user


def with_numbers() -> bytes:
    text = V1.decode("utf-8")
    assert text.count(KERNE_30) == 1
    return text.replace(KERNE_30, f"Journal {NOT_PERSONAL}. {KERNE_30}").encode("utf-8")


def retry_form(page: str) -> dict[str, list[str]]:
    """The hidden fields of the busy page's "Prøv igen" form (but the CSRF token)."""
    form = page[page.index('id="publish-form"') : page.index("</form>", page.index('id="publish-form"'))]
    data: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', form):
        if name != "csrfmiddlewaretoken":
            data.setdefault(name, []).append(html.unescape(value))
    return data


@pytest.mark.django_db
def test_the_busy_page_is_danish_and_tries_again_with_the_same_choices(client, clerk, monkeypatch):
    """What the clerk sees when the wait runs out (the wait itself is raced below, on PostgreSQL)."""

    def busy(committee_name, date):
        raise MeetingBusy(committee_name, date)

    up = services.upload_preview(user=clerk, filename="p.txt", content=with_numbers(), attachments=[])
    monkeypatch.setattr("importer.load.lock_meeting", busy)
    publish = reverse("publishing:upload_publish", args=[up.pk])
    response = client.post(publish, {"seen_source": "new", "not_personal": [NOT_PERSONAL], "confirm_replace": "on"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "<h1>Mødet offentliggøres lige nu</h1>" in page and 'id="publish-busy"' in page
    assert "Intet af din upload er offentliggjort endnu. Vent et øjeblik, og prøv igen." in page
    assert retry_form(page) == {"seen_source": ["new"], "confirm_replace": ["on"], "not_personal": [NOT_PERSONAL]}
    assert 'name="csrfmiddlewaretoken"' in page and ">Prøv igen</button>" in page
    assert Upload.objects.get(pk=up.pk).state == Upload.State.PREVIEW and not Meeting.objects.exists()
    monkeypatch.undo()
    assert client.post(publish, retry_form(page)).status_code == 302
    assert Upload.objects.get(pk=up.pk).not_personal == [NOT_PERSONAL]


@on_postgresql
def test_a_web_publish_waits_a_bounded_time_for_a_meeting_another_process_writes(client, clerk, settings):
    settings.MEETING_LOCK_WAIT = 1
    up = services.upload_preview(user=clerk, filename="p.txt", content=V1, attachments=[])
    publish = reverse("publishing:upload_publish", args=[up.pk])
    holder = Holder(seconds=20)  # without a bounded wait the publish would wait all of that
    try:
        start = time.monotonic()
        response = client.post(publish, {"seen_source": "new"})
        waited = time.monotonic() - start
    finally:
        holder.release()
    assert response.status_code == 409, response.content.decode()[:500]
    assert 0.9 <= waited < 6, waited  # it did wait, about MEETING_LOCK_WAIT, and not for ever
    page = response.content.decode()
    assert "Mødet offentliggøres lige nu af en anden" in page
    assert Upload.objects.get(pk=up.pk).state == Upload.State.PREVIEW and not Meeting.objects.exists()
    with connection.cursor() as cursor:  # the request's connection is left as it was
        cursor.execute("SELECT current_setting('lock_timeout')")
        assert cursor.fetchone()[0] == "0"
    # Let go: trying again publishes.
    response = client.post(publish, retry_form(page))
    assert response.status_code == 302
    assert Upload.objects.get(pk=up.pk).state == Upload.State.PUBLISHED and Case.objects.count() == 6


@on_postgresql
def test_a_writer_let_go_within_the_wait_publishes(client, clerk, settings):
    settings.MEETING_LOCK_WAIT = 20
    up = services.upload_preview(user=clerk, filename="p.txt", content=V1, attachments=[])
    holder = Holder(seconds=1.5)  # lets go by itself
    start = time.monotonic()
    response = client.post(reverse("publishing:upload_publish", args=[up.pk]), {"seen_source": "new"})
    assert response.status_code == 302 and time.monotonic() - start >= 1
    holder.wait()
    assert Upload.objects.get(pk=up.pk).state == Upload.State.PUBLISHED


@on_postgresql
def test_the_command_line_and_the_worker_wait_as_long_as_it_takes(tmp_path, settings):
    settings.MEETING_LOCK_WAIT = 0.2
    path = tmp_path / "referat.txt"
    path.write_bytes(V1)
    holder = Holder(seconds=2)
    start = time.monotonic()
    out = StringIO()
    call_command("import_protocols", str(path), stdout=out, stderr=StringIO())
    assert time.monotonic() - start >= 1.5 and "referat.txt: imported" in out.getvalue()
    holder.wait()
    # The worker: services.upload_publish without a lock_wait, as tasks.publish_upload calls it.
    up = services.upload_preview(user=None, filename="p.txt", content=with_numbers(), attachments=[])
    holder = Holder(seconds=2)
    start = time.monotonic()
    published = services.upload_publish(upload=up, user=None, confirm_replace=True)
    assert time.monotonic() - start >= 1.5 and published.state == Upload.State.PUBLISHED
    holder.wait()
    assert Meeting.objects.get().source.sha256 == published.source.sha256
