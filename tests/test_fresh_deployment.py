"""A team deployment from nothing, as the README's "Team deployment" lines set one up, then used over HTTP.

On an empty database and without `crm demo`, in subprocesses with the README's environment:

    flask --app wsgi db upgrade
    flask --app wsgi crm create-user you@example.org --role admin --password …
    gunicorn --workers 2 --bind 127.0.0.1:PORT wsgi:app
    flask --app wsgi crm worker

then, as that admin, through the real forms and their CSRF tokens: import a spreadsheet with categories,
tags and organisations in the web wizard (run by the worker), create a campaign, log an outreach, record its
reply, download every list from the Export menus and read the files, and open the reports.

The environment differs from the README's in three ways, on purpose: two gunicorn workers rather than four
(two are enough to serve one request in one process and the next in another, on a shared CI machine);
CRM_COOKIE_SECURE is not set, as this test talks plain HTTP to gunicorn with no HTTPS proxy in front (a
Secure cookie would never come back); and CRM_JOBS_URL names a Redis of the test's own when `redis-server`
is installed, else it is left unset and the web servers and the worker share the SQLite queue in
CRM_INSTANCE_DIR (the job path through the worker is the same; CI has no Redis).

Each step is a module fixture that the next builds on, so a step that breaks reports as an error in the
tests after it.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.web import Browser, Page, form_with, links

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "imports" / "samples" / "generic.xlsx"  # categories, tags and organisations
ADMIN, ADMIN_PASSWORD = "you@example.org", "a long fresh password"
WAIT = 60  # seconds for a server to start or the worker to finish a job
# Every list's Export menu: the lists and the files they offer.
LISTS = ("/contacts/people", "/contacts/organisations", "/outreach/")
EXPORTS = {
    "/export/people.xlsx",
    "/export/people.csv",
    "/export/organisations.xlsx",
    "/export/organisations.csv",
    "/export/outreach.xlsx",
    "/export/outreach.csv",
    "/export/responses.xlsx",
    "/export/responses.csv",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def empty_database(tmp_path_factory) -> Iterator[str]:
    """A database nobody else uses: a new SQLite file, or a scratch PostgreSQL database beside the test one."""
    url = os.environ.get("CRM_TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('fresh') / 'crm.sqlite3'}"
        return
    base = make_url(url)
    name = f"{base.database}_fresh_deployment"
    server = create_engine(base, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


@pytest.fixture(scope="module")
def jobs_url(tmp_path_factory) -> Iterator[str]:
    """The README's Redis broker when redis-server is installed; else "" (the SQLite queue in the instance folder)."""
    redis_server = shutil.which("redis-server")
    if redis_server is None:
        yield ""
        return
    port = _free_port()
    command = [redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    redis = subprocess.Popen(command, cwd=tmp_path_factory.mktemp("redis"), stdout=subprocess.DEVNULL)
    try:
        _wait_for_port(port, redis, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(redis)


@dataclass
class Deployment:
    url: str
    env: dict[str, str]

    def logs(self) -> str:
        """What gunicorn and the worker said so far, for an assertion message."""
        return "\n".join(Path(self.env["CRM_INSTANCE_DIR"], f"{name}.log").read_text()[-3000:] for name in LOGS)


LOGS = ("gunicorn", "worker")


def _flask(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def deployment(empty_database, jobs_url, tmp_path_factory) -> Iterator[Deployment]:
    instance = tmp_path_factory.mktemp("instance")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CRM_") and key not in ("FLASK_APP", "FLASK_DEBUG")
    }
    env |= {
        "CRM_DATABASE_URL": empty_database,
        "CRM_SECRET_KEY": "fresh-deployment-secret",
        "CRM_INSTANCE_DIR": str(instance),
    }
    if jobs_url:
        env["CRM_JOBS_URL"] = jobs_url

    upgrade = _flask("db", "upgrade", env=env)
    assert upgrade.returncode == 0, upgrade.stderr
    user = _flask("crm", "create-user", ADMIN, "--role", "admin", "--password", ADMIN_PASSWORD, env=env)
    assert user.returncode == 0, user.stdout + user.stderr

    port = _free_port()
    commands = {
        "gunicorn": [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        "worker": [sys.executable, "-m", "flask", "--app", "wsgi", "crm", "worker"],
    }
    servers = []
    try:
        for name in LOGS:
            with open(instance / f"{name}.log", "wb") as log:  # the process keeps its own copy of the handle
                servers.append(
                    subprocess.Popen(commands[name], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
                )
        deployment = Deployment(f"http://127.0.0.1:{port}", env)
        _wait_for_port(port, servers[0], "gunicorn", deployment)
        yield deployment
    finally:
        for server in servers:
            _stop(server)


def _wait_for_port(port: int, process: subprocess.Popen, name: str, deployment: Deployment | None = None) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{name} stopped: {deployment.logs() if deployment else process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"{name} did not listen on {port} within {WAIT} s")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- The steps, as the admin does them in a browser -----------------------------------------------------------


@pytest.fixture(scope="module")
def admin(deployment) -> Browser:
    browser = Browser(deployment.url)
    page = browser.get("/")
    assert page.url.startswith(f"{deployment.url}/login"), "an anonymous visitor must be sent to sign in"
    form = form_with(page.text, "email", "password", "csrf_token")
    start = browser.submit(page, form, form.data(email=ADMIN, password=ADMIN_PASSWORD))
    assert start.status == 200 and start.url == f"{deployment.url}/", start.summary()
    assert "Sign out" in start.text
    return browser


def _ok(page: Page, deployment: Deployment) -> Page:
    assert page.status == 200, f"{page.summary()}\n--- server logs ---\n{deployment.logs()}"
    return page


def _wait_for(browser: Browser, path: str, done, deployment: Deployment) -> dict:
    """Poll a progress address (JSON) until done(answer): what the wizard's page script does."""
    deadline = time.monotonic() + WAIT
    while True:
        answer = _ok(browser.get(path), deployment).json()
        if done(answer):
            return answer
        assert time.monotonic() < deadline, f"{path} still says {answer} after {WAIT} s\n{deployment.logs()}"
        time.sleep(0.3)


def _count(page: Page, key: str) -> int:
    found = re.search(rf'data-count="{key}">\s*(\d+)\s*<', page.text)
    assert found, f"no {key} count on {page.url}"
    return int(found.group(1))


@dataclass
class Imported:
    preview: Page
    result: Page


@pytest.fixture(scope="module")
def imported(admin, deployment) -> Imported:
    """Upload → (one sheet, so straight to) mapping as detected → preview, prepared by the worker → import."""
    index = _ok(admin.get("/imports/"), deployment)
    upload = form_with(index.text, "file")
    mapping = _ok(
        admin.submit(index, upload, upload.data(), files={"file": (SAMPLE.name, SAMPLE.read_bytes())}), deployment
    )
    assert re.search(r"/imports/\d+/mapping$", mapping.url), mapping.summary()
    run_path = mapping.url.removeprefix(deployment.url).removesuffix("/mapping")

    choices = form_with(mapping.text, "on_duplicate", "category", button="Preview")
    preview = _ok(admin.submit(mapping, choices, choices.data()), deployment)
    if "/preview" in preview.url and "Preparing the preview" in preview.text:
        _wait_for(admin, f"{run_path}/preview/progress", lambda answer: answer["ready"], deployment)
        preview = _ok(admin.get(f"{run_path}/preview"), deployment)
    assert preview.url.endswith(f"{run_path}/preview"), f"{preview.summary(600)}\n{deployment.logs()}"

    confirm = form_with(preview.text, "csrf_token", button="Import")
    started = _ok(admin.submit(preview, confirm, confirm.data()), deployment)
    assert started.url.endswith(run_path), started.summary()
    progress = _wait_for(admin, f"{run_path}/progress", lambda answer: answer["status"] != "queued", deployment)
    progress = _wait_for(admin, f"{run_path}/progress", lambda answer: answer["status"] != "running", deployment)
    assert progress["status"] == "done", f"{progress}\n{deployment.logs()}"
    return Imported(preview, _ok(admin.get(run_path), deployment))


@pytest.fixture(scope="module")
def campaign(admin, deployment) -> str:
    """A campaign through its form; returns its address."""
    page = _ok(admin.get("/campaigns/new"), deployment)
    form = form_with(page.text, "name", "description")
    saved = _ok(
        admin.submit(page, form, form.data(name="Free Mukhtar Dzhakishev", description="Release on health grounds.")),
        deployment,
    )
    assert re.search(r"/campaigns/\d+$", saved.url), saved.summary()
    return saved.url.removeprefix(deployment.url)


def _party(admin: Browser, name: str, deployment: Deployment) -> dict:
    """What the type-ahead offers for `name`: the first suggestion, as picking it in the browser does."""
    suggestions = _ok(admin.get(f"/outreach/parties?q={quote(name)}"), deployment).json()
    assert suggestions, f"the type-ahead finds no {name}"
    return suggestions[0]


@dataclass
class Outreach:
    path: str
    page: Page


@pytest.fixture(scope="module")
def outreach(admin, deployment, imported, campaign) -> Outreach:
    """A letter to an imported person and her organisation in the campaign, then her reply."""
    page = _ok(admin.get("/outreach/new"), deployment)
    form = form_with(page.text, "subject", "participants-0-party")
    tumenova, aman_saulik = _party(admin, "Tumenova", deployment), _party(admin, "Aman-Saulik", deployment)
    data = form.data(
        subject="Medical care for Mukhtar Dzhakishev",
        summary="We ask the foundation to document his health.",
        campaign_id=form.option_value("campaign_id", "Free Mukhtar Dzhakishev"),
        **{
            "participants-0-party": tumenova["id"],
            "participants-0-party_label": tumenova["label"],
            "participants-1-party": aman_saulik["id"],
            "participants-1-party_label": aman_saulik["label"],
        },
    )
    logged = _ok(admin.submit(page, form, data), deployment)
    assert re.search(r"/outreach/\d+$", logged.url), logged.summary()
    assert "Logged" in logged.text, logged.summary()
    path = logged.url.removeprefix(deployment.url)

    page = _ok(admin.get(f"{path}/responses/new"), deployment)
    form = form_with(page.text, "recipient", "outcome_id")
    assert form.data()["recipient"] == tumenova["id"], "the reply form should offer the recipient awaiting a reply"
    data = form.data(
        outcome_id=form.option_value("outcome_id", "Committed to act"),
        summary="Aman-Saulik will send a doctor to the colony.",
    )
    replied = _ok(admin.submit(page, form, data), deployment)
    assert replied.url.split("#")[0].endswith(path), replied.summary()
    return Outreach(path, replied)


# --- What the admin sees ---------------------------------------------------------------------------------------


def test_the_wizard_imports_people_with_their_categories_tags_and_organisations(admin, deployment, imported):
    counts = {key: _count(imported.preview, key) for key in ("created", "updated", "skipped", "rejected")}
    assert counts == {"created": 3, "updated": 0, "skipped": 0, "rejected": 0}, imported.preview.summary()
    assert (_count(imported.result, "created"), _count(imported.result, "rejected")) == (3, 0)

    found = _ok(admin.get("/contacts/people?q=Tumenova"), deployment)
    [person] = [link for link in links(found.text, "/contacts/people/") if re.search(r"/people/\d+$", link)]
    page = _ok(admin.get(person), deployment).text
    for shown in ("Bakhyt", "Human rights defender", "Dzhakishev", "health", "Aman-Saulik", "Head"):
        assert shown in page, f"{shown!r} is not on Tumenova's page"
    organisations = _ok(admin.get("/contacts/organisations"), deployment).text
    assert "Aman-Saulik" in organisations and "Freedom House" in organisations


def test_an_outreach_and_its_reply(outreach):
    page = outreach.page.text
    assert "Recorded the reply" in page
    for shown in ("Medical care for Mukhtar Dzhakishev", "Free Mukhtar Dzhakishev", "Committed to act"):
        assert shown in page, f"{shown!r} is not on the outreach page"


def test_every_list_downloads_from_its_export_menu(admin, deployment, imported, outreach):
    offered = {}
    for path in LISTS:
        for link in links(_ok(admin.get(path), deployment).text, "/export/"):
            offered[link.split("?")[0]] = link
    assert set(offered) >= EXPORTS, f"the Export menus offer {sorted(offered)}"

    expected = {
        "people": ["Tumenova", "Toregozhina", "Behrendt", "Human rights defender", "Aman-Saulik"],
        "organisations": ["Aman-Saulik", "Freedom House"],
        "outreach": ["Medical care for Mukhtar Dzhakishev", "Free Mukhtar Dzhakishev"],
        "responses": ["Aman-Saulik will send a doctor to the colony.", "Committed to act"],
    }
    for path in sorted(EXPORTS):
        download = admin.get(offered[path])
        assert download.status == 200, f"{download.summary(300)}\n--- server logs ---\n{deployment.logs()}"
        assert "attachment" in download.headers.get("Content-Disposition", ""), path
        rows = _rows(path, download.body)
        cells = {str(cell) for row in rows[1:] for cell in row if cell is not None}
        assert rows[0] and all(rows[0]), f"{path} has no header row: {rows[:1]}"
        for value in expected[Path(path).stem]:
            assert any(value in cell for cell in cells), f"{value!r} is not in {path}: {rows[:5]}"

    template = admin.get(offered.get("/export/template.xlsx", "/export/template.xlsx"))
    assert template.status == 200 and _rows("template.xlsx", template.body)[0]


def _rows(path: str, body: bytes) -> list[tuple]:
    if path.endswith(".xlsx"):
        workbook = load_workbook(io.BytesIO(body), read_only=True)
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
        workbook.close()
        return rows
    return [tuple(row) for row in csv.reader(io.StringIO(body.decode("utf-8-sig")))]


def test_the_reports(admin, deployment, campaign, outreach):
    overview = _ok(admin.get("/reports/"), deployment)
    report = _ok(admin.get(f"/reports{campaign}"), deployment)
    assert "Report: Free Mukhtar Dzhakishev" in report.words
    for page in (overview, report):
        # Tumenova and Aman-Saulik were written to; her reply counts for both (a person answers for her organisation).
        assert "Recipients 2 Replied 2 Response rate 100 %" in page.words, page.summary(800)
        assert "Human rights defender 1 1 100 %" in page.words, "the imported category is not in the report"
    for workbook in ("/reports/all.xlsx", f"/reports{campaign}.xlsx", "/reports/scorecard.xlsx"):
        download = admin.get(workbook)
        assert download.status == 200, download.summary(300)
        assert _rows(workbook, download.body), f"{workbook} is empty"
