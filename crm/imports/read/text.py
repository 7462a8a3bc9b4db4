"""Text tables (.csv, .tsv, and text saved under a spreadsheet name, as some "export to Excel"
buttons do): their encoding and delimiter guessed, their records streamed by the csv module.

Unlike workbooks and XML, text is read in this process, not in the reader process: a CSV
has no nesting, entities or compression that could make it expand, decoding and the csv
module are linear in a file sniff has already bounded (max_bytes), one record at a time
holds at most the file, and the delimiter sniffer sees a bounded sample (50 lines of 2,000
characters). A child would cost a process start and pickling every row for no safety gained.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections import Counter
from collections.abc import Iterator
from functools import partial
from itertools import pairwise
from pathlib import Path

from crm.imports.read.sheet import MB, NOT_TEXT, Limits, RawRow, Sheet, UnreadableFile, only_sheet_name

_SAMPLE_BYTES = 64 * 1024
_SNIFF_LINES = 50
_SNIFF_WIDTH = 2000
_DELIMITERS = ",;\t|"


def read_text(path: Path, wanted: str | None, encoding: str | None, limits: Limits) -> Sheet:
    name = only_sheet_name(path.stem, wanted)
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
                raise UnreadableFile(NOT_TEXT)
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
