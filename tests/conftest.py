"""Fixtures shared by every test area: the real protocol files and an archive built from them."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
PROTOCOLS = FIXTURES / "protocols"
ATTACHMENTS = FIXTURES / "attachments"
OWN_PROTOCOLS = Path(__file__).resolve().parent / "protocols"


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
