"""Login behind a proxy: the client address comes from X-Forwarded-For only when a trusted proxy count is set, and
a username is locked across addresses too."""

import pytest
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.urls import reverse

from rodovre_minutes.security import client_ip

pytestmark = pytest.mark.django_db
WRONG = {"username": "clerk", "password": "forkert"}
RIGHT = {"username": "clerk", "password": "korrekt-hest-batteri"}


@pytest.fixture(autouse=True)
def clerk_account():
    return User.objects.create_user("clerk", password=RIGHT["password"])


def attempt(client, credentials, remote="10.0.0.1", forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), credentials, **headers)


def logged_in(response) -> bool:
    return response.status_code == 302


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "10.0.0.1"),  # no proxy configured: the header is anyone's to send
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the client's own entry (left) is not trusted
        (2, "6.6.6.6, 203.0.113.7, 10.1.1.1", "203.0.113.7"),
        (2, "203.0.113.7", "10.0.0.1"),  # fewer entries than proxies: not through them
        (1, "not-an-address", "10.0.0.1"),
        (1, None, "10.0.0.1"),
    ],
)
def test_client_ip_trusts_the_header_only_as_far_as_the_proxies(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    extra = {"REMOTE_ADDR": "10.0.0.1"}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_ip(RequestFactory().get("/", **extra)) == expected


def test_without_a_proxy_setting_a_forged_header_buys_no_fresh_guesses(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, WRONG, forwarded=f"198.51.100.{n}")
    assert attempt(client, RIGHT, forwarded="198.51.100.200").status_code == 429


def test_behind_the_proxy_one_visitor_cannot_lock_the_clerk_out_for_everyone(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"  # every request arrives from the proxy's address
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, WRONG, remote=proxy, forwarded="203.0.113.66")
    assert attempt(client, RIGHT, remote=proxy, forwarded="203.0.113.66").status_code == 429  # the guesser
    client.logout()
    assert logged_in(attempt(client, RIGHT, remote=proxy, forwarded="192.0.2.10"))  # the clerk, elsewhere


def test_many_addresses_do_not_buy_more_guesses_at_one_username(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    per_address = settings.AXES_FAILURE_LIMIT - 1  # each address stays under its own limit
    statuses = [
        attempt(client, WRONG, forwarded=f"198.51.100.{n // per_address}").status_code
        for n in range(settings.AXES_USERNAME_FAILURE_LIMIT)
    ]
    assert statuses == [200] * (settings.AXES_USERNAME_FAILURE_LIMIT - 1) + [429]
    locked = attempt(client, RIGHT, forwarded="192.0.2.99")  # a new address, the right password
    assert locked.status_code == 429 and "For mange mislykkede login-forsøg" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another username is not affected.
    User.objects.create_user("other", password="en-anden-hest")
    assert logged_in(attempt(client, {"username": "other", "password": "en-anden-hest"}, forwarded="192.0.2.99"))
