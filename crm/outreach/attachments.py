"""Attachments: bounded in size and type, stored under instance/attachments/ by a random key."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import BinaryIO

from flask import current_app

from crm.auth.models import User
from crm.errors import InvalidInput, NotFound
from crm.extensions import db
from crm.outreach.models import Attachment
from crm.uploads import megabytes, read_bounded

MAX_BYTES = 10 * 1024 * 1024
# Documents campaigners exchange; anything else (scripts, executables, archives) is refused.
ALLOWED = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".rtf": "application/rtf",
    ".eml": "message/rfc822",
    ".msg": "application/vnd.ms-outlook",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
# Executables keep their nature whatever they are called.
_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa")


def storage_dir() -> Path:
    path = Path(current_app.config["INSTANCE_DIR"]) / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _read_bounded(stream: BinaryIO, filename: str) -> bytes:
    return read_bounded(stream, MAX_BYTES, f"{filename} is larger than {megabytes(MAX_BYTES)}.", field="attachments")


def check_upload(filename: str, stream: BinaryIO) -> tuple[str, bytes, str]:
    """(safe display name, content, content type), or InvalidInput saying why the file is refused."""
    name = os.path.basename((filename or "").replace("\\", "/")).strip()[:255]
    if not name:
        raise InvalidInput("The attachment has no file name.", "attachments")
    extension = Path(name).suffix.lower()
    if extension not in ALLOWED:
        allowed = ", ".join(sorted(e.lstrip(".") for e in ALLOWED))
        raise InvalidInput(f"{name}: this type of file is not accepted (accepted: {allowed}).", "attachments")
    data = _read_bounded(stream, name)
    if not data:
        raise InvalidInput(f"{name} is empty.", "attachments")
    if data.startswith(_EXECUTABLE_MAGIC):
        raise InvalidInput(f"{name} is a program, not a document; it was refused.", "attachments")
    return name, data, ALLOWED[extension]


def store(uploads: list[tuple[str, BinaryIO]], *, actor: User | None, outreach=None, response=None) -> list[Attachment]:
    """Check every file first, then write them: one bad file saves none."""
    checked = [check_upload(filename, stream) for filename, stream in uploads if filename]
    attachments = []
    for name, data, content_type in checked:
        key = secrets.token_hex(16)
        path = storage_dir() / key
        path.write_bytes(data)
        attachment = Attachment(
            filename=name,
            stored_name=key,
            content_type=content_type,
            size=len(data),
            uploaded_by_id=actor.id if actor else None,
            outreach=outreach,
            response=response,
        )
        db.session.add(attachment)
        attachments.append(attachment)
    return attachments


def discard_files(attachments: list[Attachment]) -> None:
    """Remove written files whose records were rolled back."""
    for attachment in attachments:
        (storage_dir() / attachment.stored_name).unlink(missing_ok=True)


def get_attachment(attachment_id: int) -> tuple[Attachment, Path]:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound(f"There is no attachment with id {attachment_id}.")
    path = storage_dir() / attachment.stored_name
    if not path.exists():
        raise NotFound(f"The file of {attachment.filename} is missing from storage.")
    return attachment, path
