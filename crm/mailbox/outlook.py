"""Outlook .msg files (OLE compound documents) → ParsedEmail, through extract-msg."""

from __future__ import annotations

import extract_msg
from extract_msg.exceptions import ExMsgBaseException

from crm.mailbox.html_text import html_to_text
from crm.mailbox.parse import MailFile, NotAnEmail, ParsedEmail, _bounded, _message_ids, _safe_name, parse_addresses


def read_msg(raw: bytes, filename: str = "") -> ParsedEmail:
    name = filename or "The file"
    try:
        message = extract_msg.openMsg(raw)
    except (ExMsgBaseException, OSError, ValueError) as error:
        raise NotAnEmail(f"{name} is not an Outlook message (.msg) we can read: {error}") from None
    try:
        if not hasattr(message, "sender"):  # a contact card, a task or a note: not an email
            raise NotAnEmail(f"{name} is an Outlook item but not an email.")
        return _parsed(message, raw)
    except NotAnEmail:
        raise
    except Exception as error:  # extract-msg meets many variants; any it cannot read is one line
        raise NotAnEmail(f"{name} is a damaged Outlook message (.msg): {type(error).__name__}.") from None
    finally:
        message.close()


def _parsed(message, raw: bytes) -> ParsedEmail:
    parsed = ParsedEmail(raw=raw)
    ids = _message_ids(message.messageId or "")
    parsed.message_id = ids[0] if ids else ""
    header = message.header
    references = list(reversed(_message_ids(header.get("References", "") if header else "")))
    parsed.references = list(dict.fromkeys(_message_ids(message.inReplyTo or "") + references))
    parsed.subject = " ".join((message.subject or "").split())[:300]
    senders = parse_addresses(message.sender or "")
    parsed.sender = senders[0] if senders else None
    parsed.to, parsed.cc = parse_addresses(message.to or ""), parse_addresses(message.cc or "")
    date = message.date
    if date is not None and date.tzinfo is not None:
        from datetime import UTC

        date = date.astimezone(UTC).replace(tzinfo=None)
    parsed.sent_at = date
    text = (message.body or "").strip()
    if not text and message.htmlBody:
        text = html_to_text(message.htmlBody.decode("utf-8", "replace"))
    parsed.text = _bounded(text, parsed)
    for attachment in message.attachments:
        data = attachment.data
        if isinstance(data, bytes):
            filename = attachment.longFilename or attachment.shortFilename or "attachment"
            parsed.attachments.append(MailFile(_safe_name(filename), "application/octet-stream", data))
        else:  # an embedded message or a link: nothing to store as a file
            parsed.notes.append("An embedded Outlook item was not kept as a file.")
    return parsed
