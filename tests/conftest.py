"""Fixtures build on each other: app -> client / runner -> auth, and app -> sample_world.

The schema is built once per run by the migrations, as the README builds a database; each test
starts from tables holding only the default lists (what migration 0009 puts in a new database),
so tests are independent on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from crm import create_app
from crm.auth import service as users
from crm.extensions import db
from crm.taxonomy.service import ensure_defaults
from tests.browser_client import BrowserLikeClient
from tests.sample_data import SampleWorld, build_sample_world
from tests.settings import app_config

PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def database_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("db")


@pytest.fixture(scope="session")
def _schema(database_dir):
    app = create_app(app_config(database_dir))
    with app.app_context():
        _drop_everything()
        upgrade()  # as the README builds a database: `flask --app wsgi db upgrade`
    yield
    with app.app_context():
        _drop_everything()
        db.engine.dispose()


def _drop_everything() -> None:
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        if db.engine.dialect.name == "sqlite":  # the people search index, which no model declares
            connection.execute(text("DROP TABLE IF EXISTS person_search"))


def _empty_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(_schema, database_dir):
    app = create_app(app_config(database_dir))
    app.test_client_class = BrowserLikeClient
    with app.app_context():
        _empty_tables()
        ensure_defaults()
        db.session.commit()
        yield app
        db.session.rollback()
        db.session.remove()
        # Each test's app has its own engine: close its pooled connections now rather than when it is
        # collected, so a run holds a few connections, not one pool per test, on a shared PostgreSQL.
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def sample_world(app) -> SampleWorld:
    """The contacts, campaigns, outreach and replies the suites share (tests/sample_data.py)."""
    return build_sample_world()


@pytest.fixture
def staff(app):
    """One account per role: staff["admin"], staff["editor"], staff["viewer"]."""
    accounts = {
        role: users.create_user(f"{role}@example.org", PASSWORD, role=role, name=role.title())
        for role in ("admin", "editor", "viewer")
    }
    db.session.commit()
    return accounts


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, role_or_email: str = "editor", password: str = PASSWORD):
        email = role_or_email if "@" in role_or_email else f"{role_or_email}@example.org"
        response = self._client.post("/login", data={"email": email, "password": password})
        if response.status_code == 302:
            # As a browser does, land on the page sign-in leads to: its forms carry the new session's
            # CSRF token (sign-in renews it).
            self._client.get(response.location)
        return response

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client, staff):
    return AuthActions(client)
