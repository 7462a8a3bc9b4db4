"""Is an upload a .docx we may keep and merge? Staff send templates around by email, so we check.

Refused, each with one line: not a zip or not a Word document (random bytes, a renamed .xlsx), a zip
bomb (too many parts, or parts that unpack far beyond the file), macros (.docm, a vbaProject part or
content type), and external relationships other than hyperlinks (a remote template or image Word would
fetch on opening: a tracking beacon, or worse). The XML is read with defusedxml (no entity tricks).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from crm.errors import InvalidInput

MAX_PARTS = 1000
MAX_UNPACKED = 60 * 1024 * 1024  # a letter with a letterhead image is a few MB at most
MAX_RATIO = 200  # XML compresses ten- to fifty-fold; a bomb thousands-fold
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class TemplateRefused(InvalidInput):
    """The template file is refused: not a usable .docx, or merge fields that cannot be merged (`crm
    letters` exits 2), as opposed to a bad choice of people or campaign."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "file")


def check_docx(data: bytes, filename: str) -> None:
    """Raise TemplateRefused saying why the file cannot be a template; return quietly when it can."""
    suffix = PurePosixPath(filename.lower()).suffix
    if suffix in (".docm", ".dotm"):
        raise TemplateRefused(f"{filename} is a Word document with macros (.docm): save it as a .docx without macros.")
    if suffix != ".docx":
        raise TemplateRefused(f"{filename} is not a .docx: save the letter in Word as “Word Document (.docx)”.")
    if not data:
        raise TemplateRefused(f"{filename} is empty.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise TemplateRefused(
            f"{filename} is not a Word document (.docx files are zip archives; this is not one)."
        ) from None
    with archive:
        _check_sizes(archive, filename, len(data))
        content_types = _content_types(archive, filename)
        _check_macros(archive, content_types, filename)
        if WORD_MAIN not in content_types.values() and WORD_TEMPLATE_MAIN not in content_types.values():
            if any("spreadsheetml" in v for v in content_types.values()):
                raise TemplateRefused(f"{filename} is a spreadsheet with a .docx name, not a Word document.")
            raise TemplateRefused(f"{filename} is an Office file but not a Word document.")
        _check_relationships(archive, filename)


def _check_sizes(archive: zipfile.ZipFile, filename: str, packed: int) -> None:
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise TemplateRefused(f"{filename} holds {len(parts)} parts: too many for a letter.")
    unpacked = sum(max(part.file_size, 0) for part in parts)
    if unpacked > MAX_UNPACKED or unpacked > MAX_RATIO * max(packed, 1) + 1024 * 1024:
        raise TemplateRefused(f"{filename} unpacks to {unpacked // (1024 * 1024)} MB: refused as a zip bomb.")


def _read(archive: zipfile.ZipFile, name: str, filename: str) -> bytes:
    try:
        with archive.open(name) as handle:
            data = handle.read(MAX_UNPACKED + 1)  # the sizes a zip declares may lie
    except (KeyError, zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, EOFError):
        raise TemplateRefused(f"{filename}: its part {name} cannot be read.") from None
    if len(data) > MAX_UNPACKED:
        raise TemplateRefused(f"{filename}: its part {name} unpacks beyond {MAX_UNPACKED // (1024 * 1024)} MB.")
    return data


def _parse(archive: zipfile.ZipFile, name: str, filename: str):
    try:
        return ElementTree.fromstring(_read(archive, name, filename))
    except (ElementTree.ParseError, DefusedXmlException, ValueError):
        raise TemplateRefused(f"{filename}: its part {name} is not well-formed XML.") from None


def _content_types(archive: zipfile.ZipFile, filename: str) -> dict[str, str]:
    """Part name or extension → content type."""
    if "[Content_Types].xml" not in archive.namelist():
        raise TemplateRefused(f"{filename} is not a Word document (a zip archive without Office content types).")
    root = _parse(archive, "[Content_Types].xml", filename)
    types = {}
    for element in root:
        key = element.get("PartName") or element.get("Extension") or ""
        types[key] = element.get("ContentType") or ""
    return types


def _check_macros(archive: zipfile.ZipFile, content_types: dict[str, str], filename: str) -> None:
    macro = any("vbaProject" in v or "macroEnabled" in v for v in content_types.values()) or any(
        PurePosixPath(name).name.lower() in ("vbaproject.bin", "vbadata.xml") for name in archive.namelist()
    )
    if macro:
        raise TemplateRefused(f"{filename} contains macros (a vbaProject): save it as a .docx without macros.")


def _check_relationships(archive: zipfile.ZipFile, filename: str) -> None:
    for name in archive.namelist():
        if not name.endswith(".rels"):
            continue
        for relationship in _parse(archive, name, filename).iter(f"{_REL}Relationship"):
            if relationship.get("TargetMode") == "External" and relationship.get("Type") != HYPERLINK:
                kind = (relationship.get("Type") or "").rsplit("/", 1)[-1] or "link"
                target = (relationship.get("Target") or "")[:120]
                raise TemplateRefused(
                    f"{filename} links to an outside file Word would fetch when the letter is opened "
                    f"({kind}: {target}): remove it (or insert the picture itself) and upload again."
                )
