"""Shared by the open-data tests (OParl API, calendars, feeds, export): an archive with matters that span several
bodies, and an OParl 1.1 validator that walks the API the way a client does."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tests import factories
from tests.conftest import OWN_PROTOCOLS, import_real_fixtures

SCHEMA_DIR = Path(__file__).resolve().parent / "oparl_schema"
API = "http://testserver/api/oparl/v1/"
OPARL_TYPES = (
    "System",
    "Body",
    "LegislativeTerm",
    "Organization",
    "Person",
    "Membership",
    "Meeting",
    "AgendaItem",
    "Paper",
    "Consultation",
    "File",
)

# The tests' own protocols this archive holds (named, so that protocols added for other tests do not change it).
OWN = (
    "kommunalbestyrelsen-2007-11-27.txt",
    "kommunalbestyrelsen-2025-06-24.txt",
    "kommunalbestyrelsen-2025-12-01-konstituerende.txt",
    "oekonomiudvalget-2007-11-20.txt",
)

# The two earlier treatments of Kommunalbestyrelsen's sag 30 of 24-06-2025 (its trail quotes TMU pkt. 65 and ØU
# pkt. 106), so that the fixture archive has a matter of three cases tied by the trail.
TMU_2025 = """Teknik- og Miljøudvalget
10-06-2025
Medlemmer
Formand Carsten Berg (C)
Lise Holm (UP)
Sager 65 - 65
Lokalplan 155 for Islev Torv
Sag nr. 65
Beslutningskompetence: KB
Sagens kerne
Forslag til Lokalplan 155 for Islev Torv har været i offentlig høring.
Indstilling
Teknisk Forvaltning indstiller, at Lokalplan 155 for Islev Torv vedtages endeligt.
Beslutning
Anbefales.
Bilag
Bilag 1: Lokalplan 155 for Islev Torv
Mødet afsluttet kl. 17.30
"""
OEU_2025 = """Økonomiudvalget
11-06-2025
Medlemmer
Formand Erik Nielsen (A)
Mette Dahl (F)
Sager 106 - 106
Lokalplan 155 for Islev Torv
Sag nr. 106
Beslutningskompetence: KB
Sagens kerne
Forslag til Lokalplan 155 for Islev Torv har været i offentlig høring.
Indstilling
Teknisk Forvaltning indstiller, at Lokalplan 155 for Islev Torv vedtages endeligt.
Teknik- og Miljøudvalget, 10. juni 2025, pkt. 65:
Anbefales.
Beslutning
Indstillingen anbefales.
Mødet afsluttet kl. 16.00
"""


def build_open_archive() -> None:
    """The real fixtures, the tests' own protocols (citations, trails, a substitute) and the two protocols above,
    with a PDF attached to Lokalplan 155."""
    from importer.attachments import attachment_import
    from importer.load import protocol_import

    import_real_fixtures()
    for name in OWN:
        protocol_import(content=(OWN_PROTOCOLS / name).read_bytes(), filename=name)
    for name, text in (("tmu-2025-06-10.txt", TMU_2025), ("oeu-2025-06-11.txt", OEU_2025)):
        protocol_import(content=text.encode(), filename=name)
    attachment_import(content=factories.minimal_pdf("Lokalplan 155 for Islev Torv"), filename="lokalplan-155.pdf")


# --- validation ---------------------------------------------------------------------------------------------------


def _as_json_schema(node):
    """OParl's `"schema": "File.json"` (an embedded object of that type) as a JSON Schema reference."""
    if isinstance(node, list):
        return [_as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _as_json_schema(value) for key, value in node.items() if key != "schema"}
    if isinstance(node.get("schema"), str):
        converted["allOf"] = [{"$ref": node["schema"]}]
    return converted


def _schemas() -> dict[str, dict]:
    return {path.name: _as_json_schema(json.loads(path.read_text())) for path in sorted(SCHEMA_DIR.glob("*.json"))}


SCHEMAS = _schemas()
REGISTRY = Registry().with_resources(
    (name, Resource.from_contents(contents, default_specification=DRAFT4)) for name, contents in SCHEMAS.items()
)
FORMATS = FormatChecker(formats=())


