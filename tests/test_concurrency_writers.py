"""One writer per meeting, raced with real processes on PostgreSQL.

Each race holds the meeting's lock in the test's own transaction, starts the writers as separate processes, waits
until all of them are blocked on that lock, and only then lets go: so they really overlap, in the one place where
they used to interleave (between comparing and writing). Then: no merged versions, no 500, no traceback.
"""

import datetime as dt
import json
import os
import re
import subprocess
import sys
import time

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import connection, transaction

from cases.models import Case
from importer.load import protocol_import
from importer.locks import lock_meeting
from meetings.models import Meeting, SourceDocument
from publishing import services
from publishing.models import Upload
from tests.conftest import PROTOCOLS, ROOT

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL and real processes"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COMMITTEE, DATE = "Beskæftigelsesudvalget", dt.date(2020, 8, 11)
V1 = (PROTOCOLS / "beskaeftigelsesudvalget-2020-08-11.txt").read_bytes()
TITLE_30 = "Udvikling af ny beskæftigelsespolitik i Rødovre Kommune"


def version_b() -> bytes:
    """The same meeting, corrected in two places: sag 30's title and sag 31's decision."""
    lines = V1.decode("utf-8").split("\n")
    assert lines[49].strip() == TITLE_30 and lines[119].strip() == "Taget til efterretning."
    lines[49] = TITLE_30 + " (version B)"
    lines[119] = "Godkendt (version B)."
    return "\n".join(lines).encode("utf-8")


V2 = version_b()


def assert_one_whole_version():
    """The meeting holds exactly one version, the one its current source is: never sag 30 of one, 31 of the other."""
    meeting = Meeting.objects.get()
    title_30 = Case.objects.get(meeting=meeting, number=30).title
    decision_31 = Case.objects.get(meeting=meeting, number=31).decision.text
    current = bytes(meeting.source.content)
    if current == V2:
        assert (title_30, decision_31) == (TITLE_30 + " (version B)", "Godkendt (version B).")
    else:
        assert current == V1
        assert (title_30, decision_31) == (TITLE_30, "Taget til efterretning.")
    return current


def subprocess_env() -> dict:
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update(DATABASE_URL=url, DEBUG="1", TASKS_BACKEND="immediate", PYTHONPATH=str(ROOT))
    return env


def waiting_for_advisory_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        return cursor.fetchone()[0]


def race(commands: list[list[str]]) -> list[subprocess.CompletedProcess]:
    """Run the commands as processes that all wait on the meeting's lock before any of them may write."""
    env = subprocess_env()
    with transaction.atomic():
        lock_meeting(COMMITTEE, DATE)
        processes = [
            subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for cmd in commands
        ]
        deadline = time.monotonic() + 90
        while waiting_for_advisory_locks() < len(commands):
            if any(p.poll() is not None for p in processes) or time.monotonic() > deadline:
                outputs = [p.communicate(timeout=30) for p in processes]
                pytest.fail(f"the writers did not all wait for the meeting's lock: {outputs}")
            time.sleep(0.1)
    results = []
    for cmd, process in zip(commands, processes, strict=True):
        stdout, stderr = process.communicate(timeout=180)
        results.append(subprocess.CompletedProcess(cmd, process.returncode, stdout, stderr))
    return results


def import_command(tmp_path, name: str, content: bytes) -> list[str]:
    path = tmp_path / name
    path.write_bytes(content)
    return [sys.executable, "manage.py", "import_protocols", str(path)]


def test_concurrent_imports_of_one_new_meeting_all_exit_cleanly(tmp_path):
    results = race([import_command(tmp_path, f"copy-{n}.txt", V1) for n in range(3)])
    for result in results:
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    statuses = sorted(
        line.split(": ")[1]
        for r in results
        for line in r.stdout.splitlines()
        if line.endswith(".txt: imported") or line.endswith(".txt: unchanged")
    )
    assert statuses == ["imported", "unchanged", "unchanged"]
    assert Meeting.objects.count() == 1 and SourceDocument.objects.count() == 1
    assert Case.objects.count() == 6


def test_concurrent_imports_of_two_versions_never_merge(tmp_path):
    results = race([import_command(tmp_path, "a.txt", V1), import_command(tmp_path, "b.txt", V2)])
    for result in results:
        assert result.returncode == 0, result.stderr
    said = " | ".join(r.stdout for r in results)
    assert "imported" in said and re.search(r"updated \(case 30: title changed; case 31: [a-z, ]*decision", said)
    assert_one_whole_version()
    assert SourceDocument.objects.count() == 2  # both versions kept, one of them current


