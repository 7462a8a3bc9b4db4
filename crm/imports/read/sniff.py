"""What kind of file is it, and is it safe to hand to a reader? The first bytes decide, not the name.

Everything here reads files from people we do not control, so cheap checks run first, in
this process, and refuse with one sentence: empty, too large, not a spreadsheet, a zip bomb
(declared sizes, compression ratio, number of parts), or an XML document type declaration
(an entity bomb such as billion laughs needs one). What this process parses of a file is
bounded before it starts: the first 8 KB, the zip's central directory (once its entry count
is), at most 64 KB of each part's XML prolog, the names in an OLE2 directory. Parsing the
content itself is the readers' job, in the reader process (reader_process) or, for text, here.
"""

from __future__ import annotations

import codecs
import mmap
import re
import struct
import zipfile
import zlib
from pathlib import Path

from crm.imports.read.sheet import DAMAGED, MB, NOT_TEXT, PASSWORD, Limits, UnreadableFile, describe_size


def kind_of_file(path: Path, limits: Limits) -> str:
    """ "xlsx", "xls", "ods", "csv" or "xml"; or UnreadableFile saying why the file is refused."""
    try:
        size = path.stat().st_size
        with path.open("rb") as raw:
            head = raw.read(8192)
    except OSError as error:
        raise UnreadableFile("The file could not be opened.") from error
    if size == 0:
        raise UnreadableFile("The file is empty.")
    if size > limits.max_bytes:
        raise UnreadableFile(
            f"The file is {describe_size(size)}, more than the {describe_size(limits.max_bytes)} an import accepts."
        )
    return _kind_of(path, head, size, limits)


_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2: .xls, .doc, and password-protected .xlsx
_OTHER_FORMATS = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"{\\rtf", "an RTF document"),
)
_BOOK_STREAM = re.compile("book".encode("utf-16-le"), re.IGNORECASE)  # "Workbook" (BIFF8) or "Book" (BIFF5)


def _kind_of(path: Path, head: bytes, size: int, limits: Limits) -> str:
    if head.startswith(_ZIP):
        return _check_zip(path, size, limits)
    if head.startswith(_CFB):
        return _check_cfb(path)
    for magic, what in _OTHER_FORMATS:
        if head.startswith(magic):
            raise UnreadableFile(f"This file is not a spreadsheet: it is {what}.")
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<table")):
        raise UnreadableFile(
            "This file is a web page saved under a spreadsheet name; open it in Excel and save it as .xlsx."
        )
    if start.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise UnreadableFile("This is an Excel 2003 XML spreadsheet; open it in Excel and save it as .xlsx.")
    if start.startswith(b"<"):
        return "xml"  # a list of records, such as the European Parliament's MEP list (xml_records)
    if not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and _looks_binary(head):
        raise UnreadableFile(NOT_TEXT)
    return "csv"


def _looks_binary(head: bytes) -> bool:
    # Text tables hold no NUL and almost no other control characters; random bytes hold 11%.
    controls = sum(head.count(bytes([code])) for code in (*range(0, 9), 11, *range(14, 32), 127))
    return b"\0" in head or controls > len(head) // 100


def _check_cfb(path: Path) -> str:
    # The directory names streams in UTF-16; finding them is enough to pick the message,
    # calamine parses the container itself.
    with path.open("rb") as raw, mmap.mmap(raw.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if data.find("EncryptedPackage".encode("utf-16-le")) >= 0:
            raise UnreadableFile(PASSWORD)
        if re.search(_BOOK_STREAM, data):
            return "xls"
    raise UnreadableFile("This file is an older Office document (such as .doc), not a spreadsheet.")


# --- Zip containers: .xlsx, .xlsm, .ods ---------------------------------------------------

_PROLOG_LIMIT = 64 * 1024
_PROLOG_ITEM = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->)", re.S)


def _check_zip(path: Path, size: int, limits: Limits) -> str:
    """Refuse bombs by the zip's own bookkeeping first; then inflate only the XML prologs."""
    entries, directory_size = _central_directory(path, size)
    # zipfile builds an object per entry before we can look at any: bound that first.
    if entries > limits.max_parts or directory_size > limits.max_parts * 1024:
        raise UnreadableFile("The file has more parts than any real spreadsheet, so it was refused as unsafe.")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            unpacked = sum(info.file_size for info in infos)
            if unpacked > limits.max_unpacked_bytes:
                raise UnreadableFile(
                    f"The file would unpack to {describe_size(unpacked)}, more than the {describe_size(limits.max_unpacked_bytes)} "
                    "allowed, so it was refused as a possible zip bomb."
                )
            for info in infos:
                ratio = info.file_size // max(info.compress_size, 1)
                if info.file_size > MB and ratio > limits.max_ratio:
                    raise UnreadableFile(
                        f"Part of the file unpacks to {ratio} times its packed size, far more than real "
                        "spreadsheets, so it was refused as a possible zip bomb."
                    )
                if info.flag_bits & 0x1:
                    raise UnreadableFile(PASSWORD)
            kind = _zip_kind(archive, {info.filename for info in infos})
            for info in infos:
                if info.filename.endswith((".xml", ".rels")) and _declares_doctype(archive, info):
                    raise UnreadableFile(
                        "The file contains an XML document type declaration, which spreadsheets never need "
                        "and entity bombs rely on, so it was refused as unsafe."
                    )
            return kind
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError) as error:
        raise UnreadableFile(DAMAGED) from error


def _central_directory(path: Path, size: int) -> tuple[int, int]:
    """Entry count and directory size from the end-of-central-directory record."""
    with path.open("rb") as raw:
        raw.seek(max(0, size - 65_557))  # the record (22 bytes) plus the longest comment
        tail = raw.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise UnreadableFile(DAMAGED)
    return struct.unpack_from("<HI", tail, at + 10)


def _zip_kind(archive: zipfile.ZipFile, names: set[str]) -> str:
    if "mimetype" in names:
        with archive.open("mimetype") as part:
            mimetype = part.read(100).strip()
        if mimetype == b"application/vnd.oasis.opendocument.spreadsheet":
            return "ods"
        raise UnreadableFile("This file is an OpenDocument file but not a spreadsheet.")
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise UnreadableFile("Excel binary workbooks (.xlsb) cannot be imported; save it as .xlsx.")
    if "word/document.xml" in names:
        raise UnreadableFile("This file is a Word document, not a spreadsheet.")
    if "ppt/presentation.xml" in names:
        raise UnreadableFile("This file is a PowerPoint presentation, not a spreadsheet.")
    raise UnreadableFile("This file is a zip archive, not a spreadsheet.")


def _declares_doctype(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """True if the part's prolog has <!DOCTYPE ...>, or is too long to tell.

    A DTD can only sit in the prolog, before the root element, so only that much is
    inflated. calamine's XML parser does not expand DTD entities (it stops at them), so this
    gives the clear message and a second line of defence, not the only one.
    """
    with archive.open(info) as part:
        head = part.read(_PROLOG_LIMIT)
    encoding = "utf-16" if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "utf-8"
    text = head.decode(encoding, "replace").lstrip("\ufeff")
    position = 0
    while item := _PROLOG_ITEM.match(text, position):
        if item.end() == position:
            break
        position = item.end()
    rest = text[position:].lstrip()
    if not rest:
        return len(head) == _PROLOG_LIMIT  # a prolog that long is not a spreadsheet's
    return rest[:9].upper() == "<!DOCTYPE" or (rest.startswith(("<?", "<!--")) and len(head) == _PROLOG_LIMIT)
