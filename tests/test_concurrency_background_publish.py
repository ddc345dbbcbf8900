"""Large protocols publish in the background: the request only queues, a status page follows the worker, and what
stops the worker (the meeting published meanwhile) comes back to the clerk's preview."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from importer.load import protocol_import
from meetings.models import Meeting
from publishing.models import Upload
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
