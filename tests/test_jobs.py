"""The job queue: SQLite by default, Redis when CRM_JOBS_URL names it (the team deployment); jobs sent
when the request's transaction commits; progress counters in the queue's own store."""

from __future__ import annotations

import uuid

import pytest
from huey import RedisHuey, SqliteHuey
from sqlalchemy import select

from crm import create_app, jobs
from crm.extensions import db
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


def _recording(app) -> list:
    sent = []
    jobs.register(app, "record", sent.append)
    return sent


def test_a_job_asked_for_in_a_transaction_is_sent_when_it_commits(app):
    sent = _recording(app)
    db.session.execute(select(1))  # a transaction under way
    jobs.enqueue_after_commit("record", 1)
    with db.session.begin_nested():
        pass  # a savepoint released is not the end of the transaction
    assert sent == []
    db.session.commit()
    assert sent == [1]
    db.session.commit()
    assert sent == [1]  # sent once


def test_a_job_asked_for_in_a_transaction_that_rolls_back_is_never_sent(app):
    sent = _recording(app)
    db.session.execute(select(1))
    jobs.enqueue_after_commit("record", 1)
    db.session.rollback()
    db.session.commit()
    assert sent == []


@pytest.mark.parametrize("broker", ["embedded", "redis"])
def test_progress_counters_live_in_the_queue_store(tmp_path, broker):
    url = f"sqlite:///{tmp_path / 'jobs.sqlite3'}" if broker == "embedded" else "redis://127.0.0.1:6379/15"
    app = create_app(app_config(tmp_path, JOBS_IMMEDIATE=False, JOBS_URL=url))
    key = f"test:{uuid.uuid4().hex}"  # the Redis database may be shared with another test run
    with app.app_context():
        assert jobs.progress(key) == 0
        jobs.report_progress(key, 500)
        assert jobs.progress(key) == 500
        jobs.forget_progress(key)
        assert jobs.progress(key) == 0
