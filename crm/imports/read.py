"""Stage 1 of the import: a file on disk → its rows, streamed.

.xlsx/.xlsm, .xls and .ods are read by python-calamine; .csv/.tsv (and text saved under a
spreadsheet name, as some "export to Excel" buttons do) by the csv module; XML lists of
records (the European Parliament's MEP list) by read_xml. The first bytes decide the format,
not the file name.

Everything here reads files from people we do not control, so:
- cheap checks run first, in this process, and refuse with one sentence: empty, too large,
  not a spreadsheet, a zip bomb (declared sizes, compression ratio, number of parts), or an
  XML document type declaration (an entity bomb such as billion laughs needs one);
- calamine then runs in a child process under an address-space and CPU limit. It builds a
  sheet as one dense grid in Rust, so a 2 KB file with values in A1 and XFD1048576 asks for
  549 GB and aborts the whole process (tafia/calamine#693). In the child that is a refused
  file, not a dead web worker, and calamine's copy of the sheet never counts against ours:
  rows come back in small pickled batches as we consume them.

Values are str, int, float, bool or datetime.date/datetime/time/timedelta. An empty cell is
None, trailing empty cells are dropped and blank rows are not yielded (row numbers keep the
gaps). A formula gives the value Excel cached when it last saved the file; an error cell
(#N/A) is empty. A merged range keeps its value in its top-left cell only, as Excel stores
it. Whole numbers come back as int: Excel stores every number as a float.
"""

from __future__ import annotations

import codecs
import csv
import logging
import mmap
import os
import pickle
import re
import signal
import struct
import subprocess
import sys
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import pairwise
from pathlib import Path

from crm.errors import DomainError

log = logging.getLogger(__name__)

MB = 1024 * 1024


class UnreadableFile(DomainError):
    """The file cannot be imported at all; the message is one sentence for the person."""


class SheetNotFound(UnreadableFile):
    def __init__(self, wanted: str, sheet_names: list[str]) -> None:
        self.sheet_names = sheet_names
        listed = ", ".join(f'"{name}"' for name in sheet_names) or "none"
        super().__init__(f'There is no sheet called "{wanted}" in this file; its sheets are: {listed}.')


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * MB  # the upload itself
    max_unpacked_bytes: int = 512 * MB  # a workbook's parts once unzipped, all together
    max_ratio: int = 100  # unzipped / zipped size of one part; real sheets compress 5-20 times
    max_parts: int = 10_000  # zip entries; each costs memory before any check can run
    max_memory: int = 1024 * MB  # address space of the calamine child
    max_seconds: int = 60  # CPU time of the calamine child
    # Longer workbook cells are cut here, so one cell cannot be as large as the unzipped file.
    # Excel holds 32,767 characters at most, so validation rejects the row either way.
    max_cell_chars: int = 8 * MB


@dataclass(frozen=True, slots=True)
class RawRow:
    number: int  # as the spreadsheet shows it, from 1; for CSV the record number
    cells: list  # cells[0] is column A; None for an empty cell; never ends with None


