"""Large protocols publish in the background: the request only queues, a status page follows the worker, and what
stops the worker (the meeting published meanwhile) comes back to the clerk's preview. A worker that dies (or a task
that is lost) does not leave the upload "publishing" for ever: after PUBLISH_TIMEOUT it counts as stalled, the clerk
can try again, and purge_uploads deletes it like any upload never published."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cases.models import Section
from importer.load import protocol_import
from meetings.models import Meeting, SourceDocument
from publishing.models import Upload, UploadAttachment
from publishing.views import PREVIEW_CASES_PER_PAGE
from tests.conftest import PROTOCOLS

PROTOCOL = (PROTOCOLS / "beskaeftigelsesudvalget-2020-08-11.txt").read_bytes()  # 6 cases
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def clerk(client):
    group, _ = Group.objects.get_or_create(name="Clerks")
    group.permissions.add(Permission.objects.get(codename="publish_protocol"))
    user = User.objects.create_user("clerk")
    user.groups.add(group)
    client.force_login(user)
    return user


def upload(client) -> Upload:
    response = client.post(reverse("publishing:upload"), {"protocol": SimpleUploadedFile("p.txt", PROTOCOL)})
    assert response.status_code == 302
    return Upload.objects.latest("pk")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_large_protocol_is_queued_and_the_worker_publishes_it(client, clerk, settings):
    settings.PUBLISH_INLINE_MAX_CASES = 5
    settings.TASKS = DATABASE_TASKS
    up = upload(client)
    response = client.post(reverse("publishing:upload_publish", args=[up.pk]), {"seen_source": "new"})
    assert response.status_code == 302 and response.url == up.get_absolute_url()
    assert Upload.objects.get(pk=up.pk).state == Upload.State.PUBLISHING and not Meeting.objects.exists()
    status = client.get(up.get_absolute_url()).content.decode()
    assert 'id="publish-status"' in status and '<meta http-equiv="refresh" content="5">' in status
    # A second click while it waits does not queue it twice.
    client.post(reverse("publishing:upload_publish", args=[up.pk]), {"seen_source": "new"})
    call_command("db_worker", "--batch", verbosity=0)
    up.refresh_from_db()
    assert up.state == Upload.State.PUBLISHED and up.meeting.cases.count() == 6
    assert Meeting.objects.count() == 1
    assert "Offentliggjort" in client.get(up.get_absolute_url()).content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_refuses_when_the_meeting_was_published_meanwhile(client, clerk, settings):
    settings.PUBLISH_INLINE_MAX_CASES = 5
    settings.TASKS = DATABASE_TASKS
    up = upload(client)  # its preview shows a new meeting
    client.post(reverse("publishing:upload_publish", args=[up.pk]), {"seen_source": "new"})
    protocol_import(content=PROTOCOL.replace(b"Taget til efterretning.", b"Noteret."), filename="other.txt")
    call_command("db_worker", "--batch", verbosity=0)
    up.refresh_from_db()
    assert up.state == Upload.State.PREVIEW and "offentliggjort i mellemtiden" in up.publish_error
    page = client.get(up.get_absolute_url()).content.decode()
    assert "offentliggjort i mellemtiden" in page and "Mødet findes allerede" in page  # compare again, here


@pytest.mark.django_db
def test_the_preview_of_many_cases_is_paged(client, clerk, settings, django_capture_on_commit_callbacks):
    from bench.big_protocol import big_protocol

    response = client.post(
        reverse("publishing:upload"), {"protocol": SimpleUploadedFile("stor.txt", big_protocol(250))}
    )
    up = Upload.objects.latest("pk")
    first = client.get(up.get_absolute_url()).content.decode()
    assert first.count('class="preview-case') == PREVIEW_CASES_PER_PAGE
    assert 'id="sag-1"' in first and 'id="sag-101"' not in first and "Side 1 af 3" in first
    last = client.get(up.get_absolute_url() + "?page=3").content.decode()
    assert last.count('class="preview-case') == 50 and 'id="sag-250"' in last
    # Published in the background (immediate backend here: at commit, in this request).
    settings.PUBLISH_INLINE_MAX_CASES = 100
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("publishing:upload_publish", args=[up.pk]), {"seen_source": "new"})
    assert response.status_code == 302
    assert Upload.objects.get(pk=up.pk).state == Upload.State.PUBLISHED
    assert Meeting.objects.get().cases.count() == 250


# --- a worker that dies: the publish stalls, and the clerk can try again ------------------------------------------

PERSONAL, NOT_PERSONAL = "010190-1234", "1509874321"


def protocol_with_cpr() -> bytes:
    """PROTOCOL with a CPR number and a number the clerk may call not personal, in sag 30's text."""
    kerne = "Social- og Sundhedsforvaltningen foreslår at igangsætte en proces"
    text = PROTOCOL.decode("utf-8")
    assert text.count(kerne) == 1
    return text.replace(kerne, f"Borger {PERSONAL}, journal {NOT_PERSONAL}. {kerne}").encode("utf-8")


