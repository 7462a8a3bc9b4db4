"""Configuration read from the environment.

CRM_DATABASE_URL picks the database (default: an SQLite file under instance/).
CRM_JOBS_URL picks the background-job broker (default: an SQLite queue under instance/).
CRM_SECRET_KEY signs sessions; without it a key is generated once into
instance/secret_key (mode 0600) so restarts keep sessions and nothing secret
is ever committed.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

INSTANCE_DIR = Path(os.environ.get("CRM_INSTANCE_DIR", Path(__file__).resolve().parent.parent / "instance"))


def _secret_key(instance_dir: Path) -> str:
    key = os.environ.get("CRM_SECRET_KEY")
    if key:
        return key
    path = instance_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # O_EXCL: two workers starting at once must not write two different keys.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def _database_url(instance_dir: Path) -> str:
    url = os.environ.get("CRM_DATABASE_URL")
    if url:
        # Heroku-style URLs name the old driver; we ship psycopg 3.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgres://")
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url
    instance_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{instance_dir / 'crm.sqlite3'}"


def _whole_number(name: str) -> int:
    text = os.environ.get(name, "").strip() or "0"
    if not text.isdigit():
        raise SystemExit(f"{name} must be a whole number (it is {text!r}).")
    return int(text)


def _time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ValueError, ZoneInfoNotFoundError):
        raise SystemExit(f"CRM_TIMEZONE must name a time zone such as Europe/Brussels (it is {name!r}).") from None
    return name


class Config:
    """Settings for a running app; tests pass overrides to create_app."""

    def __init__(self, overrides: dict | None = None) -> None:
        overrides = overrides or {}
        instance_dir = Path(overrides.get("INSTANCE_DIR", INSTANCE_DIR))
        self.INSTANCE_DIR = str(instance_dir)
        # Overrides win; computing the defaults would create files under instance/.
        self.SECRET_KEY = overrides.get("SECRET_KEY") or _secret_key(instance_dir)
        self.SQLALCHEMY_DATABASE_URI = overrides.get("SQLALCHEMY_DATABASE_URI") or _database_url(instance_dir)
        # hide_parameters: a logged statement error never shows the values (names, addresses) it carried.
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = os.environ.get("CRM_COOKIE_SECURE", "") == "1"
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.REMEMBER_COOKIE_DURATION = timedelta(days=30)
        self.SIGN_IN_HOURS = 12  # without "Keep me signed in": a working day, then sign in again
        # Behind a reverse proxy: how many X-Forwarded-* hops to trust (0: none, the app faces clients).
        self.PROXY_HOPS = _whole_number("CRM_PROXY_HOPS")
        self.MAX_CONTENT_LENGTH = 20 * 1024 * 1024
        self.PEOPLE_PER_PAGE = 50
        self.JOBS_URL = os.environ.get("CRM_JOBS_URL", "")  # background jobs: Redis URL, else SQLite in instance/
        # A running import renews its lease four times within this; a lease this old means its worker died.
        self.JOBS_LEASE_SECONDS = _whole_number("CRM_JOBS_LEASE_SECONDS") or 60
        self.IMPORT_MAX_BYTES = 20 * 1024 * 1024  # an uploaded spreadsheet
        # An import commits this often (rows, seconds: whichever comes first) so others can write meanwhile.
        self.IMPORT_CHUNK_ROWS = _whole_number("CRM_IMPORT_CHUNK_ROWS") or 5000
        self.IMPORT_CHUNK_SECONDS = 2.0
        # Days an ended import keeps its uploaded file and the rows it refused as they were (crm.imports.retention).
        self.IMPORT_FILES_DAYS = _whole_number("CRM_IMPORT_FILES_DAYS") or 30
        self.DUPLICATES_INLINE_LIMIT = 5000  # this many people or more: the duplicate list is found in the background
        # A report slower than this to build (seconds) is built again in the background after a change,
        # its page showing the figures it had meanwhile (crm.reports.cache.served); None: always wait.
        self.REPORT_BACKGROUND_AFTER = 0.25
        self.PASSWORD_HASH_METHOD = "scrypt"  # werkzeug's default; tests choose a cheaper one
        self.WTF_CSRF_TIME_LIMIT = None  # a form left open over lunch must still save

        # Email out (crm.mailing): an SMTP URL (smtp://user:pass@host:587?starttls=1, smtps://…), or none: each
        # message is written as an .eml file under instance/outbox, so `make run` needs no mail server.
        self.MAIL_URL = os.environ.get("CRM_MAIL_URL", "")
        self.MAIL_FROM = os.environ.get("CRM_MAIL_FROM", "") or "crm@localhost"
        self.MAIL_PER_MINUTE = _whole_number("CRM_MAIL_PER_MINUTE") or 30  # what a provider's relay lets through
        self.MAIL_ATTEMPTS = 3  # a message the server turns away for now (4xx, no connection) is tried this often
        self.MAIL_RETRY_SECONDS = (30, 120)  # waits between those attempts, the last one repeated
        self.MAIL_TIMEOUT = 30  # seconds for the SMTP server to answer
        self.MAIL_MESSAGE_ID_DOMAIN = os.environ.get("CRM_MAIL_MESSAGE_ID_DOMAIN", "")  # default: MAIL_FROM's

        # Times are entered and shown in this zone for staff who chose none on their account page (the
        # database keeps UTC; calendar feeds send UTC).
        self.TIMEZONE = _time_zone(os.environ.get("CRM_TIMEZONE", "") or "Europe/Brussels")
        # Letters (crm.letters): Word templates up to this size; LibreOffice's soffice makes the PDF when it is
        # installed (a name looked up on PATH, or a path); merges of more letters than this run as a job.
        self.LETTERS_MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
        self.LETTERS_SOFFICE = os.environ.get("CRM_LETTERS_SOFFICE", "") or "soffice"
        self.LETTERS_BACKGROUND_AFTER = 40  # about two seconds of merging

        # How long a write waits for SQLite's one writer (an import, say) before the page says "busy".
        self.SQLITE_BUSY_SECONDS = 10

        self.__dict__.update(overrides)
        if self.SQLALCHEMY_DATABASE_URI.startswith("sqlite") and "SQLALCHEMY_ENGINE_OPTIONS" not in overrides:
            self.SQLALCHEMY_ENGINE_OPTIONS = {
                **self.SQLALCHEMY_ENGINE_OPTIONS,
                "connect_args": {"timeout": self.SQLITE_BUSY_SECONDS},
            }

    def as_dict(self) -> dict:
        return {key: value for key, value in vars(self).items() if key.isupper()}
