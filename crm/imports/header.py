"""Stage 2 of the import: which row holds the column labels, and which rows are not people.

Real lists put a title, a date line or blank rows above the header and merge the title
across the table (its value then sits in the first cell only). So the first rows that have
any value are scored: a header has many short, distinct labels that are not numbers, over
the columns the rows below it fill, and those rows hold data (emails, dates, numbers) where
the header holds words. Ties go to the upper row: data rows of plain words look like labels.
A row of this product's own column labels (its export, its template) is the header outright.

    head = list(itertools.islice(sheet.rows, HEAD_ROWS))
    guess = find_header(head)
    data = itertools.chain((row for row in head if row.number > guess.row_number), sheet.rows)
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass

from crm.contacts.sheet_fields import FIELDS
from crm.imports.read import RawRow

SCAN_ROWS = 20  # header candidates; title blocks are shorter than this
LOOKAHEAD = 10  # rows below a candidate that show the table's columns and data
HEAD_ROWS = SCAN_ROWS + LOOKAHEAD  # how many rows find_header wants to see
MIN_SCORE = 0.3  # below this no row looks like a header at all
_OWN_LABELS = frozenset(field.label.casefold() for field in FIELDS)

# Common label words in the languages we meet; enough to break ties in header detection.
# Mapping columns to fields is the mapping stage's job, with its own vocabulary.
_KNOWN_LABEL = re.compile(
    r"\b(?:id|tel|nr|no)\b|name|nom\b|prénom|vorname|surname|first|last|given|family|mail|courriel|phone|"
    r"mobile|fax|country|pays|land\b|staat|state|nation|city|town|ville|stadt|address|adresse|organi|company|"
    r"party|parti|group|fraktion|title|titre|role|position|function|fonction|date|born|birth|gender|sex|"
    r"note|comment|tag|category|member|delegation|committee|фамил|имя|отчеств|почт|телефон|стран|город|"
    r"должн|организ|парти|imię|nazwisko|jméno|příjmení|telefon|státní|stát|funkce"
)
_DATE_LIKE = re.compile(r"\d{1,4}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{1,4}")
_TOTALS = re.compile(
    r"^(?:grand |sub-?)?(?:total|totals|sum|summe|gesamt|gesamtsumme|insgesamt|zusammen|итого|всего|razem|suma|"
    r"ogółem|celkem|celkom|spolu|součet|összesen|totale|totaal|yhteensä|i alt|totalt|ukupno|skupaj|kokku|"
    r"iš viso|kopā|σύνολο|toplam)\b"
)
# A cell that is nothing but the totals word (and perhaps its number): "Итого:", "Total", "Summe 12".
_TOTALS_LABEL = re.compile(_TOTALS.pattern.removesuffix(r")\b") + r")\s*:?[\s\d.,]*$")
_NOTE_START = re.compile(
    r"^(?:\*|note|nb\b|n\.b\.|source|remarque|hinweis|anmerkung|quelle|stand\b|as of|updated|примечание|источник|"
    r"poznámka|zdroj|uwaga|źródło)"
)


@dataclass(frozen=True)
class HeaderGuess:
    row_number: int
    labels: list[str]  # labels[i] names column i (A is 0); "" where the header cell is empty
    confidence: float  # 0-1; the wizard asks the person to confirm a low one


class NotAPerson(enum.Enum):
    BLANK = "blank row"
    REPEATED_HEADER = "the header again"
    TOTALS = "looks like a totals row"
    NOTE = "a note, not a contact"


def find_header(rows: Sequence[RawRow]) -> HeaderGuess | None:
    """The likeliest header among the first SCAN_ROWS rows with a value, or None."""
    rows = [row for row in rows if not is_blank(row)][:HEAD_ROWS]
    for row in rows[:SCAN_ROWS]:
        # Scoring cannot tell our export's header from the rows of people who have only a name,
        # a category and roles (short words, like labels); its own labels can.
        labels = labels_of(row)
        own = sum(label.casefold() in _OWN_LABELS for label in labels)
        if is_own_export(own, sum(bool(label) for label in labels)):
            return HeaderGuess(row.number, labels, 1.0)
    best_score, best_row = 0.0, None
    for index, row in enumerate(rows[:SCAN_ROWS]):
        below = rows[index + 1 : index + 1 + LOOKAHEAD]
        score = _header_score(row, below)
        if not below and index:
            score *= 0.6  # the last row of a list is its last contact far more often than a header
        if score > best_score + 0.01:
            best_score, best_row = score, row
    if best_row is None or best_score < MIN_SCORE:
        return None
    return HeaderGuess(best_row.number, labels_of(best_row), round(best_score, 2))


def is_own_export(own: int, labelled: int) -> bool:
    """Whether a header with `own` of this product's field labels among `labelled` labels is its
    own export (or template), edited or not: "ID, Name, Email, Phone, Country" is someone else's."""
    return own >= 8 and own * 10 >= labelled * 8


def labels_of(row: RawRow) -> list[str]:
    """Cell texts, whitespace folded; a repeated label gets " (2)", " (3)"."""
    labels: list[str] = []
    taken: set[str] = set()
    for value in row.cells:
        label = base = _text(value)
        count = 1
        while label and label.casefold() in taken:
            count += 1
            label = f"{base} ({count})"
        taken.add(label.casefold())
        labels.append(label)
    return labels


