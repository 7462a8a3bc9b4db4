"""Headers every response carries, what logs leave out, and files only their owner can read."""

from __future__ import annotations

import logging
import os
import stat

from crm import create_app
from crm.extensions import db
from crm.http_security import without_query_strings
from tests.settings import app_config


def test_every_page_forbids_framing_sniffing_and_foreign_scripts(client):
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_signed_in_pages_and_downloads_are_not_stored_but_static_files_may_be(client, auth):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    auth.login("editor")
    for url in ("/", "/contacts/people", "/export/people.xlsx", "/contacts/people/lookup?q=a"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
    assert "no-store" not in client.get("/static/app.css").headers.get("Cache-Control", "")


def test_no_template_carries_inline_script_or_style(app):
    """The policy refuses them in the browser (the journeys report any refusal); here, the source."""
    folder = os.path.join(app.root_path, app.template_folder)
    for directory, _, names in os.walk(folder):
        for name in names:
            with open(os.path.join(directory, name), encoding="utf-8") as template:
                text = template.read()
            assert " style=" not in text and " onclick=" not in text and " onchange=" not in text, name
            for tag in text.split("<script")[1:]:
                head = tag.split(">", 1)[0]
                assert "src=" in head or 'type="application/json"' in head, name


def test_search_terms_stay_out_of_the_access_log():
    record = logging.LogRecord(
        "werkzeug", logging.INFO, "", 0, '"%s" %s %s', ("GET /contacts/people?q=Dzhakishev HTTP/1.1", "200", "-"), None
    )
    without_query_strings(record)
    assert "Dzhakishev" not in record.getMessage() and "/contacts/people?" in record.getMessage()


def test_sql_errors_never_log_the_values(app):
    assert db.engine.hide_parameters


def test_the_database_and_uploads_are_their_owners_alone(tmp_path):
    app = create_app(app_config(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'new.sqlite3'}"))
    with app.app_context(), db.engine.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE probe (id INTEGER)")
    mode = stat.S_IMODE(os.stat(tmp_path / "new.sqlite3").st_mode)
    assert mode & 0o077 == 0, oct(mode)
    folder = tmp_path / "instance" / "made-by-the-app"
    folder.mkdir(parents=True)
    assert stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0
