"""A subject access gathering as files: the workbook (a sheet per section, formula guard on every
text cell), the JSON file, and the zip of both with the attachment files."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from crm.privacy.subject_access import SubjectAccess
from crm.spreadsheets.workbook import workbook_bytes

FORMATS = ("xlsx", "json", "zip")
README = """Everything this CRM holds about person #{person_id}, gathered {generated_at} UTC.

subject-access.xlsx  one sheet per section: Person, Contact points, Roles, Campaigns (those the
                     person is a target or supporter of), Outreach, Replies, Attachments, History
                     (every recorded change to the person's record)
subject-access.json  the same, as JSON
attachments/         the files attached to the person's replies
"""


def xlsx_bytes(access: SubjectAccess) -> bytes:
    return workbook_bytes(access.tables())


def json_bytes(access: SubjectAccess) -> bytes:
    return json.dumps(access.as_json(), ensure_ascii=False, indent=2).encode("utf-8")


def zip_bytes(access: SubjectAccess) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        generated = access.generated_at.isoformat(sep=" ", timespec="seconds")
        archive.writestr("README.txt", README.format(person_id=access.person_id, generated_at=generated))
        archive.writestr("subject-access.xlsx", xlsx_bytes(access))
        archive.writestr("subject-access.json", json_bytes(access))
        for name, path in access.files:
            if path.exists():  # a file lost from storage is listed in the sheet, not fatal
                archive.write(path, name)
    return buffer.getvalue()


WRITERS = {"xlsx": xlsx_bytes, "json": json_bytes, "zip": zip_bytes}


def file_format(path: str | Path) -> str | None:
    """The format a file name asks for by its suffix, or None."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


def write(access: SubjectAccess, fmt: str) -> bytes:
    return WRITERS[fmt](access)