def row_text(row: RawRow) -> str:
    """The row's filled cells as one line, to quote it in a message."""
    return " · ".join(_text(value) for value in row.cells if not _empty(value))


def is_blank(row: RawRow) -> bool:
    return all(_empty(value) for value in row.cells)


def not_a_person(row: RawRow, header: HeaderGuess | None = None) -> NotAPerson | None:
    """Why a row below the header cannot be a contact, or None if it may be one."""
    filled = [value for value in row.cells if not _empty(value)]
    if not filled:
        return NotAPerson.BLANK
    if header and _same_labels(row, header):
        return NotAPerson.REPEATED_HEADER  # long lists repeat the header on every printed page
    if _is_totals_label(filled[0]) and all(_counts_something(value) for value in filled[1:]):
        return NotAPerson.TOTALS  # "Итого:" and "705 депутатов": words, but a count, not a name
    if sum(1 for value in filled[:4] if isinstance(value, str) and not _is_number(value)) >= 2:
        return None  # two words: a contact (checked early, as every row of a big file comes here)
    words = [value for value in filled if isinstance(value, str) and not _is_number(value)]
    # numbers only, or one label and numbers: a totals row, with or without its label
    has_numbers = len(filled) > len(words)
    if has_numbers and (not words or (len(words) == 1 and _TOTALS.match(_text(words[0]).casefold()))):
        return NotAPerson.TOTALS
    if len(filled) == 1 and words and (header is None or len([label for label in header.labels if label]) > 1):
        text = _text(words[0])
        if _TOTALS.match(text.casefold()):
            return NotAPerson.TOTALS
        if len(text) >= 40 or len(text.split()) >= 6 or _NOTE_START.match(text.casefold()):
            return NotAPerson.NOTE  # "Source: European Parliament, as of 1 May 2024."
    return None


def _is_totals_label(value: object) -> bool:
    # Checked on every row: most first cells are names, which fail at their first letters.
    return isinstance(value, str) and len(value) < 40 and _TOTALS_LABEL.match(_text(value).casefold()) is not None


def _counts_something(value: object) -> bool:
    """A number, or a text with one ("12 MEPs"), that is no phone number or email address."""
    if not isinstance(value, str):
        return _is_number(value)
    text = _text(value)
    return any(c.isdigit() for c in text) and not text.startswith("+") and "@" not in text


def _same_labels(row: RawRow, header: HeaderGuess) -> bool:
    # Checked on every row of a big file: compare the first cell before building labels.
    if len(row.cells) != len(header.labels) or not isinstance(row.cells[0], str):
        return False
    if _text(row.cells[0]).casefold() != header.labels[0].casefold():
        return False
    return [label.casefold() for label in labels_of(row)] == [label.casefold() for label in header.labels]


def _header_score(row: RawRow, below: list[RawRow]) -> float:
    filled = {column: value for column, value in enumerate(row.cells) if not _empty(value)}
    labels = [_text(value).casefold() for value in filled.values()]
    label_like = sum(_looks_like_label(value) for value in filled.values()) / len(filled)
    distinct = len(set(labels)) / len(labels)
    coverage = _coverage(set(filled), below)
    known = sum(bool(_KNOWN_LABEL.search(label)) for label in labels) / len(labels)
    contrast = _contrast(filled, below)
    return label_like * distinct * coverage * (1 + known / 2 + contrast / 4) / 1.75


def _coverage(columns: set[int], below: list[RawRow]) -> float:
    """How well this row's columns match the columns the rows below use.

    Every column of data should stand under a label; a label over an empty column (an
    optional field nobody filled in yet) costs less than data with no label."""
    used = {column for other in below for column, value in enumerate(other.cells) if not _empty(value)}
    if not used:  # nothing below: a header-only file, or the last row of a title block
        return 1.0 if len(columns) > 1 else 0.5
    shared = len(columns & used)
    return shared / len(used) * (shared / len(columns)) ** 0.5


def _contrast(filled: dict[int, object], below: list[RawRow]) -> float:
    """How much of what stands below this row's labels is data rather than more labels."""
    shares = []
    for column in filled:
        values = [other.cells[column] for other in below if column < len(other.cells)]
        values = [value for value in values if not _empty(value)]
        if values:
            shares.append(sum(not _looks_like_label(value) for value in values) / len(values))
    return sum(shares) / len(shares) if shares else 0.0


def _looks_like_label(value: object) -> bool:
    if not isinstance(value, str):
        return False  # numbers, dates, booleans are data
    text = _text(value)
    if not 1 <= len(text) <= 40 or len(text.split()) > 6:
        return False
    if "@" in text or text.casefold().startswith(("http:", "https:", "www.")) or _DATE_LIKE.search(text):
        return False
    return sum(character.isdigit() for character in text) * 3 < len(text)


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if isinstance(value, str):
        try:
            float(value.replace(" ", "").replace("\u00a0", "").replace(",", "."))
        except ValueError:
            return False
        return True
    return False


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return " ".join(str(value).split())
