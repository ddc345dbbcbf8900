"""Login protection: the client's address behind a trusted proxy, and a lockout per username across addresses.

Both plug into django-axes (settings: AXES_CLIENT_IP_CALLABLE, AXES_HANDLER).
"""

from __future__ import annotations

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The address of the client this request came from.

    With `TRUSTED_PROXY_COUNT` = 0 (no proxy) that is REMOTE_ADDR, whatever headers the client sends. Behind N
    trusted reverse proxies, each appending the address it saw to X-Forwarded-For, it is the N-th entry from the
    right (the one the outermost proxy wrote); entries further left came from the client and are never trusted.
    A header with fewer entries than that, or not an address there, means the request did not come through the
    proxies: then REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    entries = [item for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if item.strip()]
    if len(entries) < count:
        return remote
    return _valid_ip(entries[-count]) or remote


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, plus a lock on the username once it has failed AXES_USERNAME_FAILURE_LIMIT times
    in the cool-off time from any addresses together (the pair limit alone gives each new address fresh guesses).
    """

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or self.username_locked(request, credentials)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        # Axes flags the request (and so answers with the lockout page) only for the address's own limit.
        locked = request is not None and getattr(request, "axes_locked_out", False)
        if request is not None and not locked and self.username_locked(request, credentials):
            request.axes_locked_out = True

    @staticmethod
    def username_locked(request, credentials: dict | None) -> bool:
        username = get_client_username(request, credentials)
        if not username:
            return False
        since = (getattr(request, "axes_attempt_time", None) or timezone.now()) - get_cool_off(request)
        failures = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
            total=Sum("failures_since_start")
        )["total"]
        return (failures or 0) >= settings.AXES_USERNAME_FAILURE_LIMIT
