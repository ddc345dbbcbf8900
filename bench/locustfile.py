"""Visitors for bench/load.py: each request picks a page kind at random (all kinds equally often), then one of its
URLs. The URLs come from the JSON file named by LOAD_URLS ({"kind": [paths]}); LOAD_KINDS limits the kinds
(comma-separated) for a run of one page alone. Anything but 200 counts as a failure.
"""

from __future__ import annotations

import json
import os
import random

from locust import FastHttpUser, constant, task

URLS: dict[str, list[str]] = json.loads(open(os.environ["LOAD_URLS"], encoding="utf-8").read())  # noqa: SIM115
KINDS = [k for k in os.environ.get("LOAD_KINDS", "").split(",") if k] or sorted(URLS)


class Visitor(FastHttpUser):
    wait_time = constant(0)  # closed loop: every client asks again as soon as it has its answer

    @task
    def visit(self):
        kind = random.choice(KINDS)
        with self.client.get(random.choice(URLS[kind]), name=kind, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
