"""An .eml or Outlook .msg file → ParsedEmail: who, when, what it answers, its text and files.

Headers are decoded with `email.policy.default` (encoded-words in Cyrillic or Polish come out as
text); a header too broken to decode is read as raw text rather than stopping the message. Nothing
here trusts the message: a From is only an address to match, never a proof of who sent it."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

from crm.errors import InvalidInput
from crm.mailbox.html_text import html_to_text

MAX_TEXT = 100_000  # characters of body kept: a reply's words, not a mailing list digest
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Outlook .msg files are OLE compound documents
# Files that are surely not an email, whatever they are called.
_OTHER_FORMATS = (OLE_MAGIC, b"%PDF", b"PK\x03\x04", b"\x7fELF", b"MZ", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")
# Re:, AW:, Fwd:, WG:, Odp: (Polish), Ответ:/Отв: and Пересл: (Russian), repeated or numbered (Re[2]:).
_PREFIX = re.compile(r"^\s*((re|aw|fwd?|wg|tr|sv|vs|odp|pd|ответ|отв|пересл)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)
_FORWARD_PREFIX = re.compile(r"^\s*(fwd?|wg|tr|пересл)\s*:", re.IGNORECASE)
# The header block a mail program writes above a forwarded message in the body.
_FORWARD_MARK = re.compile(
    r"^\s*(-{2,}\s*(forwarded message|original message|weitergeleitete nachricht|пересылаемое сообщение)"
    r"|begin forwarded message:)",
    re.IGNORECASE | re.MULTILINE,
)
_FORWARD_FROM = re.compile(r"^\s*\*?(from|von|от|od|de)\s*:\*?\s*(.+)$", re.IGNORECASE | re.MULTILINE)


class NotAnEmail(InvalidInput):
    """The file is not an email we can read (one line for the person or the command)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "file")


@dataclass(frozen=True)
class Address:
    name: str
    address: str  # lower case


@dataclass
class MailFile:
    filename: str
    content_type: str
    data: bytes


