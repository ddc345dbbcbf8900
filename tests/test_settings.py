"""Settings from the environment: safe production behaviour and a Danish interface for every browser."""

import os
import secrets
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def manage(*args, **env):
    environ = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environ | env, capture_output=True, text=True, timeout=60
    )


def test_production_settings_pass_the_deploy_check():
    proc = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="minutes.example",
    )
    assert proc.returncode == 0, proc.stderr
    assert "no issues" in proc.stdout


def test_debug_off_without_a_secret_key_is_refused():
    proc = manage("check", DEBUG="0")
    assert proc.returncode != 0
    assert "SECRET_KEY must be set" in proc.stderr


@pytest.mark.django_db
def test_an_english_browser_still_gets_danish_dates(archive, client):
    response = client.get("/moeder/beskaeftigelsesudvalget/2020-08-11/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    body = response.content.decode()
    assert "tirsdag 11. august 2020" in body and "Tuesday" not in body
