"""Publish a very large protocol from the web, timed step by step (issue 15).

Uploads `bench.big_protocol.big_protocol(CASES)` through the clerk's real views (Django's test client, all the
middleware), then times: the upload, the preview (and its HTML size), the publish request, and the background
worker's import (`db_worker --batch`, the django-tasks database backend). Run it on a scratch PostgreSQL database:
it migrates it and deletes the generated meeting first.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/rodovre_bench python bench/publish.py [--cases 10000]
Writes bench/results/publish-CASES.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rodovre_minutes.settings")
os.environ["TASKS_BACKEND"] = "database"  # the production path: the request queues, the worker imports


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from bench.big_protocol import big_protocol
    from meetings.models import Meeting
    from publishing.models import Upload

    setup_test_environment()
    call_command("migrate", verbosity=0)
    Meeting.objects.filter(committee__name="Beskæftigelsesudvalget", date=dt.date(2022, 11, 15)).delete()
    clerk, _ = User.objects.get_or_create(username="bench-clerk")
    clerk.groups.add(Group.objects.get(name="Clerks"))
    client = Client()
    client.force_login(clerk)
    data = big_protocol(args.cases)
    figures: dict[str, object] = {"cases": args.cases, "bytes": len(data), "database": connection.vendor}

    start = time.perf_counter()
    response = client.post(reverse("publishing:upload"), {"protocol": SimpleUploadedFile("stor.txt", data)})
    figures["upload_s"] = round(time.perf_counter() - start, 2)
    assert response.status_code == 302, response.status_code
    upload = Upload.objects.latest("pk")

    start = time.perf_counter()
    page = client.get(upload.get_absolute_url())
    figures["preview_s"] = round(time.perf_counter() - start, 2)
    figures["preview_html_bytes"] = len(page.content)
    assert page.status_code == 200

    start = time.perf_counter()
    response = client.post(reverse("publishing:upload_publish", args=[upload.pk]), {"seen_source": "new"})
    figures["publish_request_s"] = round(time.perf_counter() - start, 2)
    assert response.status_code == 302 and Upload.objects.get(pk=upload.pk).state == Upload.State.PUBLISHING

    status = client.get(upload.get_absolute_url())
    figures["status_page_bytes"] = len(status.content)

    start = time.perf_counter()
    call_command("db_worker", "--batch", verbosity=0)
    figures["background_import_s"] = round(time.perf_counter() - start, 2)
    upload.refresh_from_db()
    assert upload.state == Upload.State.PUBLISHED, (upload.state, upload.publish_error)
    figures["published_cases"] = upload.meeting.cases.count()

    out = ROOT / "bench" / "results" / f"publish-{args.cases}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