@FORMATS.checks("url", raises=ValueError)
def _is_url(value) -> bool:
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value) -> bool:
    # OParl: a date-time always carries its offset.
    return dt.datetime.fromisoformat(value).tzinfo is not None and "T" in value


@FORMATS.checks("date", raises=ValueError)
def _is_date(value) -> bool:
    return len(value) == 10 and dt.date.fromisoformat(value) is not None


def validate(obj: dict) -> str:
    """Validate an OParl object (and the objects embedded in it) against its type's schema; returns the type."""
    type_name = obj["type"].rsplit("/", 1)[-1]
    assert obj["type"] == f"https://schema.oparl.org/1.1/{type_name}", obj["type"]
    if obj.get("deleted"):
        # OParl 1.1 §2.8: a deleted object keeps id, type, created and modified, and nothing else but what its
        # schema requires (a File's accessUrl, which then answers 410; an AgendaItem's order).
        kept = set(SCHEMAS[f"{type_name}.json"].get("required", [])) - {"id", "type"}
        assert set(obj) <= {"id", "type", "created", "modified", "deleted"} | kept, obj
    validator = Draft4Validator(SCHEMAS[f"{type_name}.json"], registry=REGISTRY, format_checker=FORMATS)
    errors = sorted(validator.iter_errors(obj), key=lambda e: list(e.absolute_path))
    assert not errors, f"{obj['id']}: " + "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    for value in obj.values():
        if value is None or value == []:
            raise AssertionError(f"{obj['id']}: OParl writes no null and no empty optional list")
    return type_name


# --- walking the API ----------------------------------------------------------------------------------------------


def _api_urls(value) -> list[str]:
    """Every URL of the API in a JSON value (ids, references, list URLs), but not file contents."""
    if isinstance(value, str):
        if value.startswith(API) and not value.endswith(("/access", "/download")):
            return [value]
        return []
    if isinstance(value, list):
        return [url for item in value for url in _api_urls(item)]
    if isinstance(value, dict):
        return [url for item in value.values() for url in _api_urls(item)]
    return []


class Walk:
    """Everything reachable from the System object, fetched like a client: every list to its last page, every
    object by its id. `objects` maps each id to the object served at that URL."""

    def __init__(self, client, start: str = API, query: str = ""):
        self.client = client
        self.query = query
        self.objects: dict[str, dict] = {}
        self.lists: dict[str, list[dict]] = {}
        self.pages = 0
        self.embedded = 0
        self._run(start)

    def get(self, url: str) -> dict:
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response["Access-Control-Allow-Origin"] == "*"
        return response.json()

    def _run(self, start: str) -> None:
        queue, seen = [start], set()
        while queue:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            data = self.get(url)
            if "data" in data and "pagination" in data:
                queue += self._read_list(url, data)
                continue
            validate(data)
            assert data["id"] == url, f"{url} answers with id {data['id']}"
            self.objects[url] = data
            for embedded in _embedded_objects(data):
                validate(embedded)
                self.embedded += 1
            queue += [u for u in _api_urls(data) if u not in seen]

    def _read_list(self, url: str, first_page: dict) -> list[str]:
        items, page, found = [], first_page, []
        page_url = url + self.query if self.query and "?" not in url else url
        if page_url != url:
            page = self.get(page_url)
        while True:
            self.pages += 1
            assert set(page) == {"data", "pagination", "links"}
            assert page["links"]["self"].startswith(url)
            for obj in page["data"]:
                validate(obj)
                found.append(obj["id"])
                items.append(obj)
            if "next" not in page["links"]:
                assert page["links"]["self"] == page["links"]["last"]
                break
            page = self.get(page["links"]["next"])
        assert len(items) == first_page["pagination"]["totalElements"] or page_url != url
        assert len({obj["id"] for obj in items}) == len(items), f"{url} lists an object twice"
        self.lists[url] = items
        return found

    def types(self) -> Counter:
        return Counter(obj["type"].rsplit("/", 1)[-1] for obj in self.objects.values())


def _embedded_objects(obj: dict) -> list[dict]:
    found = []
    for value in obj.values():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, dict) and "type" in item and "id" in item:
                found.append(item)
                found += _embedded_objects(item)
    return found
