"""Fixtures shared by every test area: the real protocol files and an archive built from them."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
PROTOCOLS = FIXTURES / "protocols"
ATTACHMENTS = FIXTURES / "attachments"
OWN_PROTOCOLS = Path(__file__).resolve().parent / "protocols"


def pytest_collection_modifyitems(items):
    """Make every transactional test restore the seeded rows (parties, committees, the Clerks group) it flushes.

    A transactional test ends by flushing every table, and a flush followed by post_migrate recreates content types
    with new ids, which breaks the serialized rollback of the next such test on that worker. So all of them use
    serialized rollback, whether or not their file says so.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback"):
            continue
        item.add_marker(pytest.mark.django_db(*marker.args, **marker.kwargs, serialized_rollback=True), append=False)


@pytest.fixture
def protocol_bytes():
    """Read a real fixture protocol by its date, e.g. protocol_bytes("2020-08-11")."""

    def read(date: str) -> bytes:
        return (PROTOCOLS / f"beskaeftigelsesudvalget-{date}.txt").read_bytes()

    return read


def import_real_fixtures():
    """Import the three real protocols and the two attachment documents through the services."""
    from importer.attachments import attachment_import
    from importer.load import protocol_import

    results = {}
    for path in sorted(PROTOCOLS.glob("*.txt")):
        results[path.stem[-10:]] = protocol_import(content=path.read_bytes(), filename=path.name)
    for path in sorted(ATTACHMENTS.iterdir()):
        attachment_import(content=path.read_bytes(), filename=path.name)
    return results


@pytest.fixture
def archive(db):
    """The archive with the real fixtures imported: a dict of ImportResult by meeting date ("2020-08-11")."""
    return import_real_fixtures()


@pytest.fixture
def open_archive(db):
    """The open-data archive of tests/open_data.py: meetings, cases, people, files and a trail across bodies."""
    from tests.open_data import build_open_archive

    build_open_archive()


@pytest.fixture
def no_page_cache(settings):
    """Pages rendered on every request: for tests of what a page or the API itself answers."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _fresh_recent_pages():
    """Each test starts with an empty per-process page memory (web.cache.RecentPages): its database does too."""
    from web.cache import _recent

    _recent.clear()
    yield
    _recent.clear()


@pytest.fixture(scope="session", autouse=True)
def _live_server_requests_take_turns():
    """Let the live server's request threads use the test's in-memory SQLite connection one at a time.

    With an in-memory database Django hands every request thread the test thread's one connection; two requests at
    once (a double click) then collide inside SQLite ("cannot open savepoint"). A real SQLite file gives each thread
    its own connection and serialises writers with IMMEDIATE transactions, so this only undoes a test artefact.
    """
    import threading

    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.test.testcases import LiveServerThread

    class TurnTakingWSGIServer(ThreadedWSGIServer):
        turn = threading.Lock()

        def set_app(self, application):
            if not self.connections_override:
                return super().set_app(application)

            def one_at_a_time(environ, start_response):
                with self.turn:
                    return application(environ, start_response)

            return super().set_app(one_at_a_time)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LiveServerThread, "server_class", TurnTakingWSGIServer)
        yield