@dataclass
class ParsedEmail:
    raw: bytes
    message_id: str = ""  # without angle brackets
    references: list[str] = field(default_factory=list)  # In-Reply-To first, then References, newest first
    subject: str = ""
    sender: Address | None = None
    to: list[Address] = field(default_factory=list)
    cc: list[Address] = field(default_factory=list)
    forwarded_from: Address | None = None  # the original sender inside a message staff forwarded
    sent_at: datetime | None = None  # naive UTC
    text: str = ""
    attachments: list[MailFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """What makes it the same message again: its Message-ID, else a hash of its bytes."""
        if self.message_id and len(self.message_id) <= 240:
            return f"<{self.message_id}>"
        source = self.message_id.encode() if self.message_id else self.raw
        return "sha256:" + hashlib.sha256(source).hexdigest()

    @property
    def topic(self) -> str:
        return normalise_subject(self.subject)


def normalise_subject(subject: str) -> str:
    """ "Re: AW: Fwd:  Mukhtar  Dzhakishev" → "mukhtar dzhakishev": what replies keep of the subject."""
    return " ".join(_PREFIX.sub("", subject or "").split()).casefold()


def read_email(raw: bytes, filename: str = "") -> ParsedEmail:
    """Parse an .eml (or an Outlook .msg, by its content, not its name); NotAnEmail when it is neither."""
    if not raw.strip():
        raise NotAnEmail(f"{filename or 'The file'} is empty.")
    if raw.startswith(OLE_MAGIC):
        from crm.mailbox.outlook import read_msg  # extract-msg is loaded only for .msg files

        return read_msg(raw, filename)
    if filename.lower().endswith(".msg"):
        raise NotAnEmail(f"{filename} is not an Outlook message (.msg): its content is something else.")
    if raw.lstrip().startswith(_OTHER_FORMATS):
        raise NotAnEmail(f"{filename or 'The file'} is not an email (.eml or .msg).")
    message = BytesParser(policy=policy.default).parsebytes(raw)
    names = {key.lower() for key in message}
    if "from" not in names and len(names & {"to", "subject", "date", "message-id"}) < 2:
        raise NotAnEmail(f"{filename or 'The file'} is not an email: it has no From, To, Subject or Date header.")
    parsed = ParsedEmail(raw=raw)
    ids = _message_ids(_header(message, "Message-ID"))
    parsed.message_id = ids[0] if ids else ""
    in_reply_to = _message_ids(_header(message, "In-Reply-To"))
    references = list(reversed(_message_ids(_header(message, "References"))))
    parsed.references = list(dict.fromkeys(in_reply_to + references))
    parsed.subject = " ".join(_header(message, "Subject").split())[:300]
    senders = _addresses(message, "From")
    parsed.sender = senders[0] if senders else None
    parsed.to, parsed.cc = _addresses(message, "To"), _addresses(message, "Cc")
    parsed.sent_at = _date(_header(message, "Date"))
    _read_parts(message, parsed)
    if message.defects:
        parsed.notes.append(f"The message is malformed ({type(message.defects[0]).__name__}); read as far as possible.")
    if parsed.forwarded_from is None and _FORWARD_PREFIX.match(parsed.subject):
        parsed.forwarded_from = forwarded_sender(parsed.text)
    return parsed


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # a header the parser cannot decode: its raw text is better than nothing
        value = next((v for k, v in message.raw_items() if k.lower() == name.lower()), "")
    return str(value) if value is not None else ""


def _message_ids(value: str) -> list[str]:
    found = re.findall(r"<([^<>\s]+)>", value or "")
    if not found and value.strip():
        found = value.split()[:1]
    return [item.strip()[:250] for item in found]


def _addresses(message: Message, name: str) -> list[Address]:
    try:
        header = message.get(name)
        items = [(a.display_name, a.addr_spec) for a in getattr(header, "addresses", ()) if a.addr_spec]
    except Exception:
        items = []
    if not items:
        items = getaddresses([_header(message, name)])
    return _clean_addresses(items)


def parse_addresses(value: str) -> list[Address]:
    """ "Ada <ada@example.org>, bob@example.org" → Addresses (for headers read as text, as in .msg files)."""
    return _clean_addresses(getaddresses([value or ""]))


def _clean_addresses(items) -> list[Address]:
    result: list[Address] = []
    for display, address in items:
        address = (address or "").strip().lower()
        if "@" in address and len(address) <= 254 and all(a.address != address for a in result):
            result.append(Address(" ".join((display or "").split())[:200], address))
    return result


def _date(value: str) -> datetime | None:
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _text_of(part: Message) -> str:
    try:
        content = part.get_content() if isinstance(part, EmailMessage) else part.get_payload(decode=True)
    except (LookupError, UnicodeError, AssertionError, KeyError):  # an unknown charset, say
        content = part.get_payload(decode=True) or b""
    if isinstance(content, bytes):
        content = content.decode(part.get_content_charset() or "utf-8", "replace") if _known(part) else ""
        content = content or (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
    return content if isinstance(content, str) else ""


def _known(part: Message) -> bool:
    import codecs

    try:
        codecs.lookup(part.get_content_charset() or "utf-8")
    except LookupError:
        return False
    return True


def _read_parts(message: Message, parsed: ParsedEmail) -> None:
    plain, html = "", ""
    for part in message.walk():
        content_type = part.get_content_type()
        if content_type == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            if isinstance(inner, Message) and parsed.forwarded_from is None:
                senders = _addresses(inner, "From")
                parsed.forwarded_from = senders[0] if senders else None
        if part.is_multipart():
            continue
        filename = part.get_filename()
        disposition = part.get_content_disposition()
        if filename or disposition == "attachment":
            data = part.get_payload(decode=True) or b""
            parsed.attachments.append(MailFile(_safe_name(filename or "attachment"), content_type, data))
        elif content_type == "text/plain" and not plain:
            plain = _text_of(part)
        elif content_type == "text/html" and not html:
            html = _text_of(part)
    # Plain text is what the sender wrote; HTML only when there is nothing else, sanitised first.
    text = plain.strip() or (html_to_text(html) if html else "")
    parsed.text = _bounded(text, parsed)


def _bounded(text: str, parsed: ParsedEmail) -> str:
    text = text.replace("\r\n", "\n").replace("\x00", "")
    if len(text) > MAX_TEXT:
        parsed.notes.append(f"The text was cut at {MAX_TEXT:,} characters.")
        return text[:MAX_TEXT]
    return text


def _safe_name(name: str) -> str:
    return name.replace("\\", "/").rsplit("/", 1)[-1].strip()[:255] or "attachment"


def forwarded_sender(text: str) -> Address | None:
    """The From line under a "Forwarded message" / "Original Message" mark in the body, if there is one."""
    mark = _FORWARD_MARK.search(text or "")
    if mark is None:
        return None
    block = "\n".join(text[mark.end() :].splitlines()[:10])
    line = _FORWARD_FROM.search(block)
    if line is None:
        return None
    [(name, address)] = getaddresses([line.group(2).replace("[mailto:", "<").replace("]", ">")])[:1] or [("", "")]
    address = address.strip().lower()
    return Address(" ".join(name.split())[:200], address) if "@" in address else None


def header_address(address: Address) -> str:
    """ "Name <address>", for showing."""
    return f"{address.name} <{address.address}>" if address.name else address.address
