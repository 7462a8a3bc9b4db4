"""Configuration from the environment and the migrations that build the schema."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from crm.config import Config
from crm.contacts.models import EmailAddress, Person
from crm.extensions import db
from tests.factories import make_person

ROOT = Path(__file__).resolve().parent.parent


def test_secret_key_is_generated_once_with_private_permissions(tmp_path, monkeypatch):
    monkeypatch.delenv("CRM_SECRET_KEY", raising=False)
    first = Config({"INSTANCE_DIR": str(tmp_path)})
    second = Config({"INSTANCE_DIR": str(tmp_path)})
    key_file = tmp_path / "secret_key"
    assert first.SECRET_KEY == second.SECRET_KEY and len(first.SECRET_KEY) >= 40
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("CRM_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("CRM_DATABASE_URL", "postgresql://postgres@db.example/crm")
    config = Config({"INSTANCE_DIR": str(tmp_path)})
    assert config.SECRET_KEY == "from-the-environment"
    assert config.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://postgres@db.example/crm"
    assert not (tmp_path / "secret_key").exists()


def test_default_database_is_an_sqlite_file_under_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("CRM_DATABASE_URL", raising=False)
    assert f"sqlite:///{tmp_path}/crm.sqlite3" == Config({"INSTANCE_DIR": str(tmp_path)}).SQLALCHEMY_DATABASE_URI


def test_instance_folder_is_not_committed():
    ignored = subprocess.run(["git", "check-ignore", "-q", "instance/secret_key"], cwd=ROOT)
    assert ignored.returncode == 0


@pytest.fixture
def empty_database(tmp_path):
    """A database nobody else uses: a new SQLite file, or a scratch PostgreSQL database."""
    url = os.environ.get("CRM_TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    base = make_url(url)
    name = f"{base.database}_migration_check"  # per test database, so parallel runs do not collide
    scratch = base.set(database=name)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield scratch.render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _flask(*args, url: str, tmp_path) -> subprocess.CompletedProcess:
    env = {**os.environ, "CRM_DATABASE_URL": url, "CRM_SECRET_KEY": "x", "CRM_INSTANCE_DIR": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_migrations_build_the_schema_and_match_the_models(empty_database, tmp_path):
    upgrade = _flask("db", "upgrade", url=empty_database, tmp_path=tmp_path)
    assert upgrade.returncode == 0, upgrade.stderr
    check = _flask("db", "check", url=empty_database, tmp_path=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr
    downgrade = _flask("db", "downgrade", "base", url=empty_database, tmp_path=tmp_path)
    assert downgrade.returncode == 0, downgrade.stderr


def test_a_migrated_database_has_the_default_lists_and_keeps_renamed_ones(empty_database, tmp_path):
    assert _flask("db", "upgrade", "0008_distinct_pairs", url=empty_database, tmp_path=tmp_path).returncode == 0
    engine = create_engine(empty_database)
    with engine.begin() as connection:  # an admin's own category, already named like a default
        connection.execute(text("INSERT INTO category (name, description, position) VALUES ('mep', '', 0)"))

    assert _flask("db", "upgrade", url=empty_database, tmp_path=tmp_path).returncode == 0

    lists = "SELECT (SELECT count(*) FROM category), (SELECT count(*) FROM organisation_type), "
    lists += "(SELECT count(*) FROM outreach_kind), (SELECT count(*) FROM response_outcome)"
    with engine.connect() as connection:
        assert connection.execute(text(lists)).one() == (13, 13, 11, 6)
        assert connection.scalar(text("SELECT count(*) FROM category WHERE lower(name) = 'mep'")) == 1
    engine.dispose()


def test_migrating_down_and_up_again_keeps_the_data(empty_database, tmp_path):
    assert _flask("db", "upgrade", url=empty_database, tmp_path=tmp_path).returncode == 0
    assert _flask("crm", "demo", url=empty_database, tmp_path=tmp_path).returncode == 0
    engine = create_engine(empty_database)
    counts = "SELECT (SELECT count(*) FROM person), (SELECT count(*) FROM email_address), (SELECT count(*) FROM role)"
    with engine.connect() as connection:
        before = connection.execute(text(counts)).one()

    down = _flask("db", "downgrade", "0005_outreach_perf", url=empty_database, tmp_path=tmp_path)
    up = _flask("db", "upgrade", url=empty_database, tmp_path=tmp_path)

    assert (down.returncode, up.returncode) == (0, 0), down.stderr + up.stderr
    with engine.connect() as connection:
        assert connection.execute(text(counts)).one() == before and before[0] > 20
    engine.dispose()


def test_a_row_cannot_point_at_a_missing_person(app):
    with pytest.raises(IntegrityError):  # SQLite as PostgreSQL: the app turns foreign keys on
        db.session.add(EmailAddress(person_id=987654, address="nobody@example.org"))
        db.session.flush()
    db.session.rollback()

    person = make_person("Dzhakishev", "Mukhtar", emails=("mukhtar@example.org",))
    db.session.execute(delete(Person.__table__).where(Person.__table__.c.id == person.id))  # below the ORM
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(EmailAddress)) == 0  # ON DELETE CASCADE
