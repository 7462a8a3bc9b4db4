"""A second database to restore into (of the other kind when it matters), and what to compare.

When the suite runs on SQLite the other kind is a scratch PostgreSQL database created on the
server at CRM_TEST_POSTGRES_URL (default: postgres@127.0.0.1:5432, as CI has) and dropped after;
when it runs on PostgreSQL the other kind is a new SQLite file.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import current_app
from sqlalchemy import create_engine, make_url, select
from sqlalchemy.exc import OperationalError

from crm import create_app
from crm.backup.contents import data_files, tables
from crm.extensions import db
from tests.browser_client import BrowserLikeClient
from tests.settings import app_config

POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@pytest.fixture(autouse=True)
def own_instance_folder(app, tmp_path):
    """The source's data files in a folder of this test's own, not the one the suite shares."""
    app.config["INSTANCE_DIR"] = str(tmp_path / "instance")


def _suite_on_postgres() -> bool:
    return os.environ.get("CRM_TEST_DATABASE_URL", "").startswith("postgresql")


@pytest.fixture
def other_database(tmp_path):
    """The URL of a database with no tables, of the kind the suite does not run on."""
    if _suite_on_postgres():
        yield f"sqlite:///{tmp_path / 'other.sqlite3'}"
        return
    server = os.environ.get("CRM_TEST_POSTGRES_URL", POSTGRES_SERVER)
    name = f"crm_backup_restore_{os.getpid()}"
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except OperationalError:
        engine.dispose()
        if "CRM_TEST_POSTGRES_URL" in os.environ:
            raise
        pytest.skip(f"no PostgreSQL server at {server} to restore into")
    yield make_url(server).set(database=name).render_as_string(hide_password=False)
    with engine.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    engine.dispose()


@pytest.fixture
def app_on(tmp_path):
    """app_on(url, "name"): an app on that database with an instance folder of its own."""
    made = []

    def make(url: str, name: str = "restored"):
        app = create_app(app_config(tmp_path, SQLALCHEMY_DATABASE_URI=url, INSTANCE_DIR=str(tmp_path / name)))
        app.test_client_class = BrowserLikeClient
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def restore_with(app, archive: Path, *extra: str):
    """`crm restore` run by `app` (inside its own context: the CLI keeps the one it finds)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=["crm", "restore", str(archive), *extra])


def every_row() -> dict[str, list[tuple[Any, ...]]]:
    """Each archived table's rows in id order, in the current app's database."""
    db.session.expire_all()
    return {
        plan.table.name: [
            tuple(_plain(value) for value in row)
            for row in db.session.execute(
                select(*plan.table.columns).order_by(*(plan.table.c[key] for key in plan.primary_key))
            )
        ]
        for plan in tables()
    }


def _plain(value: Any) -> Any:
    """Representation only: a datetime read with a time zone compares as naive UTC."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def every_file() -> dict[str, bytes]:
    return {name: path.read_bytes() for name, path in data_files(Path(current_app.config["INSTANCE_DIR"]))}
