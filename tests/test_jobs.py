"""The job queue: SQLite by default, Redis when CRM_JOBS_URL names it (the team deployment)."""

from __future__ import annotations

from huey import RedisHuey, SqliteHuey

from crm import create_app
from crm.jobs import huey
from tests.settings import app_config


def test_the_embedded_default_is_an_sqlite_queue_in_the_instance_folder(tmp_path):
    app = create_app(app_config(tmp_path, JOBS_IMMEDIATE=False))
    queue = huey(app)
    assert isinstance(queue, SqliteHuey)
    assert queue.storage.filename == str(tmp_path / "instance" / "jobs.sqlite3")


def test_a_redis_url_uses_the_redis_broker_for_real(tmp_path):
    app = create_app(app_config(tmp_path, JOBS_IMMEDIATE=False, JOBS_URL="redis://127.0.0.1:6379/15"))
    queue = huey(app)
    assert isinstance(queue, RedisHuey)
    queue.storage.flush_queue()
    app.extensions["jobs"]["import"](12345)  # enqueued, not run: no worker here
    assert queue.pending_count() == 1
    assert queue.pending()[0].args == (12345,)
    queue.storage.flush_queue()
