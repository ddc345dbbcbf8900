"""The benchmark's synthetic archive generator writes real-format protocols with a long-tailed vocabulary."""

import json

import pytest

from bench.generate import generate
from importer.parse import parse_protocol
from search import danish


@pytest.fixture(scope="module")
def archive_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("synthetic")
    generate(out, 300, seed=7)
    return out


def test_generator_is_seeded_and_reproducible(archive_dir, tmp_path):
    again = generate(tmp_path, 300, seed=7)
    manifest = json.loads((archive_dir / "manifest.json").read_text("utf-8"))
    assert again["files"] == manifest["files"]
    first = manifest["files"][0]
    assert (tmp_path / first).read_bytes() == (archive_dir / first).read_bytes()


def test_every_file_parses_with_the_requested_cases_and_no_warnings(archive_dir):
    manifest = json.loads((archive_dir / "manifest.json").read_text("utf-8"))
    protocols = [parse_protocol((archive_dir / name).read_bytes()) for name in manifest["files"]]
    assert sum(len(p.cases) for p in protocols) == manifest["cases"] == 300
    assert not [w for p in protocols for w in p.warnings]
    case = next(c for p in protocols for c in p.cases if c.title not in {"Meddelelser", "Diverse"})
    assert [s.heading for s in case.sections][:2] == ["Sagens kerne", "Indstilling"]
    assert case.decision is not None and case.recommendations


def test_topic_pool_has_a_long_tail(archive_dir):
    manifest = json.loads((archive_dir / "manifest.json").read_text("utf-8"))
    assert manifest["topic_stems"] >= 5000
    assert len({danish.stem(t) for t in manifest["topics"]}) == manifest["topic_terms"]