def test_concurrent_imports_of_two_versions_of_an_existing_meeting_never_merge(tmp_path):
    """V1 is in the archive; versions A and B (each changing sag 30's title and sag 31's decision) are imported at
    once. Whichever goes second compares against the first's version: the meeting ends as one whole version."""
    protocol_import(content=V1, filename="v1.txt")
    version_a = V2.replace(b"(version B)", b"(version A)")
    results = race([import_command(tmp_path, "a.txt", version_a), import_command(tmp_path, "b.txt", V2)])
    for result in results:
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert re.search(r"\.txt: updated \(case 30: title changed; case 31: [a-z, ]*decision", result.stdout)
    meeting = Meeting.objects.get()
    current = bytes(meeting.source.content)
    assert current in (version_a, V2)
    marker = "(version A)" if current == version_a else "(version B)"
    assert Case.objects.get(meeting=meeting, number=30).title == f"{TITLE_30} {marker}"
    assert Case.objects.get(meeting=meeting, number=31).decision.text == f"Godkendt {marker}."
    assert Case.objects.filter(meeting=meeting).count() == 6
    assert SourceDocument.objects.count() == 3  # V1, then both versions, the last one current


@pytest.fixture
def clerks():
    # Transactional tests empty the tables after each test, data migrations' rows too: the group is made here.
    group, _ = Group.objects.get_or_create(name="Clerks")
    group.permissions.add(Permission.objects.get(codename="publish_protocol"))
    people = [User.objects.create_user(name) for name in ("anne", "bo")]
    for user in people:
        user.groups.add(group)
    return people


def preview(content: bytes, user) -> Upload:
    return services.upload_preview(user=user, filename="referat.txt", content=content, attachments=[])


def publish_command(upload: Upload, username: str, seen: str, confirm=False) -> list[str]:
    return [sys.executable, "tests/race_client.py", str(upload.pk), username, seen, "confirm" if confirm else "-"]


def test_two_clerks_publishing_one_new_meeting_one_gets_the_published_meanwhile_page(clerks):
    anne, bo = clerks
    uploads = [preview(V1, anne), preview(V2, bo)]  # both previews showed a new meeting
    results = race([publish_command(uploads[0], "anne", "new"), publish_command(uploads[1], "bo", "new")])
    answers = [json.loads(r.stdout.strip().splitlines()[-1]) for r in results]
    assert all("Traceback" not in r.stderr for r in results), [r.stderr for r in results]
    assert sorted(a["status"] for a in answers) == [302, 409]
    loser = answers.index(next(a for a in answers if a["status"] == 409))
    assert answers[loser]["conflict"]
    states = {u.pk: Upload.objects.get(pk=u.pk).state for u in uploads}
    assert states[uploads[loser].pk] == Upload.State.PREVIEW  # still there to compare again
    assert states[uploads[1 - loser].pk] == Upload.State.PUBLISHED
    current = assert_one_whole_version()
    assert current == (V1, V2)[1 - loser]


def test_two_clerks_replacing_one_meeting_never_merge(clerks):
    anne, bo = clerks
    original = protocol_import(content=V1, filename="v1.txt").source
    # Both corrected and previewed against the same published version, and both confirm replacing it.
    corrected_a = V2.replace(b"(version B)", b"(version A)")
    uploads = [preview(corrected_a, anne), preview(V2, bo)]
    seen = str(original.pk)
    results = race(
        [
            publish_command(uploads[0], "anne", seen, confirm=True),
            publish_command(uploads[1], "bo", seen, confirm=True),
        ]
    )
    answers = [json.loads(r.stdout.strip().splitlines()[-1]) for r in results]
    assert sorted(a["status"] for a in answers) == [302, 409]
    winner = next(i for i, a in enumerate(answers) if a["status"] == 302)
    meeting = Meeting.objects.get()
    assert bytes(meeting.source.content) == (corrected_a, V2)[winner]
    marker = ("(version A)", "(version B)")[winner]
    assert Case.objects.get(meeting=meeting, number=30).title.endswith(marker)
    assert Case.objects.get(meeting=meeting, number=31).decision.text.endswith(marker + ".")
    assert SourceDocument.objects.count() == 2