@dataclass
class Sheet:
    name: str
    sheet_names: list[str]
    kind: str  # "xlsx", "xls", "ods", "csv" or "xml"
    rows: Iterator[RawRow]
    encoding: str | None = None  # CSV only: as detected, or as given
    delimiter: str | None = None  # CSV only
    on_close: Callable[[], None] | None = field(default=None, repr=False)

    def close(self) -> None:
        """Stop reading early: closes the file or ends the reader process, even if no row was read."""
        close = getattr(self.rows, "close", None)
        if close:
            close()
        if self.on_close:
            self.on_close()

    def __enter__(self) -> Sheet:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def read_sheet(
    path: str | os.PathLike, sheet: str | None = None, *, limits: Limits = Limits(), encoding: str | None = None
) -> Sheet:
    """Open one sheet (default: the first visible one that has any value) for streaming.

    Every check that can refuse the file runs before this returns; iterating `rows` raises
    UnreadableFile only if the reader process dies midway or a text file stops being a
    table. `encoding` overrides detection for text files.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as raw:
            head = raw.read(8192)
    except OSError as error:
        raise UnreadableFile("The file could not be opened.") from error
    if size == 0:
        raise UnreadableFile("The file is empty.")
    if size > limits.max_bytes:
        raise UnreadableFile(f"The file is {_size(size)}, more than the {_size(limits.max_bytes)} an import accepts.")
    kind = _kind_of(path, head, size, limits)
    if kind == "xml":
        from crm.imports.read_xml import read_xml  # it builds on this module's Sheet and RawRow

        return read_xml(path, sheet, limits)
    if kind == "csv":
        return _read_text(path, sheet, encoding, limits)
    return _read_workbook(path, kind, sheet, limits)


def _size(size: int) -> str:
    if size < MB:
        return f"{max(size // 1024, 1)} KB"
    return f"{size / MB:.0f} MB" if size >= 10 * MB else f"{size / MB:.1f} MB"


# --- What kind of file is it? -------------------------------------------------------------

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
_DAMAGED = "The file is damaged or not a real spreadsheet, so it cannot be read."
_PASSWORD = "The file is protected by a password; remove the password in Excel and upload it again."
_NOT_TEXT = "This file is not a spreadsheet or a text table."


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
        return "xml"  # a list of records, such as the European Parliament's MEP list (read_xml)
    if not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and _looks_binary(head):
        raise UnreadableFile(_NOT_TEXT)
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
            raise UnreadableFile(_PASSWORD)
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
                    f"The file would unpack to {_size(unpacked)}, more than the {_size(limits.max_unpacked_bytes)} "
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
                    raise UnreadableFile(_PASSWORD)
            kind = _zip_kind(archive, {info.filename for info in infos})
            for info in infos:
                if info.filename.endswith((".xml", ".rels")) and _declares_doctype(archive, info):
                    raise UnreadableFile(
                        "The file contains an XML document type declaration, which spreadsheets never need "
                        "and entity bombs rely on, so it was refused as unsafe."
                    )
            return kind
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError) as error:
        raise UnreadableFile(_DAMAGED) from error


def _central_directory(path: Path, size: int) -> tuple[int, int]:
    """Entry count and directory size from the end-of-central-directory record."""
    with path.open("rb") as raw:
        raw.seek(max(0, size - 65_557))  # the record (22 bytes) plus the longest comment
        tail = raw.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise UnreadableFile(_DAMAGED)
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


# --- Workbooks: calamine in a child process -------------------------------------------------

# Runs with `python -I -c`: no crm import (Flask would add 0.3 s), limits set before calamine
# loads. Frames on stdout: ("sheet", name, names), ("rows", [(number, cells), ...])..., ("end",);
# or one of ("no-sheet", names), ("password",), ("memory",), ("broken", detail).
_WORKER = r"""
import pickle, resource, sys

