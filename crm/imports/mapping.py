"""Stage 3 of the import: which field each column holds, and the row's values by field.

`auto_map(labels)` guesses from the header labels alone, in any of the languages of
data/header_synonyms.yaml; a preset passes the labels it knows as `known`, and those win.
The wizard shows each column's field, confidence and reason, lets the person change any of
them (`Mapping.with_field`), and may save the result as a preset. `apply_mapping` then runs
once per row, so everything it needs is worked out here, once per file.

A label not known whole (see crm.imports.labels for how labels are compared) is tried
without its brackets, then without qualifying words ("Work email"), then by the known label
it contains ("MEP's political group"), each with less confidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from crm.contacts.sheet_fields import BY_KEY, NAME_KEYS
from crm.imports.header import is_own_export
from crm.imports.labels import Synonym, SynonymTable, label_forms, qualifier_words, synonym_table, written_forms
from crm.spreadsheets.formats import column_letter

# How sure each way of recognising a label is; the wizard asks about anything below 0.7.
EXACT, WITHOUT_BRACKETS, WEAK, WITHOUT_QUALIFIERS, CONTAINED, GUESSED_ID = 1.0, 0.9, 0.9, 0.8, 0.6, 0.5

# How several columns for one field are joined: "Address line 1" + "Address line 2".
_SEPARATORS = {"notes": "\n", "street": ", "}


@dataclass(frozen=True, slots=True)
class ColumnMatch:
    index: int  # 0 is column A
    label: str  # the header as the file has it
    field: str | None  # a key of crm.contacts.sheet_fields, or None: the column is ignored
    confidence: float  # 0-1
    why: str  # one short reason the wizard shows: "French label for Email"


@dataclass(frozen=True)
class Mapping:
    columns: tuple[ColumnMatch, ...]
    # Worked out once, used on every row: (key, index) for one column, (key, indices, separator) for several.
    _single: tuple[tuple[str, int], ...] = field(init=False, repr=False, compare=False)
    _joined: tuple[tuple[str, tuple[int, ...], str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_key: dict[str, list[int]] = {}
        for column in self.columns:
            if column.field:
                by_key.setdefault(column.field, []).append(column.index)
        single = tuple((key, indices[0]) for key, indices in by_key.items() if len(indices) == 1)
        joined = tuple(
            (key, tuple(indices), "; " if BY_KEY[key].many else _SEPARATORS.get(key, " "))
            for key, indices in by_key.items()
            if len(indices) > 1
        )
        object.__setattr__(self, "_single", single)
        object.__setattr__(self, "_joined", joined)

    @property
    def fields(self) -> dict[int, str | None]:
        """Column index → field key, or None for an ignored column."""
        return {column.index: column.field for column in self.columns}

    @property
    def mapped_keys(self) -> set[str]:
        return {column.field for column in self.columns if column.field}

    @property
    def has_name(self) -> bool:
        """A list of people needs at least one name column."""
        return bool(self.mapped_keys & set(NAME_KEYS))

    def with_field(self, index: int, key: str | None, why: str = "chosen by you") -> Mapping:
        """The mapping with column `index` set to `key` (None: ignore it), as the wizard edits it."""
        if key is not None and key not in BY_KEY:
            raise ValueError(f"unknown field {key!r}")
        if all(column.index != index for column in self.columns):
            raise IndexError(f"no column {index}")
        return Mapping(
            tuple(
                replace(column, field=key, confidence=EXACT, why=why) if column.index == index else column
                for column in self.columns
            )
        )

    def as_dicts(self) -> list[dict]:
        """Plain data to keep between the wizard's requests; `Mapping.from_dicts` reads it back."""
        return [
            {"index": c.index, "label": c.label, "field": c.field, "confidence": c.confidence, "why": c.why}
            for c in self.columns
        ]

    @classmethod
    def from_dicts(cls, items: Sequence[dict]) -> Mapping:
        for item in items:
            if item["field"] is not None and item["field"] not in BY_KEY:
                raise ValueError(f"unknown field {item['field']!r}")
        return cls(tuple(ColumnMatch(**item) for item in items))

    def column_map(self) -> dict[str, str | None]:
        """Header label → field key, as a preset stores it; columns without a label are left out."""
        return {column.label: column.field for column in self.columns if column.label.strip()}


def apply_mapping(cells: Sequence, mapping: Mapping) -> dict[str, object]:
    """One row's values by field key; every mapped key is present, None where the cell is empty.

    Values are as the reader gave them (str, int, date ...): cleaning is the next stage's job.
    Several columns for one field are joined as text, skipping empty cells.
    """
    count = len(cells)
    values = {key: cells[index] if index < count else None for key, index in mapping._single}
    for key, indices, separator in mapping._joined:
        parts = [str(cells[index]).strip() for index in indices if index < count and cells[index] is not None]
        values[key] = separator.join(part for part in parts if part) or None
    return values


# --- Guessing ------------------------------------------------------------------------------


@dataclass
class _Guess:
    index: int
    label: str
    key: str | None
    confidence: float
    why: str
    bare: bool = False
    own: bool = False  # this product's own export label
    from_preset: bool = False
    yields_to: str | None = None


def auto_map(
    labels: Sequence[str], *, known: dict[str, str | None] | None = None, known_why: str = "from the preset"
) -> Mapping:
    """Each column's field from its header label; `known` (folded label → key) comes from a preset and wins."""
    table = synonym_table()
    guesses = [_guess(index, label or "", table, known or {}, known_why) for index, label in enumerate(labels)]
    _settle_bare_names(guesses)
    _settle_ids(guesses)
    _settle_duplicates(guesses, table)
    return Mapping(tuple(ColumnMatch(g.index, g.label, g.key, g.confidence, g.why) for g in guesses))


