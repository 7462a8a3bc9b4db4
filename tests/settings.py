"""Test configuration: a real SQLite file by default, PostgreSQL when CRM_TEST_DATABASE_URL is set."""

from __future__ import annotations

import os


def database_url(tmp_dir) -> str:
    url = os.environ.get("CRM_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_dir / 'test.sqlite3'}"


def app_config(tmp_dir, **extra) -> dict:
    """The production configuration (CSRF on) but for the database, the secret and the hash cost."""
    return {
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_dir),
        "INSTANCE_DIR": str(tmp_dir / "instance"),
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # cheap to set up; production keeps scrypt
        "JOBS_IMMEDIATE": True,  # a job runs at once, in the test's own thread
        # No report is built in a thread behind a test's back (tests/reports/test_catching_up.py turns it on).
        "REPORT_BACKGROUND_AFTER": None,
        **extra,
    }
