"""A separate process for the race tests (tests/test_concurrency_writers.py): one clerk publishing one upload
through the real view, on the database named by DATABASE_URL. Prints one JSON line: the status and what the page
said. Not a test module (pytest collects only test_*.py)."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rodovre_minutes.settings")


def main(upload_id: int, username: str, seen_source: str, confirm: bool) -> None:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()  # lets the test client's host in; nothing else changes
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    data = {"seen_source": seen_source}
    if confirm:
        data["confirm_replace"] = "on"
    response = client.post(reverse("publishing:upload_publish", args=[upload_id]), data)
    page = response.content.decode("utf-8", "replace")
    print(json.dumps({"status": response.status_code, "conflict": 'id="publish-conflict"' in page}))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4] == "confirm")
