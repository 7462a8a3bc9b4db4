"""A database that is busy or out of reach: a 503 page and a one-line CLI error, never a traceback."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crm import create_app
from crm.database_errors import BUSY, DOWN, EXIT_CODE
from crm.extensions import db
from tests.browser_client import BrowserLikeClient
from tests.factories import make_person
from tests.settings import app_config
from tests.web import form_with

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2"


def test_a_database_out_of_reach_is_a_503_page_that_says_so(tmp_path):
    app = create_app(app_config(tmp_path, SQLALCHEMY_DATABASE_URI=UNREACHABLE))
    app.test_client_class = BrowserLikeClient
    client = app.test_client()
    response = client.post("/login", data={"email": "editor@example.org", "password": "a long password"})
    assert response.status_code == 503
    assert DOWN in response.get_data(as_text=True)
    assert response.headers["Retry-After"] == "30"


def test_the_command_line_says_it_in_one_line_with_its_own_exit_code(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "wsgi",
            "crm",
            "create-user",
            "a@example.org",
            "--role",
            "admin",
            "--password",
            "violet kettle harbour",
        ],
        env={"CRM_DATABASE_URL": UNREACHABLE, "CRM_INSTANCE_DIR": str(tmp_path), "CRM_SECRET_KEY": "x", "PATH": ""},
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == EXIT_CODE
    assert result.stderr.strip() == f"Error: {DOWN}"


def test_a_save_while_another_writer_holds_sqlite_is_busy_not_an_error(app, client, auth, database_dir):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite has one writer at a time; PostgreSQL locks rows")
    person = make_person("Kelam", "Tunne")
    db.session.commit()
    impatient = create_app(app_config(database_dir, SQLITE_BUSY_SECONDS=0.2))
    impatient.test_client_class = BrowserLikeClient
    editor = impatient.test_client()
    with impatient.app_context():
        editor.post("/login", data={"email": "editor@example.org", "password": "correct horse battery"})
        form = form_with(editor.get(f"/contacts/people/{person.id}/edit").get_data(as_text=True), "family_name")
        writer = sqlite3.connect(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
        writer.execute("BEGIN IMMEDIATE")  # an import's transaction, say
        try:
            response = editor.post(f"/contacts/people/{person.id}/edit", data=form.data(family_name="Kelam-Ilves"))
        finally:
            writer.rollback()
            writer.close()
        assert response.status_code == 503
        assert BUSY in response.get_data(as_text=True)
        saved = editor.post(f"/contacts/people/{person.id}/edit", data=form.data(family_name="Kelam-Ilves"))
        assert saved.status_code == 302, "once the other writer is done, the same form saves"


def test_a_signed_in_page_is_a_503_too_when_the_database_goes(app, client, auth, tmp_path):
    auth.login("editor")
    cookie = client.get_cookie("session").value
    gone = create_app(app_config(tmp_path, SQLALCHEMY_DATABASE_URI=UNREACHABLE))
    browser = gone.test_client()
    browser.set_cookie("session", cookie)  # the same secret: the same browser, after the database went
    response = browser.get("/")
    assert response.status_code == 503
    assert DOWN in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