def age_queue(upload: Upload, **ago) -> None:
    """Pretend the upload was queued (and uploaded) that long ago."""
    when = timezone.now() - timedelta(**ago)
    Upload.objects.filter(pk=upload.pk).update(publish_queued_at=when, uploaded_at=when)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_stalled_background_publish_says_so_and_can_be_tried_again(client, clerk, settings):
    settings.PUBLISH_INLINE_MAX_CASES = 5
    settings.TASKS = DATABASE_TASKS
    settings.PUBLISH_TIMEOUT = 15 * 60
    response = client.post(reverse("publishing:upload"), {"protocol": SimpleUploadedFile("p.txt", protocol_with_cpr())})
    up = Upload.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))
    publish = reverse("publishing:upload_publish", args=[up.pk])
    # Queued with the number confirmed as not personal; then the worker dies before it gets to it.
    client.post(publish, {"seen_source": "new", "not_personal": [NOT_PERSONAL]})
    assert Upload.objects.get(pk=up.pk).state == Upload.State.PUBLISHING
    age_queue(up, minutes=14)
    waiting = client.get(up.get_absolute_url()).content.decode()
    assert 'id="publish-status"' in waiting and 'http-equiv="refresh"' in waiting  # still within the timeout
    assert "Er den ikke færdig inden for 15 minutter, kan du prøve igen herfra." in waiting

    age_queue(up, minutes=16)
    listing = client.get(reverse("publishing:upload_list")).content.decode()
    assert "gået i stå – åbn den for at prøve igen" in listing
    page = client.get(up.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' not in page and 'id="publish-status"' not in page
    assert "Offentliggørelsen i baggrunden blev ikke færdig inden for 15 minutter." in page
    assert "Intet i arkivet er ændret. Se forhåndsvisningen igen, og prøv igen" in page
    assert 'id="publish-form"' in page and 'id="sag-30"' in page  # the preview again, compared afresh
    stalled = Upload.objects.get(pk=up.pk)
    assert stalled.state == Upload.State.PREVIEW and stalled.publish_queued_at is None
    assert not Meeting.objects.exists()

    # Tried again, this time without confirming the number: queued anew; the lost first task, should it still
    # run (it does here: it was never run), publishes nothing with its outdated choice.
    response = client.post(publish, {"seen_source": "new"})
    assert response.status_code == 302 and response.url == up.get_absolute_url()
    requeued = Upload.objects.get(pk=up.pk)
    assert requeued.state == Upload.State.PUBLISHING and requeued.publish_queued_at > stalled.uploaded_at
    assert DBTaskResult.objects.count() == 2
    call_command("db_worker", "--batch", verbosity=0)
    assert sorted(DBTaskResult.objects.values_list("return_value", flat=True)) == ["gone", "published"]
    up.refresh_from_db()
    assert up.state == Upload.State.PUBLISHED and up.publish_error == "" and up.not_personal == []
    assert Meeting.objects.count() == 1 and up.meeting.cases.count() == 6
    kerne = Section.objects.get(case__number=30, heading="Sagens kerne").text
    assert "Borger 010190-****, journal 150987****." in kerne  # the second attempt's choice


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_publish_the_worker_is_still_writing_is_not_given_up(client, clerk, settings):
    """A worker still at it (slow, past the timeout) holds the upload's row: the status page keeps following it."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite writers take turns)")
    settings.PUBLISH_INLINE_MAX_CASES = 5
    settings.TASKS = DATABASE_TASKS
    up = upload(client)
    client.post(reverse("publishing:upload_publish", args=[up.pk]), {"seen_source": "new"})
    age_queue(up, hours=1)
    holding, release = threading.Event(), threading.Event()

    def worker():  # its own thread, so its own connection
        try:
            with transaction.atomic():
                Upload.objects.select_for_update().get(pk=up.pk)
                holding.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert holding.wait(30)
        page = client.get(up.get_absolute_url()).content.decode()
        assert 'id="publish-status"' in page and Upload.objects.get(pk=up.pk).state == Upload.State.PUBLISHING
    finally:
        release.set()
        thread.join(30)
    assert "blev ikke færdig" in client.get(up.get_absolute_url()).content.decode()  # let go: given up


@pytest.mark.django_db
def test_purge_deletes_a_stalled_upload_with_its_cpr_number(client, clerk, settings):
    settings.PUBLISH_INLINE_MAX_CASES = 5
    settings.PUBLISH_TIMEOUT = 15 * 60
    note = f"Notat\n\nBorgeren {PERSONAL} er orienteret.".encode()

    def queued() -> Upload:
        data = {
            "protocol": SimpleUploadedFile("p.txt", protocol_with_cpr()),
            "attachments": [SimpleUploadedFile("notat.txt", note)],
        }
        client.post(reverse("publishing:upload"), data)
        up = Upload.objects.latest("pk")
        client.post(reverse("publishing:upload_publish", args=[up.pk]), {"seen_source": "new"})  # never runs
        assert Upload.objects.get(pk=up.pk).state == Upload.State.PUBLISHING
        assert PERSONAL.encode() in bytes(Upload.objects.get(pk=up.pk).content)
        return up

    stalled, slow, recent = queued(), queued(), queued()
    age_queue(stalled, days=31)
    # Uploaded long ago but queued a minute ago: the worker may be at it, so it is not touched.
    Upload.objects.filter(pk=slow.pk).update(uploaded_at=timezone.now() - timedelta(days=31))
    age_queue(recent, hours=2)  # stalled, but younger than the retention: kept for the clerk to try again
    assert set(Upload.objects.stalled().values_list("pk", flat=True)) == {stalled.pk, recent.pk}

    out = StringIO()
    call_command("purge_uploads", "--dry-run", stdout=out)
    assert "would delete 1 unpublished upload(s)" in out.getvalue()
    call_command("purge_uploads", stdout=out)
    assert "deleted 1 unpublished upload(s)" in out.getvalue()
    assert not Upload.objects.filter(pk=stalled.pk).exists()
    assert not UploadAttachment.objects.filter(upload_id=stalled.pk).exists()
    left = Upload.objects.order_by("pk")
    assert [(u.pk, u.state) for u in left] == [(slow.pk, "publishing"), (recent.pk, "publishing")]
    assert not Meeting.objects.exists() and not SourceDocument.objects.exists()
