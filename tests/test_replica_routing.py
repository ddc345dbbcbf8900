"""DATABASE_REPLICA_URLS: anonymous reads of the archive go to a replica, writes and everything else to the primary.

The tests run with two database aliases, "default" and "replica1", on the same test database (as
`TEST: {"MIRROR": "default"}` does for a configured replica), and look at which connection ran each query.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from importer.load import protocol_import
from meetings.models import Meeting
from rodovre_minutes.routers import ReplicaRouter, public_reads_from, reset
from tests.conftest import import_real_fixtures
from tests.test_site_pages import case_url, meeting_url

REPLICA = "replica1"

# The second alias exists from collection on, before the test databases are set up, as DATABASE_REPLICA_URLS
# would make it (settings.py); only these tests route to it (DATABASE_REPLICAS).
if REPLICA not in connections.settings:
    connections.settings[REPLICA] = {**connections.settings["default"], "TEST": {"MIRROR": "default"}}


@pytest.fixture
def replica(settings):
    """The replica alias, routed to as the public site's replica."""
    settings.DATABASE_REPLICAS = [REPLICA]
    settings.PAGE_CACHE_SECONDS = 0  # every request reads the archive, so the routing shows in every query
    return connections[REPLICA]


def archive_tables(queries) -> list[str]:
    names = ("meetings_", "cases_", "search_")
    return [q["sql"] for q in queries if any(name in q["sql"] for name in names)]


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_public_pages_read_the_archive_from_the_replica(replica):
    import_real_fixtures()
    public = Client()
    for url in ("/", meeting_url("2020-08-11"), case_url("2020-08-11", 30), "/personer/", "/sitemap.xml"):
        with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(replica) as secondary:
            assert public.get(url).status_code == 200, url
        assert archive_tables(secondary), url
        assert archive_tables(primary) == [], (url, archive_tables(primary))


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_logged_in_users_and_writes_use_the_primary(replica):
    import_real_fixtures()
    clerk = Client()
    clerk.force_login(get_user_model().objects.create_user("clerk", password="x"))
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(replica) as secondary:
        assert clerk.get(meeting_url("2020-08-11")).status_code == 200
    assert archive_tables(primary) and secondary.captured_queries == []


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_an_import_during_a_public_request_reads_and_writes_the_primary(replica, protocol_bytes):
    token = public_reads_from(REPLICA)
    try:
        with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(replica) as secondary:
            result = protocol_import(content=protocol_bytes("2020-08-11"), filename="x.txt")
        assert result.status == "imported"
        assert secondary.captured_queries == []  # the import's comparisons read inside its transaction
        assert any(q["sql"].startswith("INSERT") for q in primary.captured_queries)
        # Outside a transaction, the same context reads the archive from the replica.
        with CaptureQueriesContext(replica) as secondary:
            assert Case.objects.filter(meeting=result.meeting).count() == 6
        assert archive_tables(secondary)
    finally:
        reset(token)


def test_the_router_sends_writes_to_the_primary_and_only_public_archive_reads_to_a_replica(settings):
    from django.contrib.sessions.models import Session

    settings.DATABASE_REPLICAS = [REPLICA]
    router = ReplicaRouter()
    assert router.db_for_read(Meeting) == "default"  # no public request: primary
    token = public_reads_from(REPLICA)
    try:
        assert router.db_for_read(Meeting) == REPLICA
        assert router.db_for_read(Session) == "default"  # sessions, users, the cache table: primary
        assert router.db_for_write(Meeting) == "default"
    finally:
        reset(token)
    assert router.allow_migrate("default", "meetings") and not router.allow_migrate(REPLICA, "meetings")