def main():
    path, wanted, memory, seconds, longest, batch_size = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:7])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    out = sys.stdout.buffer
    send = lambda *frame: pickle.dump(frame, out, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum
        book = CalamineWorkbook.from_path(path)
        worksheets = [m for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        names = [m.name for m in worksheets]
        if wanted and wanted not in names:
            return send("no-sheet", names)
        if wanted:
            name, sheet = wanted, book.get_sheet_by_name(wanted)
        else:
            name, sheet = (names or [""])[0], None
            for meta in sorted(worksheets, key=lambda m: m.visible != SheetVisibleEnum.Visible):
                candidate = book.get_sheet_by_name(meta.name)
                if candidate.start is not None:
                    name, sheet = meta.name, candidate
                    break
                del candidate
        book.close()
        send("sheet", name, names)
        if sheet is not None and sheet.start is not None:
            rows(sheet, send, longest, batch_size)
        send("end")
    except PasswordError:
        send("password")
    except MemoryError:
        send("memory")
    except BaseException as error:  # pyo3 turns a Rust panic into a BaseException
        send("broken", repr(error)[:500])

def rows(sheet, send, longest, batch_size):
    pad = [None] * sheet.start[1]  # iter_rows starts at row 1 but at the first used column
    batch = []
    for number, values in enumerate(sheet.iter_rows(), 1):
        cells = [
            None if value == ""
            else (int(value) if value.is_integer() else value) if type(value) is float
            else value[:longest] if type(value) is str and len(value) > longest
            else value
            for value in values
        ]
        while cells and cells[-1] is None:
            cells.pop()
        if cells:
            batch.append((number, pad + cells))
            if len(batch) == batch_size:
                send("rows", batch)
                batch = []
    send("rows", batch)

main()
"""
_BATCH_ROWS = 500


class _CellUnpickler(pickle.Unpickler):
    # The child is our code, but what it pickles came out of an untrusted file: let nothing
    # through but the classes a cell value can have.
    def find_class(self, module: str, name: str) -> type:
        if module == "datetime" and name in {"date", "datetime", "time", "timedelta"}:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"unexpected {module}.{name} from the reader process")


def _read_workbook(path: Path, kind: str, wanted: str | None, limits: Limits) -> Sheet:
    command = [sys.executable, "-I", "-c", _WORKER, str(path), wanted or ""]
    command += [str(limits.max_memory), str(limits.max_seconds), str(limits.max_cell_chars), str(_BATCH_ROWS)]
    child = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # a Rust abort prints there; its exit signal says enough
        env={**os.environ, "RUST_BACKTRACE": "0"},
    )
    frames = _frames(child)
    try:
        first = next(frames, None)
        if first and first[0] == "sheet":
            rows = _workbook_rows(child, frames, limits)
            return Sheet(first[1], first[2], kind, rows, on_close=partial(_stop, child))
        raise _refusal(first, child, wanted, limits)
    except BaseException:
        _stop(child)
        raise


def _frames(child: subprocess.Popen) -> Iterator[tuple]:
    while True:
        try:  # one unpickler per frame: each frame was pickled with a fresh memo
            yield _CellUnpickler(child.stdout).load()
        except (EOFError, pickle.UnpicklingError):  # the child ended, perhaps mid-frame
            return


def _workbook_rows(child: subprocess.Popen, frames: Iterator[tuple], limits: Limits) -> Iterator[RawRow]:
    try:
        for frame in frames:
            if frame[0] == "end":
                return
            if frame[0] != "rows":
                raise _refusal(frame, child, None, limits)
            for number, cells in frame[1]:
                yield RawRow(number, cells)
        raise _refusal(None, child, None, limits)
    finally:
        _stop(child)


def _refusal(frame: tuple | None, child: subprocess.Popen, wanted: str | None, limits: Limits) -> Exception:
    match frame:
        case ("no-sheet", names):
            return SheetNotFound(wanted or "", names)
        case ("password",):
            return UnreadableFile(_PASSWORD)
        case ("memory",):
            return _too_big(limits)
        case ("broken", detail):
            log.info("calamine could not read the file: %s", detail)
            return UnreadableFile(_DAMAGED)
    return _child_died(child, limits)


def _stop(child: subprocess.Popen) -> None:
    if child.poll() is None:
        child.kill()
    child.wait()
    child.stdout.close()


def _too_big(limits: Limits) -> UnreadableFile:
    return UnreadableFile(
        f"Reading this file needs more than {_size(limits.max_memory)} of memory, so it was refused as unsafe."
    )


def _child_died(child: subprocess.Popen, limits: Limits) -> Exception:
    code = child.wait()
    if code in (-signal.SIGXCPU, -signal.SIGKILL):
        return UnreadableFile(f"Reading this file took more than {limits.max_seconds} seconds, so it was stopped.")
    if code < 0:  # SIGABRT: Rust could not allocate; SIGSEGV: the stack or heap limit
        return _too_big(limits)
    return RuntimeError(f"the spreadsheet reader process failed with exit code {code}")


# --- Text tables: .csv, .tsv ----------------------------------------------------------------

_SAMPLE_BYTES = 64 * 1024
_SNIFF_LINES = 50
_SNIFF_WIDTH = 2000
_DELIMITERS = ",;\t|"


def _read_text(path: Path, wanted: str | None, encoding: str | None, limits: Limits) -> Sheet:
    name = path.stem
    if wanted not in (None, "", name):
        raise SheetNotFound(wanted, [name])
    encoding = encoding or _detect_encoding(path)
    with path.open(encoding=encoding, errors="replace", newline="") as text:
        sample = text.read(_SAMPLE_BYTES)
    delimiter, sep_line = _detect_delimiter(sample, tab_first=path.suffix.lower() == ".tsv")
    # One cell may be as large as the file (a 5 MB note, an unclosed quote); the csv
    # module's 128 KB default would stop the whole read instead of one row.
    csv.field_size_limit(max(csv.field_size_limit(), limits.max_bytes))
    rows = _text_rows(path, encoding, delimiter, sep_line)
    return Sheet(name, [name], "csv", rows, encoding=encoding, delimiter=delimiter)


def _text_rows(path: Path, encoding: str, delimiter: str, sep_line: bool) -> Iterator[RawRow]:
    number = 0
    with path.open(encoding=encoding, errors="replace", newline="") as text:
        if sep_line:
            text.readline()  # Excel's "sep=;" line, which Excel itself does not show as a row
        try:
            for number, record in enumerate(csv.reader(text, delimiter=delimiter), 1):
                cells = [value or None for value in record]
                while cells and cells[-1] is None:
                    cells.pop()
                if cells:
                    yield RawRow(number, cells)
        except csv.Error as error:
            raise UnreadableFile(f"The text file stops being a table after row {number}.") from error


def _detect_encoding(path: Path) -> str:
    """A byte-order mark; else UTF-8 if the whole file decodes; else a Windows code page.

    Strict UTF-8 almost never accepts text in another encoding by accident (any accented
    letter in cp125x is an invalid UTF-8 sequence), so the one full pass decides it. Excel's
    other CSV encodings are the "ANSI" code page of the Windows that saved the file; for
    those a sample of the lines holding non-ASCII bytes goes to `_guess_code_page`.
    """
    with path.open("rb") as raw:
        start = raw.read(4)
        if start.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"  # Excel's "Unicode text", tab-separated
        raw.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        is_utf8 = True
        sample = bytearray()
        for chunk in iter(partial(raw.read, MB), b""):
            if b"\0" in chunk:
                raise UnreadableFile(_NOT_TEXT)
            if is_utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    is_utf8 = False
            if len(sample) < _SAMPLE_BYTES and not chunk.isascii():
                sample += b"\n".join(line for line in chunk.splitlines() if not line.isascii()) + b"\n"
    if is_utf8:
        try:
            decoder.decode(b"", final=True)
            return "utf-8"
        except UnicodeDecodeError:
            pass
    return _guess_code_page(bytes(sample[:_SAMPLE_BYTES]))


# Windows "ANSI" code pages that Excel uses for CSV in the member states: Western,
# Central European, Cyrillic. Ties go to the first. They differ only in which letters the
# bytes above 127 stand for, so telling them apart takes knowing which letters go together:
# a general detector (charset-normalizer, tried) picked cp1252 for Czech names and cp1250
# for French and Danish ones on short lists; the rules below get those and Polish,
# Hungarian, Slovak, Croatian, Romanian, Russian and Ukrainian right (tests/imports).
_CODE_PAGES = ("cp1252", "cp1250", "cp1251")

# Non-ASCII letters of the languages written in those code pages. A correctly decoded word
# uses the letters of one language; a wrongly decoded one mixes them ("Štìtina": š and ì).
_ALPHABETS = tuple(
    frozenset(letters)
    for letters in (
        "áčďéěíňóřšťúůýž",  # Czech
        "áäčďéíĺľňóôŕšťúýž",  # Slovak
        "ąćęłńóśźż",  # Polish
        "áéíóöőúüű",  # Hungarian
        "čćđšž",  # Slovenian, Croatian, Bosnian, Serbian in Latin script
        "ăâîșțşţ",  # Romanian
        "çë",  # Albanian
        "äöüß",  # German
        "àâæçéèêëîïôœùûüÿ",  # French
        "áéíñóúü",  # Spanish
        "àáâãçéêíóôõú",  # Portuguese
        "àèéìíîòóù",  # Italian
        "àçèéíïòóúü",  # Catalan
        "éëïó",  # Dutch
        "åæøé",  # Danish, Norwegian
        "åäöé",  # Swedish, Finnish
        "áðéíóúýþæö",  # Icelandic
        "äöõüšž",  # Estonian
    )
)
_WORD = re.compile(r"[^\W\d_]+")
# Italian puts ì ò ù on a word's last letter, Portuguese õ before e ("Simões"); inside a word
# they are what cp1252 makes of Czech ě ň ů and Hungarian ő.
_INNER_GRAVE = re.compile(r"[ìòù](?=[^\W\d_])|õ(?=[^\W\d_e])")
# A symbol glued to a letter: "£ódŸ" is "Łódź" read as cp1252.
_GLUED_SYMBOL = re.compile(r"(?<=[^\W\d_])[^\w\s\x00-\x7f’‘“”„«»–—…·]|[^\w\s\x00-\x7f’‘“”„«»–—…·](?=[^\W\d_])")


def _guess_code_page(sample: bytes) -> str:
    return min(_CODE_PAGES, key=lambda code_page: _implausibility(sample.decode(code_page, "replace")))


def _implausibility(text: str) -> int:
    score = 3 * text.count("\ufffd") + len(_GLUED_SYMBOL.findall(text))
    return score + sum(_odd_word(word) for word in _WORD.findall(text) if not word.isascii())


def _odd_word(word: str) -> bool:
    cyrillic = [("\u0400" <= letter <= "\u04ff") for letter in word]
    if any(cyrillic):
        return not all(cyrillic)  # one script per word
    if len(word) >= 3 and not any(letter.isascii() for letter in word):
        return True  # Russian read as Latin: "Ôàìèëèÿ"
    if any(before.islower() and after.isupper() and not after.isascii() for before, after in pairwise(word)):
        return True  # "ódŸ"
    word = word.lower()
    if _INNER_GRAVE.search(word):
        return True  # Czech "Zdeněk" read as cp1252: "Zdenìk"; Hungarian "Győr": "Gyõr"
    accents = {letter for letter in word if not letter.isascii()}
    return not any(accents <= alphabet for alphabet in _ALPHABETS)


def _detect_delimiter(sample: str, *, tab_first: bool) -> tuple[str, bool]:
    """The delimiter, and whether the first line is Excel's "sep=;" hint."""
    if hint := re.match(r"sep=(.)\r?\n", sample, re.IGNORECASE):
        return hint.group(1), True
    # Long lines cost the sniffer's regular expressions dearly and add nothing.
    lines = [line[:_SNIFF_WIDTH] for line in sample.splitlines() if line.strip()]
    if len(sample) == _SAMPLE_BYTES:
        lines = lines[:-1]  # probably cut short
    lines = lines[:_SNIFF_LINES]
    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines), delimiters=_DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    if sniffed and _agreement(lines, sniffed) * 2 >= len(lines):
        return sniffed, False
    # The sniffer gives up or guesses wrong on title rows and quoted commas: take the
    # delimiter that splits the most lines into the same number (> 1) of fields.
    order = "\t,;|" if tab_first else ",;\t|"
    return max(order, key=lambda delimiter: (_agreement(lines, delimiter), -order.index(delimiter))), False


def _agreement(lines: list[str], delimiter: str) -> int:
    widths = Counter(len(fields) for fields in csv.reader(lines, delimiter=delimiter) if len(fields) > 1)
    return widths.most_common(1)[0][1] if widths else 0
