"""Retention of uploads: an import ended IMPORT_FILES_DAYS ago keeps no file and no refused row as it was,
but its counts, its reasons and its undo; a refused upload is kept nowhere, not even as a folder."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from crm.extensions import db
from crm.imports import retention, runs
from crm.imports.models import ImportProblem, ImportRun, ImportStatus
from crm.timeutil import utcnow
from tests.imports import files
from tests.imports.test_dead_workers import _confirmed_run
from tests.imports.test_pipeline import workbook
from tests.imports.test_wizard_views import ROWS, people, upload

DAYS = 30  # the default


def _imported(client, tmp_path) -> ImportRun:
    run_id = _confirmed_run(client, tmp_path)
    assert client.post(f"/imports/{run_id}/preview", data={}).status_code == 302  # imported at once here
    return db.session.get(ImportRun, run_id)


def _ended_days_ago(run_id: int, days: int, *, column=ImportRun.finished_at) -> None:
    db.session.execute(
        update(ImportRun).where(ImportRun.id == run_id).values({column: utcnow() - timedelta(days=days)})
    )
    db.session.commit()


def _folder(run_id: int):
    return runs.imports_dir() / str(run_id)


def test_old_imports_lose_their_files_and_refused_rows_and_recent_or_unfinished_ones_keep_them(client, auth, tmp_path):
    auth.login("editor")
    old, recent = _imported(client, tmp_path), _imported(client, tmp_path)
    client.get(f"/imports/{old.id}/errors.xlsx")  # the error file, written beside the upload
    assert (_folder(old.id) / "errors.xlsx").is_file()
    undone_lately = _imported(client, tmp_path)
    client.post(f"/imports/{undone_lately.id}/undo", data={})
    waiting = _confirmed_run(client, tmp_path)  # uploaded and mapped, never imported
    _ended_days_ago(old.id, DAYS + 1)
    _ended_days_ago(recent.id, DAYS - 1)
    _ended_days_ago(undone_lately.id, DAYS + 5)  # imported long ago, undone today: counts from the undo
    db.session.execute(
        update(ImportRun).where(ImportRun.id == waiting).values(created_at=utcnow() - timedelta(days=99))
    )
    db.session.commit()

    assert retention.prune_uploads() == [old.id]
    assert not _folder(old.id).exists()
    for kept in (recent.id, undone_lately.id, waiting):
        assert runs.stored_path(db.session.get(ImportRun, kept)).is_file()
    db.session.expire_all()
    run = db.session.get(ImportRun, old.id)
    assert run.files_removed_at is not None and not run.files_kept
    assert (run.status, run.created, run.rejected) == (ImportStatus.DONE, 2, 1)  # what it did stays
    problems = db.session.scalars(select(ImportProblem).where(ImportProblem.run_id == old.id)).all()
    assert problems and all(problem.cells is None for problem in problems)
    assert any("E-mail" in problem.column for problem in problems)  # the reason stays
    assert retention.prune_uploads() == []  # nothing more to do


def test_the_page_says_the_file_is_gone_the_error_file_too_and_undo_still_works(client, auth, tmp_path):
    auth.login("editor")
    run = _imported(client, tmp_path)
    _ended_days_ago(run.id, DAYS + 1)
    retention.prune_uploads()
    page = client.get(f"/imports/{run.id}").get_data(as_text=True)
    assert "no longer kept" in page and f"{DAYS} days after the import ended" in page
    assert f"/imports/{run.id}/errors.xlsx" not in page
    response = client.get(f"/imports/{run.id}/errors.xlsx", follow_redirects=True)
    assert response.request.path == f"/imports/{run.id}" and "no longer kept" in response.get_data(as_text=True)

    assert people() == 2
    assert client.post(f"/imports/{run.id}/undo", data={}).status_code == 302
    assert people() == 0
    db.session.expire_all()
    assert db.session.get(ImportRun, run.id).status == ImportStatus.UNDONE


def test_a_failed_import_whose_file_is_gone_cannot_be_tried_again(client, auth, tmp_path):
    auth.login("editor")
    run_id = _confirmed_run(client, tmp_path)
    db.session.execute(
        update(ImportRun)
        .where(ImportRun.id == run_id)
        .values(status=ImportStatus.FAILED, finished_at=utcnow() - timedelta(days=DAYS + 1))
    )
    db.session.commit()
    retention.prune_uploads()
    page = client.get(f"/imports/{run_id}").get_data(as_text=True)
    assert "no longer kept" in page and "Try again" not in page
    client.post(f"/imports/{run_id}/retry")
    db.session.expire_all()
    assert db.session.get(ImportRun, run_id).status == ImportStatus.FAILED


def test_the_retention_period_comes_from_the_configuration(app, client, auth, tmp_path):
    auth.login("editor")
    run = _imported(client, tmp_path)
    _ended_days_ago(run.id, 3)
    assert retention.prune_uploads() == []
    app.config["IMPORT_FILES_DAYS"] = 2
    assert retention.prune_uploads() == [run.id]


def test_prune_uploads_on_the_command_line(runner, client, auth, tmp_path):
    auth.login("editor")
    run = _imported(client, tmp_path)
    _ended_days_ago(run.id, DAYS + 1)
    result = runner.invoke(args=["crm", "prune-uploads", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"runs": [run.id], "days": DAYS}
    assert not _folder(run.id).exists()
    again = runner.invoke(args=["crm", "prune-uploads"])
    assert again.exit_code == 0 and "Removed the uploaded files of 0 imports" in again.stdout


@pytest.mark.parametrize(
    "refused",
    [
        pytest.param(lambda folder: workbook(folder, ROWS), id="too big"),
        pytest.param(files.png_named_xlsx, id="wrong type"),
        pytest.param(files.word_document, id="not a spreadsheet"),
        pytest.param(files.random_bytes_xlsx, id="unreadable"),
        pytest.param(files.zip_bomb_xlsx, id="unsafe"),
    ],
)
def test_a_refused_upload_leaves_no_file_no_folder_and_no_run(app, client, auth, tmp_path, request, refused):
    if request.node.callspec.id == "too big":
        app.config["IMPORT_MAX_BYTES"] = 1024
    app.config["INSTANCE_DIR"] = str(tmp_path / "instance")  # its own, empty: the session's is shared
    auth.login("editor")
    response = upload(client, refused(tmp_path), "contacts.xlsx")
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(ImportRun)) == 0
    assert not runs.imports_dir().exists() or list(runs.imports_dir().iterdir()) == []