def _guess(index: int, label: str, table: SynonymTable, known: dict[str, str | None], known_why: str) -> _Guess:
    whole, without_brackets = label_forms(label, table.markers)
    if not whole:
        return _Guess(index, label, None, 0.0, "no header label" if not label.strip() else "no words in the header")
    for form in dict.fromkeys((whole, without_brackets)):
        if form in known:
            key = known[form]
            return _Guess(index, label, key, EXACT, known_why if key else "ignored by the preset", from_preset=True)
    for form, confidence in ((whole, EXACT), (without_brackets, WITHOUT_BRACKETS)):
        if synonym := table.exact.get(form):
            return _from_synonym(index, label, form, synonym, confidence, table, "")
    plain = " ".join(word for word in without_brackets.split() if word not in table.qualifiers)
    if plain and plain != without_brackets and (synonym := table.exact.get(plain)):
        dropped = qualifier_words(label, table.qualifiers)
        note = f", read without “{' '.join(dropped)}”" if dropped else ""
        return _from_synonym(index, label, plain, synonym, WITHOUT_QUALIFIERS, table, note)
    if found := _contained(without_brackets, table):
        gram, synonym = found
        why = f"contains “{gram}”, a label for “{BY_KEY[synonym.key].label}”"
        return _Guess(index, label, synonym.key, CONTAINED, why, bare=synonym.bare)
    return _Guess(index, label, None, 0.0, "not a field this product keeps")


def _from_synonym(
    index: int, label: str, form: str, synonym: Synonym, confidence: float, table: SynonymTable, note: str
) -> _Guess:
    if synonym.key is None:
        return _Guess(index, label, None, confidence, "numbers the rows")
    field_label = BY_KEY[synonym.key].label
    with_brackets, without_brackets = written_forms(label)
    languages = synonym.spellings.get(with_brackets) or synonym.spellings.get(without_brackets, ())
    own = "" in languages
    if own:
        why = f"this product's own label for “{field_label}”"
    elif languages:
        why = f"{_language_names(languages, table)} label for “{field_label}”"
    else:  # known once folded: "ТЕЛЕФОН:", "e-mail"
        why = f"a label for “{field_label}”"
    yields_to = table.yields.get(form)
    if synonym.bare or yields_to:
        confidence = min(confidence, WEAK)  # a clearer column for the same field wins
    return _Guess(index, label, synonym.key, confidence, why + note, synonym.bare, own, yields_to=yields_to)


def _language_names(codes: tuple[str, ...], table: SynonymTable) -> str:
    names = [table.languages[code] for code in codes]
    if len(names) > 3:
        return ", ".join(names[:3]) + " …"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _contained(text: str, table: SynonymTable) -> tuple[str, Synonym] | None:
    """The known label inside a longer one: "MEP's political group". Prefers a field word over
    "name", then the last one (heads come last in English: "company phone"), then the longest."""
    words = text.split()
    best: tuple[tuple, str, Synonym] | None = None
    for size in range(min(len(words), table.longest), 0, -1):
        for start in range(len(words) - size + 1):
            gram = " ".join(words[start : start + size])
            synonym = table.exact.get(gram)
            if synonym and synonym.key and len(gram) >= 3:
                rank = (not synonym.bare, start + size, size)
                if best is None or rank > best[0]:
                    best = (rank, gram, synonym)
    return (best[1], best[2]) if best else None


def _settle_bare_names(guesses: list[_Guess]) -> None:
    keys = {guess.key for guess in guesses if not guess.bare}
    for guess in guesses:
        if not guess.bare or guess.key != "full_name":
            continue
        if "given_name" in keys and "family_name" not in keys:
            guess.key, guess.why = "family_name", f"“{guess.label}” beside a first-name column: the surname"
        elif "family_name" in keys and "given_name" not in keys:
            guess.key, guess.why = "given_name", f"“{guess.label}” beside a surname column: the first name"


def _settle_ids(guesses: list[_Guess]) -> None:
    """A bare "ID" updates people only in this product's own export; elsewhere it is the list's own id."""
    own_export = is_own_export(sum(guess.own for guess in guesses), sum(bool(guess.label.strip()) for guess in guesses))
    for guess in guesses:
        if guess.key == "id" and not guess.from_preset and not own_export:
            guess.key, guess.confidence = "external_id", GUESSED_ID
            guess.why = "an id, but this is not this product's export: taken as the list's own id"


def _settle_duplicates(guesses: list[_Guess], table: SynonymTable) -> None:
    taken: dict[str, _Guess] = {}
    for guess in sorted(guesses, key=lambda guess: (-guess.confidence, guess.index)):
        if guess.key is None:
            continue
        first = taken.setdefault(guess.key, guess)
        if first is guess:
            continue
        label, where = BY_KEY[guess.key].label, f"column {column_letter(first.index)}"
        if guess.key in table.second:
            other = table.second[guess.key]
            if other == guess.key:
                guess.why += f"; joined with {where}"
            else:
                guess.key, guess.why = (
                    other,
                    f"a second “{label}” column ({where} is the first): “{BY_KEY[other].label}”",
                )
                taken.setdefault(other, guess)
        elif guess.yields_to and guess.yields_to not in taken:
            guess.key, guess.why = guess.yields_to, f"beside “{label}” in {where}: “{BY_KEY[guess.yields_to].label}”"
            taken[guess.key] = guess
        else:
            guess.key, guess.confidence = None, 0.0
            guess.why = f"a second “{label}” column; {where} (“{first.label}”) is used"
