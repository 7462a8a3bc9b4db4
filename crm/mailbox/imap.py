"""The mailbox the worker reads: CRM_IMAP_URL, polled by a chore, each message filed then moved.

    imaps://user:password@host[:port]/INBOX           TLS from the start (port 993)
    imap://user:password@host[:port]/INBOX?starttls=1 plain connection upgraded with STARTTLS
    imap://user:password@host:1143/INBOX              plain (a test server on localhost)

A filed message (a duplicate too) is moved to CRM_IMAP_FILED_FOLDER (default CRM/Filed), one that
could not be read to CRM_IMAP_FAILED_FOLDER (default CRM/Failed), with the reason recorded as a
failed received message; nothing is ever deleted, and a bad message never stops the rest. The
message is moved after its filing is committed: if the move fails, the next poll finds it again and
files it as a duplicate."""

from __future__ import annotations

import contextlib
import imaplib
import logging
import re
import ssl
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from flask import Flask, current_app
from huey import crontab

from crm import jobs
from crm.errors import DomainError
from crm.mailbox.filing import DUPLICATE, file_message, record_failure

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 60
MAX_PER_POLL = 200  # a full mailbox is worked through over several polls, never in one long transaction chain


class MailboxUnavailable(Exception):
    """The server cannot be reached or refuses the login: one line, the messages stay where they are."""


@dataclass(frozen=True)
class MailboxSettings:
    host: str
    port: int
    user: str
    password: str
    folder: str
    tls: bool
    starttls: bool

    @classmethod
    def from_url(cls, url: str) -> MailboxSettings:
        parts = urlsplit(url)
        if parts.scheme not in ("imap", "imaps") or not parts.hostname:
            raise MailboxUnavailable("CRM_IMAP_URL must look like imaps://user:password@host/INBOX.")
        query = parse_qs(parts.query)
        tls = parts.scheme == "imaps"
        return cls(
            host=parts.hostname,
            port=parts.port or (993 if tls else 143),
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            folder=unquote(parts.path.lstrip("/")) or "INBOX",
            tls=tls,
            starttls=not tls and query.get("starttls", ["0"])[0] in ("1", "true", "yes"),
        )


def init_app(app: Flask) -> None:
    """Settings, and the polling chore when a mailbox is configured (none: `make run` needs no server)."""
    import os

    app.config.setdefault("IMAP_URL", os.environ.get("CRM_IMAP_URL", ""))
    app.config.setdefault("IMAP_FILED_FOLDER", os.environ.get("CRM_IMAP_FILED_FOLDER", "CRM/Filed"))
    app.config.setdefault("IMAP_FAILED_FOLDER", os.environ.get("CRM_IMAP_FAILED_FOLDER", "CRM/Failed"))
    app.config.setdefault("MAILBOX_MAX_BYTES", 40 * 1024 * 1024)
    minutes = os.environ.get("CRM_IMAP_POLL_MINUTES", "").strip() or "5"
    if not minutes.isdigit() or not 1 <= int(minutes) <= 59:
        raise SystemExit(f"CRM_IMAP_POLL_MINUTES must be a whole number of minutes, 1 to 59 (it is {minutes!r}).")
    if app.config["IMAP_URL"]:
        jobs.chore(app, "mailbox-fetch", fetch_once, schedule=crontab(minute=f"*/{int(minutes)}"))


def connect(settings: MailboxSettings) -> imaplib.IMAP4:
    try:
        if settings.tls:
            client = imaplib.IMAP4_SSL(
                settings.host, settings.port, ssl_context=ssl.create_default_context(), timeout=TIMEOUT_SECONDS
            )
        else:
            client = imaplib.IMAP4(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
            if settings.starttls:
                client.starttls(ssl.create_default_context())
        client.login(settings.user, settings.password)
    except (OSError, imaplib.IMAP4.error) as error:
        raise MailboxUnavailable(f"cannot read the mailbox at {settings.host}:{settings.port}: {error}") from None
    return client


def quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _separator(client: imaplib.IMAP4) -> str:
    status, data = client.list('""', '""')
    found = re.search(rb'\(.*?\) "(.)"', data[0] or b"") if status == "OK" and data and data[0] else None
    return found.group(1).decode() if found else "/"


def ensure_folder(client: imaplib.IMAP4, name: str) -> str:
    """The folder under the server's own hierarchy separator ("CRM/Filed" is CRM.Filed on Dovecot), created if missing."""
    folder = name.replace("/", _separator(client))
    status, data = client.list('""', quoted(folder))
    if status != "OK" or not data or data[0] is None:
        client.create(quoted(folder))
        client.subscribe(quoted(folder))
    return folder


def fetch_once() -> dict[str, int]:
    """One poll: {"reply": n, "outreach": n, "triage": n, "duplicate": n, "failed": n}."""
    config = current_app.config
    settings = MailboxSettings.from_url(config["IMAP_URL"])
    counts = {"reply": 0, "outreach": 0, "triage": 0, DUPLICATE: 0, "failed": 0}
    client = connect(settings)
    try:
        filed, failed = (
            ensure_folder(client, config["IMAP_FILED_FOLDER"]),
            ensure_folder(client, config["IMAP_FAILED_FOLDER"]),
        )
        status, _ = client.select(quoted(settings.folder))
        if status != "OK":
            raise MailboxUnavailable(f"there is no folder {settings.folder} in the mailbox")
        status, data = client.uid("SEARCH", None, "ALL")
        uids = (data[0] or b"").split() if status == "OK" else []
        for uid in uids[:MAX_PER_POLL]:
            outcome = _file_one(client, uid, config["MAILBOX_MAX_BYTES"])
            counts[outcome] += 1
            _move(client, uid, failed if outcome == "failed" else filed)
        client.close()
    except (OSError, imaplib.IMAP4.error) as error:
        raise MailboxUnavailable(f"the mailbox connection failed: {error}") from None
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()
    log.info("mailbox: %s", counts)
    return counts


def _file_one(client: imaplib.IMAP4, uid: bytes, limit: int) -> str:
    status, data = client.uid("FETCH", uid, "(RFC822.SIZE)")
    size = re.search(rb"RFC822\.SIZE (\d+)", data[0] or b"") if status == "OK" and data and data[0] else None
    if size is None:
        return "failed"
    if int(size.group(1)) > limit:
        reason = f"The message is {int(size.group(1)) // (1024 * 1024)} MB, over the {limit // (1024 * 1024)} MB limit."
        record_failure(b"", reason, origin="imap", key=f"imap-too-large:{uid.decode()}:{size.group(1).decode()}")
        return "failed"
    status, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
    raw = next((item[1] for item in data if isinstance(item, tuple)), None) if status == "OK" else None
    if raw is None:
        return "failed"
    try:
        return file_message(raw, origin="imap", actor=None).status
    except DomainError as error:
        record_failure(raw, str(error), origin="imap")
    except Exception as error:  # one bad message must not stop the others: recorded, set aside, logged
        log.exception("mailbox: a message could not be filed")
        record_failure(raw, f"{type(error).__name__}: {error}", origin="imap")
    return "failed"


def _move(client: imaplib.IMAP4, uid: bytes, folder: str) -> None:
    if "MOVE" in client.capabilities:
        status, _ = client.uid("MOVE", uid, quoted(folder))
        if status == "OK":
            return
    # Without MOVE: copy, then flag and expunge the original (still a move: the copy is kept).
    status, _ = client.uid("COPY", uid, quoted(folder))
    if status == "OK":
        client.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)")
        if "UIDPLUS" in client.capabilities:
            client.uid("EXPUNGE", uid)
        else:
            client.expunge()
