"""Email fixtures: messages built with the `email` package, and a real Dovecot IMAP server.

Dovecot comes from Debian's packages (`make mailserver` installs dovecot-imapd); each test session
starts its own with a throw-away configuration in a temporary folder: its own port, one passwd-file
user, maildirs under the folder, no system service. Without Dovecot the IMAP tests are skipped,
except in CI, where they fail."""

from __future__ import annotations

import imaplib
import os
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

import pytest

from tests import dovecot_server


def make_email(
    *,
    sender: str = "Mukhtar Dzhakishev <mukhtar@example.org>",
    to: str = "Campaign <campaign@example.org>",
    cc: str | None = None,
    subject: str = "Re: Parole hearing",
    body: str = "Thank you for your letter.",
    message_id: str | None = "<reply-1@example.org>",
    in_reply_to: str | None = None,
    date: datetime | None = None,
    html: str | None = None,
    attachments: tuple[tuple[str, bytes, str], ...] = (),
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    if cc:
        message["Cc"] = cc
    message["Subject"] = subject
    message["Date"] = format_datetime(date or datetime(2017, 11, 20, 9, 30, tzinfo=UTC))
    if message_id:
        message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for filename, data, content_type in attachments:
        maintype, subtype = content_type.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


@pytest.fixture(scope="session")
def dovecot():
    """A running Dovecot (tests/dovecot_server.py): yields its CRM_IMAP_URL."""
    if not dovecot_server.DOVECOT.exists():
        message = f"{dovecot_server.DOVECOT} is missing: the mailbox tests need Debian's dovecot-imapd package"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI is set, so this is a failure).", pytrace=False)
        pytest.skip(f"{message}; `make mailserver` installs it.")
    with dovecot_server.running() as url:
        yield url


class Mailbox:
    """The test user's mailbox, read and written over IMAP as a mail program would."""

    def __init__(self, url: str) -> None:
        from crm.mailbox.imap import MailboxSettings

        self.settings = MailboxSettings.from_url(url)

    def _client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4(self.settings.host, self.settings.port)
        client.login(self.settings.user, self.settings.password)
        return client

    def deliver(self, raw: bytes, folder: str = "INBOX") -> None:
        client = self._client()
        status, _ = client.append(folder, None, None, raw)
        client.logout()
        assert status == "OK"

    def subjects(self, folder: str) -> list[str]:
        client = self._client()
        status, _ = client.select(f'"{folder}"')
        if status != "OK":
            client.logout()
            return []
        _, data = client.uid("FETCH", "1:*", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        client.logout()
        found = []
        for item in data:
            if isinstance(item, tuple):
                found.append(item[1].decode().partition(":")[2].strip())
        return sorted(found)

    def empty(self) -> None:
        client = self._client()
        _, folders = client.list()
        for line in folders:
            name = line.decode().rsplit(' "." ', 1)[-1].strip('"')
            status, count = client.select(f'"{name}"')
            if status == "OK" and int(count[0] or 0) > 0:
                client.store("1:*", "+FLAGS.SILENT", r"(\Deleted)")
                client.expunge()
        client.logout()


@pytest.fixture
def mailbox(dovecot, app):
    box = Mailbox(dovecot)
    box.empty()
    app.config["IMAP_URL"] = dovecot
    return box
