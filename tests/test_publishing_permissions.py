"""Who may reach the clerk pages: clerks only, checked on every step; CSRF on every form; login rate-limited."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from meetings.models import Meeting, SourceDocument
from publishing import services
from publishing.models import Upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(protocol_bytes):
    """A previewed, unpublished upload of 2020-08-11."""
    return services.upload_preview(user=None, filename="p.txt", content=protocol_bytes("2020-08-11"), attachments=[])


@pytest.fixture
def published(protocol_bytes):
    record = services.upload_preview(user=None, filename="p.txt", content=protocol_bytes("2019-10-08"), attachments=[])
    return services.upload_publish(upload=record, user=None)


def clerk_urls(pending, published):
    """Every clerk URL with real objects: (method, url)."""
    meeting = published.meeting
    kwargs = {"committee": meeting.committee.slug, "date": meeting.date}
    return [
        ("get", reverse("publishing:upload")),
        ("post", reverse("publishing:upload")),
        ("get", reverse("publishing:upload_preview", kwargs={"pk": pending.pk})),
        ("post", reverse("publishing:upload_publish", kwargs={"pk": pending.pk})),
        ("get", reverse("publishing:upload_list")),
        ("get", reverse("publishing:meeting_versions", kwargs=kwargs)),
        ("get", reverse("publishing:meeting_version_text", kwargs={**kwargs, "pk": meeting.source_id})),
    ]


def test_the_clerks_group_holds_the_publish_permission():
    group = Group.objects.get(name="Clerks")
    assert list(group.permissions.values_list("content_type__app_label", "codename")) == [
        ("publishing", "publish_protocol")
    ]
    user = User.objects.create_user("clerk")
    user.groups.add(group)
    assert User.objects.get(pk=user.pk).has_perm("publishing.publish_protocol")


def test_anonymous_users_are_sent_to_the_login_page_at_every_step(client, pending, published):
    for method, url in clerk_urls(pending, published):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url == f"{reverse('login')}?next={url}", url
    pending.refresh_from_db()
    assert pending.state == Upload.State.PREVIEW
    assert not Meeting.objects.filter(date="2020-08-11").exists()


def test_logged_in_users_without_the_permission_get_403_at_every_step(client, pending, published):
    staff = User.objects.create_user("journalist", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_upload"))  # seeing uploads is not publishing
    client.force_login(staff)
    for method, url in clerk_urls(pending, published):
        assert getattr(client, method)(url).status_code == 403, url
    pending.refresh_from_db()
    assert pending.state == Upload.State.PREVIEW
    assert not Meeting.objects.filter(date="2020-08-11").exists()


def test_clerks_reach_every_step(client, pending, published):
    user = User.objects.create_user("clerk")
    user.groups.add(Group.objects.get(name="Clerks"))
    client.force_login(user)
    for method, url in clerk_urls(pending, published):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_csrf_is_enforced_on_upload_and_publish(protocol_bytes, pending):
    user = User.objects.create_user("clerk")
    user.groups.add(Group.objects.get(name="Clerks"))
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    file = SimpleUploadedFile("p.txt", protocol_bytes("2022-11-15"))
    assert client.post(reverse("publishing:upload"), {"protocol": file}).status_code == 403
    publish_url = reverse("publishing:upload_publish", kwargs={"pk": pending.pk})
    assert client.post(publish_url).status_code == 403
    assert Upload.objects.count() == 1 and not Meeting.objects.exists()

    # With the token from the preview page's form the same POST goes through.
    page = client.get(pending.get_absolute_url()).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    assert client.post(publish_url, {"csrfmiddlewaretoken": token}).status_code == 302
    assert Meeting.objects.get().date.isoformat() == "2020-08-11"


def test_login_page_is_danish_and_logs_a_clerk_in(client):
    User.objects.create_user("clerk", password="korrekt-hest-batteri")
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "<h1>Log ind</h1>" in page.content.decode() and "Adgangskode" in page.content.decode()
    response = client.post(
        reverse("login"), {"username": "clerk", "password": "korrekt-hest-batteri", "next": "/upload/"}
    )
    assert response.status_code == 302 and response.url == "/upload/"


def test_wrong_password_is_refused_in_danish_and_repeated_failures_lock_out(client, settings):
    User.objects.create_user("clerk", password="korrekt-hest-batteri")
    wrong = {"username": "clerk", "password": "forkert"}
    response = client.post(reverse("login"), wrong)
    assert response.status_code == 200
    assert "Brugernavn og adgangskode passer ikke sammen" in response.content.decode()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("login"), wrong)
    locked = client.post(reverse("login"), {"username": "clerk", "password": "korrekt-hest-batteri"})
    assert locked.status_code == 429
    assert "For mange mislykkede login-forsøg" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_previous_versions_are_not_public(client, published):
    # The public site shows the current text at /original.txt; the version history is for clerks only.
    meeting = published.meeting
    url = reverse("publishing:meeting_versions", kwargs={"committee": meeting.committee.slug, "date": meeting.date})
    assert client.get(url).status_code == 302
    assert SourceDocument.objects.count() == 1


def test_the_admin_lists_uploads_read_only(client, published):
    client.force_login(User.objects.create_superuser("admin"))
    changelist = client.get(reverse("admin:publishing_upload_changelist"))
    assert changelist.status_code == 200 and "p.txt" in changelist.content.decode()
    assert client.get(reverse("admin:publishing_upload_add")).status_code == 403
    change = client.post(reverse("admin:publishing_upload_change", args=[published.pk]), {"filename": "x.txt"})
    assert change.status_code == 403 and Upload.objects.get(pk=published.pk).filename == "p.txt"
