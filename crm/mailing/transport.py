"""How messages leave: over SMTP (CRM_MAIL_URL), or into .eml files under instance/outbox when none is set.

A failure is sorted into temporary (a 4xx answer, no connection, a dropped one: try again later) or
permanent (a 5xx answer: the server will say the same again), with the server's reason as it gave it.
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app

from crm.errors import InvalidInput


class SendFailed(Exception):
    def __init__(self, reason: str, *, temporary: bool) -> None:
        super().__init__(reason)
        self.reason, self.temporary = reason, temporary


def _reason(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {' '.join(text.split())}".strip()


def classify(error: Exception) -> SendFailed:
    """An smtplib or socket error as a SendFailed: 4xx and connection trouble are temporary, 5xx permanent."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, message = next(iter(error.recipients.values()))
        return SendFailed(_reason(code, message), temporary=400 <= code < 500)
    if isinstance(error, smtplib.SMTPResponseException):  # data, sender, auth, connect errors carry a code
        return SendFailed(_reason(error.smtp_code, error.smtp_error), temporary=400 <= error.smtp_code < 500)
    if isinstance(error, smtplib.SMTPServerDisconnected | OSError):
        return SendFailed(f"No connection to the mail server: {error or type(error).__name__}", temporary=True)
    return SendFailed(str(error) or type(error).__name__, temporary=False)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    implicit_tls: bool  # smtps://
    starttls: bool
    username: str
    password: str
    cafile: str | None  # a private CA (a relay with its own certificate); default: the system's

    @classmethod
    def from_url(cls, url: str) -> SmtpSettings:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise InvalidInput("CRM_MAIL_URL must look like smtp://user:pass@host:587?starttls=1 or smtps://…", "mail")
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        implicit_tls = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if implicit_tls else 25),
            implicit_tls=implicit_tls,
            starttls=not implicit_tls and query.get("starttls", "0").lower() in ("1", "true", "yes"),
            username=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            cafile=query.get("cafile") or None,
        )


class SmtpTransport:
    """One connection, opened on the first message and kept for the next ones; opened again after a failure."""

    name = "smtp"

    def __init__(self, settings: SmtpSettings, *, timeout: float) -> None:
        self.settings, self.timeout = settings, timeout
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context(cafile=s.cafile)
        if s.implicit_tls:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=self.timeout)
            if s.starttls:
                smtp.starttls(context=context)
        if s.username:
            smtp.ehlo_or_helo_if_needed()
            if "PLAIN" in smtp.esmtp_features.get("auth", "").upper().split():
                # One mechanism: login() would go on to the next after a refusal, and report that one's answer
                # (or a dropped connection) instead of the server's "535 bad credentials".
                smtp.user, smtp.password = s.username, s.password
                smtp.auth("PLAIN", smtp.auth_plain)
            else:
                smtp.login(s.username, s.password)
        return smtp

    def send(self, message: EmailMessage, sender: str, recipient: str) -> None:
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            # The envelope names this one recipient only, whatever the headers say.
            self._smtp.send_message(message, from_addr=sender, to_addrs=[recipient])
        except (smtplib.SMTPException, OSError) as error:
            failure = classify(error)
            if not isinstance(error, smtplib.SMTPRecipientsRefused):
                self.close()  # a dropped or confused session: the next attempt starts a new one
            raise failure from error

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()


class OutboxTransport:
    """Each message as an .eml file, readable by its owner only: for a laptop without a mail server."""

    name = "outbox"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: EmailMessage, sender: str, recipient: str) -> None:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        # The Message-ID is unique: it names the file, reduced to characters every file system takes.
        name = re.sub(r"[^A-Za-z0-9.@_-]", "_", str(message["Message-ID"] or "message").strip("<>"))[:150]
        path = self.folder / f"{name}.eml"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(message.as_bytes())

    def close(self) -> None:
        pass


def outbox_folder() -> Path:
    return Path(current_app.config["INSTANCE_DIR"]) / "outbox"


def transport_name() -> str:
    return "smtp" if current_app.config.get("MAIL_URL") else "outbox"


def make_transport(name: str | None = None) -> SmtpTransport | OutboxTransport:
    """The configured transport; `name` "outbox" for a mailing started without a mail server."""
    if (name or transport_name()) == "smtp" and current_app.config.get("MAIL_URL"):
        settings = SmtpSettings.from_url(current_app.config["MAIL_URL"])
        return SmtpTransport(settings, timeout=current_app.config["MAIL_TIMEOUT"])
    return OutboxTransport(outbox_folder())
