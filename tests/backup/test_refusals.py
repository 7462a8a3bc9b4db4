"""A restore that cannot go ahead says so in one line, exits 1 and writes nothing; so does a backup."""

from __future__ import annotations

import io
import json
import shutil
import struct
import zipfile
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import MetaData, select

from crm import MIGRATIONS_DIR
from crm.extensions import db
from crm.outreach.attachments import store
from tests.backup.conftest import every_file, every_row, restore_with
from tests.factories import make_outreach, make_person
from tests.settings import app_config


@pytest.fixture(scope="module")
def upgraded_database(tmp_path_factory):
    """An SQLite file built by the migrations (`flask --app wsgi db upgrade`), copied by each test."""
    from crm import create_app

    folder = tmp_path_factory.mktemp("upgraded")
    path = folder / "upgraded.sqlite3"
    app = create_app(app_config(folder, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}"))
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        db.engine.dispose()
    return path


@pytest.fixture
def empty_target(upgraded_database, tmp_path, app_on):
    copy = tmp_path / "target.sqlite3"
    shutil.copy(upgraded_database, copy)
    return app_on(f"sqlite:///{copy}")


@pytest.fixture
def archive(app, runner, tmp_path) -> Path:
    person = make_person("Dzhakishev", "Mukhtar")
    store(
        [("letter.pdf", io.BytesIO(b"%PDF-1.4 a letter"))], actor=None, outreach=make_outreach("Free him", to=[person])
    )
    db.session.commit()
    path = tmp_path / "crm-backup.zip"
    assert runner.invoke(args=["crm", "backup", str(path)]).exit_code == 0
    return path


def state_of(app) -> tuple:
    """Every table the database has (whatever its schema), its rows, and the data files."""
    with app.app_context(), db.engine.connect() as connection:
        tables = MetaData()
        tables.reflect(connection)
        rows = {
            name: connection.execute(select(table).order_by(*table.primary_key.columns)).all()
            for name, table in tables.tables.items()
        }
        return rows, every_file()


def _member(path: Path, prefix: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return next(name for name in archive.namelist() if name.startswith(prefix))


def flip_a_byte(prefix: str):
    """Flip one bit in the middle of a member's stored data."""

    def damage(path: Path) -> None:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(_member(path, prefix))
        data = bytearray(path.read_bytes())
        name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
        data[info.header_offset + 30 + name_length + extra_length + info.compress_size // 2] ^= 0x01
        path.write_bytes(bytes(data))

    return damage


def rewrite(member: str, change):
    """The archive written again with `member` changed: a valid zip, its CRCs right."""

    def damage(path: Path) -> None:
        copy = path.with_suffix(".copy")
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w") as target:
            for info in source.infolist():
                data = source.read(info)
                target.writestr(info, change(data) if info.filename == member else data)
        copy.replace(path)

    return damage


def change_manifest(**changes):
    return rewrite("manifest.json", lambda data: json.dumps(json.loads(data) | changes).encode())


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def add_a_member(path: Path) -> None:
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("files/attachments/unlisted", b"who put this here")


DAMAGED = "is damaged"
NEWER = "was made by a newer version of Advocacy CRM"


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (truncate, "is damaged or incomplete"),
        (flip_a_byte("tables/person.jsonl"), DAMAGED),
        (flip_a_byte("files/attachments/"), DAMAGED),
        (flip_a_byte("manifest.json"), DAMAGED),
        (add_a_member, "its members do not match its manifest"),
        # A copy edited by hand: the zip is sound, the manifest's checksum is not.
        (
            rewrite("tables/person.jsonl", lambda data: data.replace(b"Mukhtar", b"Mikhail")),
            "does not match its checksum",
        ),
        (change_manifest(format_version=2), NEWER),
        (change_manifest(revision="0099_from_a_later_release"), NEWER),
        (lambda path: path.write_text("name,email\n"), DAMAGED),
    ],
    ids=[
        "truncated",
        "flipped-table",
        "flipped-file",
        "flipped-manifest",
        "extra-member",
        "edited-table",
        "newer-format",
        "newer-schema",
        "not-a-zip",
    ],
)
def test_a_damaged_or_newer_archive_is_refused_and_nothing_is_written(archive, empty_target, damage, said):
    damage(archive)
    before = state_of(empty_target)
    result = restore_with(empty_target, archive)
    assert result.exit_code == 1
    assert said in result.stderr and result.stderr.count("\n") == 1 and not result.stdout
    assert state_of(empty_target) == before


def test_a_damaged_archive_does_not_build_a_schema_either(archive, tmp_path, app_on):
    truncate(archive)
    target = app_on(f"sqlite:///{tmp_path / 'no-tables.sqlite3'}")
    assert restore_with(target, archive).exit_code == 1
    assert state_of(target) == ({}, {})


def test_a_database_holding_data_is_refused(archive, runner):
    before = every_row()
    result = runner.invoke(args=["crm", "restore", str(archive)])
    assert result.exit_code == 1
    assert "The database already holds data (" in result.stderr and result.stderr.count("\n") == 1
    assert every_row() == before


def test_a_database_at_another_schema_is_refused(archive, tmp_path, app_on):
    target = app_on(f"sqlite:///{tmp_path / 'older.sqlite3'}")
    with target.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision="0009_default_lists")
    before = state_of(target)
    result = restore_with(target, archive)
    assert result.exit_code == 1 and "The database is at schema 0009_default_lists" in result.stderr
    assert state_of(target) == before


def test_an_instance_folder_holding_files_is_refused(archive, empty_target):
    kept = Path(empty_target.config["INSTANCE_DIR"]) / "attachments" / "kept"
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"someone's file")
    before = state_of(empty_target)
    result = restore_with(empty_target, archive)
    assert result.exit_code == 1 and "already holds data files" in result.stderr
    assert state_of(empty_target) == before


def test_a_database_out_of_reach_is_exit_code_3(archive, tmp_path, app_on):
    target = app_on("postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    for args in (["crm", "backup", str(tmp_path / "other.zip")], ["crm", "restore", str(archive)]):
        with target.app_context():
            result = target.test_cli_runner().invoke(args=args)
        assert result.exit_code == 3 and result.stderr.count("\n") == 1, result.output
    assert not (tmp_path / "other.zip").exists()


def test_a_backup_of_a_database_without_schema_writes_no_file(tmp_path, app_on):
    target = app_on(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["crm", "backup", str(tmp_path / "out" / "..")])
        assert result.exit_code == 1 and result.stderr.count("\n") == 1
        (tmp_path / "backups").mkdir()
        result = target.test_cli_runner().invoke(args=["crm", "backup", str(tmp_path / "backups" / "crm.zip")])
    assert result.exit_code == 1 and "no schema yet" in result.stderr
    assert list((tmp_path / "backups").iterdir()) == []
