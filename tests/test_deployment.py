"""The team deployment's web server: gunicorn serves wsgi:app from the environment, CSRF and all."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from tests.settings import database_url

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn(staff, database_dir, tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "CRM_DATABASE_URL": database_url(database_dir),
        "CRM_SECRET_KEY": "deployment-test-secret",
        "CRM_INSTANCE_DIR": str(tmp_path / "instance"),
    }
    command = [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "wsgi:app"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/login", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"gunicorn stopped: {server.stdout.read().decode()[-2000:]}")
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_gunicorn_serves_the_app_to_a_signed_in_editor(gunicorn, staff):
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    form = browser.open(f"{gunicorn}/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)

    refused = urllib.parse.urlencode({"email": "editor@example.org", "password": PASSWORD}).encode()
    with pytest.raises(urllib.error.HTTPError) as no_token:
        browser.open(f"{gunicorn}/login", data=refused)
    signed_in = urllib.parse.urlencode({"email": "editor@example.org", "password": PASSWORD, "csrf_token": token})
    start = browser.open(f"{gunicorn}/login", data=signed_in.encode())

    assert no_token.value.code == 400
    assert start.status == 200 and start.url == f"{gunicorn}/"
    page = start.read().decode()
    assert staff["editor"].label in page and "Sign out" in page
