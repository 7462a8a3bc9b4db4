"""Person names → honorific, given name, patronymic, family name and the name in its own script.

Lists write one person many ways: "DZHAKISHEV Mukhtar" (the European Parliament's and PACE's
style: the family name in capitals), "Mukhtar DZHAKISHEV", "Dzhakishev, Mukhtar",
"Mr Mukhtar Dzhakishev", "Мухтар Мирзакимович Джакишев", "Prof. Dr. h.c. Hans Müller, MdEP".
Capitals are the strongest clue to the family name, then a comma, then particles
("von der Leyen") and patronymic endings; without any clue the last word is the family name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from crm.imports.clean.text import as_text, load_data
from crm.imports.results import ERROR, WARNING, Problem
from crm.spreadsheets.safe import FORMULA_STARTS, restore


class NameParts(NamedTuple):  # a tuple: made once per row, and a frozen dataclass is slow to build
    honorific: str = ""
    given: str = ""
    patronymic: str = ""
    family: str = ""
    native: str = ""  # the name as written, when it is not in Latin letters


@dataclass(frozen=True)
class _Words:
    honorifics: dict[str, str]  # key → spelling to write
    suffixes: dict[str, str]  # allowed only after another honorific
    multi_first: frozenset[str]  # first keys of honorifics of several words ("his", "rt")
    starts: frozenset[str]  # every key an honorific can start with: most names start with none
    post_nominals: frozenset[str]
    post_nominals_after_comma: frozenset[str]
    particles: frozenset[str]
    patronymic_endings: tuple[str, ...]


def _key(word: str) -> str:
    return word.lower().rstrip(".,")


def _phrase_key(phrase: str) -> str:
    return " ".join(_key(word) for word in phrase.split())


@cache
def _words() -> _Words:
    data = load_data("names.yaml")
    honorifics: dict[str, str] = {}
    for spelling, aliases in data["honorifics"].items():
        for alias in (spelling, *aliases):
            honorifics[_phrase_key(alias)] = spelling
    suffixes = {_phrase_key(suffix): suffix for suffix in data["honorific_suffixes"]}
    multi_first = frozenset(key.split()[0] for key in (*honorifics, *suffixes) if " " in key)
    post = {_key(word): word for word in data["post_nominals"]}
    return _Words(
        honorifics=honorifics,
        suffixes=suffixes,
        multi_first=multi_first,
        starts=frozenset(honorifics) | multi_first,
        post_nominals=frozenset(key for key, word in post.items() if len(word.rstrip(".")) > 2),
        post_nominals_after_comma=frozenset(post),
        particles=frozenset(data["particles"]),
        patronymic_endings=tuple(data["patronymic_endings"]),
    )


def _spell(spelling: str, typed: str) -> str:
    # Follow the file for a final dot ("Dr." stays, "DR" becomes "Dr"), unless the spelling
    # has dots inside ("H.E.", "Sig.ra") or is several words.
    if " " in spelling or "." in spelling[:-1]:
        return spelling
    return spelling.rstrip(".") + ("." if typed.endswith(".") else "")


def take_honorifics(tokens: list[str]) -> tuple[str, list[str]]:
    """The honorifics at the start of `tokens`, written canonically, and the words after them.

    At least one word is left: "Sir" alone is a name, not a title."""
    words = _words()
    if len(tokens) < 2 or _key(tokens[0]) not in words.starts:
        return "", tokens
    found: list[str] = []
    index = 0
    while index < len(tokens) - 1:
        first = _key(tokens[index])
        widths = (3, 2, 1) if first in words.multi_first else (1,)
        for width in widths:
            if index + width > len(tokens) - 1:
                continue
            key = first if width == 1 else " ".join(_key(token) for token in tokens[index : index + width])
            spelling = words.honorifics.get(key) or (words.suffixes.get(key) if found else None)
            if spelling:
                typed = " ".join(tokens[index : index + width])
                found.append(_spell(spelling, typed))
                index += width
                break
        else:
            break
    return " ".join(found), tokens[index:]


def canonical_honorific(text: str) -> str:
    """An honorific column: known words spelled canonically, the rest kept as typed."""
    spelled, rest = take_honorifics([*text.split(), ""])
    rest = [word for word in rest if word]
    return " ".join(part for part in (spelled, *rest) if part)


def _drop_post_nominals(tokens: list[str]) -> list[str]:
    post = _words().post_nominals
    if not tokens or (tokens[-1][-1] != "," and _key(tokens[-1]) not in post):
        return tokens
    while len(tokens) > 1 and _key(tokens[-1]) in post:
        tokens = tokens[:-1]
    if tokens and tokens[-1].endswith(","):
        tokens = [*tokens[:-1], tokens[-1].rstrip(",")]
    return tokens


def _is_caps(token: str) -> bool:
    # "J." is an initial, not a family name in capitals.
    return token.isupper() and len(token.strip(".-'’")) > 1


def is_patronymic(token: str) -> bool:
    lower = token.lower()
    return len(lower) > 5 and lower.endswith(_words().patronymic_endings)


_PIECES = re.compile(r"([-'’])")


def _recase_word(word: str, particles: frozenset[str]) -> str:
    lower = word.lower()
    if lower in particles:
        return lower
    pieces = _PIECES.split(lower)
    for index in range(0, len(pieces), 2):
        piece = pieces[index]
        if piece.startswith("mc") and len(piece) > 3:  # McGuinness
            pieces[index] = "Mc" + piece[2:].capitalize()
        else:
            pieces[index] = piece.capitalize()
    return "".join(pieces)


def recase(text: str) -> str:
    """Words written all in capitals, or a name all in small letters, as names are written:
    "DE SARNEZ" and "de SARNEZ" → "de Sarnez", "o'sullivan" → "O'Sullivan". Particles stay
    small: the family name follows the given name when shown. Mixed case is left alone."""
    if not text or text.istitle():
        return text
    words = text.split()
    if len(words) == 1:
        return _recase_word(text, frozenset()) if text.isupper() or text.islower() else text
    particles = _words().particles
    if text.isupper() or text.islower():
        return " ".join(_recase_word(word, particles) for word in words)
    return " ".join(_recase_word(word, particles) if _is_caps(word) else word for word in words)


def _family_start(tokens: list[str]) -> int:
    """Where the family name starts when nothing is in capitals: a particle run followed by
    one last word ("Ursula von der Leyen"), else the last word. "Maria da Graça Carvalho" keeps
    "da" in the given names, as two words follow it."""
    particles = _words().particles
    for index in range(1, len(tokens) - 1):
        if tokens[index].lower() in particles:
            end = index
            while end < len(tokens) and tokens[end].lower() in particles:
                end += 1
            if end == len(tokens) - 1:
                return index
            break
    return len(tokens) - 1


def _parts(honorific: str, family: list[str], given: list[str], patronymic: list[str] | None = None) -> NameParts:
    if patronymic is None:
        patronymic = []
        if len(given) > 1 and is_patronymic(given[-1]):
            given, patronymic = given[:-1], given[-1:]
    return NameParts(
        honorific,
        recase(" ".join(given)) if given else "",
        recase(" ".join(patronymic)) if patronymic else "",
        recase(" ".join(family)),
    )


def _split_words(tokens: list[str], honorific: str) -> NameParts:
    if not tokens:  # the cell held only commas
        return NameParts(honorific)
    if len(tokens) == 1 or tokens[0] in _words().particles:  # "von der Leyen" alone is a family name
        return _parts(honorific, tokens, [])
    caps = [_is_caps(token) for token in tokens]
    if any(caps) and not all(caps):
        lead = caps.index(False)
        if lead and not any(caps[lead:]):  # "DZHAKISHEV Mukhtar"
            return _parts(honorific, tokens[:lead], tokens[lead:])
        trail = caps[::-1].index(False)
        if trail and not any(caps[:-trail]):  # "Mukhtar DZHAKISHEV", "Marielle de SARNEZ"
            start = len(tokens) - trail
            while start > 1 and tokens[start - 1] in _words().particles:
                start -= 1
            return _parts(honorific, tokens[start:], tokens[:start])
    if len(tokens) == 3:
        if is_patronymic(tokens[1]):  # Мухтар Мирзакимович Джакишев
            return _parts(honorific, tokens[2:], tokens[:1], tokens[1:2])
        if is_patronymic(tokens[2]):  # Джакишев Мухтар Мирзакимович, the Russian official order
            return _parts(honorific, tokens[:1], tokens[1:2], tokens[2:])
    start = _family_start(tokens)
    return _parts(honorific, tokens[start:], tokens[:start])


def _is_post_nominal_part(part: str) -> bool:
    words = _words()
    return all(_key(token) in words.post_nominals_after_comma for token in part.split())


_NON_LATIN = re.compile(r"[^\u0000-\u02ff\u1e00-\u1eff\u2000-\u206f]")
_NATIVE_IN_PARENS = re.compile(r"^(.+?)\s*\(([^()]+)\)$")


def is_latin(text: str) -> bool:
    return text.isascii() or not _NON_LATIN.search(text)


def split_full_name(text: str) -> NameParts:
    """One "full name" cell → its parts; `text` is already tidied (crm.imports.clean.text.tidy)."""
    native = ""
    match = _NATIVE_IN_PARENS.match(text) if text.endswith(")") else None
    if match and is_latin(match[1]) and not is_latin(match[2]):  # "Mukhtar Dzhakishev (Мухтар Джакишев)"
        text, native = match[1], match[2]
    if "," in text:
        pieces = [piece.strip() for piece in text.split(",") if piece.strip()]
        while len(pieces) > 1 and _is_post_nominal_part(pieces[-1]):  # "Ward, Julie, MEP"
            pieces.pop()
        trailing_honorific = ""
        if len(pieces) == 3:  # "Dzhakishev, Mukhtar, Dr"
            spelled, rest = take_honorifics([*pieces[2].split(), ""])
            if spelled and rest == [""]:
                trailing_honorific = spelled
                pieces.pop()
        if len(pieces) == 2:  # "Dzhakishev, Mukhtar", "Dzhakishev, Mr Mukhtar"
            honorific_family, family = take_honorifics(pieces[0].split())
            honorific_given, given = take_honorifics(_drop_post_nominals(pieces[1].split()))
            honorific = " ".join(h for h in (honorific_family, honorific_given, trailing_honorific) if h)
            parts = _parts(honorific, family, given)
            return _with_native(parts, native)
        text = " ".join(pieces)
    honorific, tokens = take_honorifics(text.split())
    parts = _split_words(_drop_post_nominals(tokens), honorific)
    return parts if not native and is_latin(text) else _with_native(parts, native)


def _with_native(parts: NameParts, native: str) -> NameParts:
    if not native:
        written = " ".join(part for part in (parts.given, parts.patronymic, parts.family) if part)
        if is_latin(written):
            return parts
        native = written
    return NameParts(parts.honorific, parts.given, parts.patronymic, parts.family, native)


def clean_person_name(columns: dict[str, object], problems: list[Problem]) -> NameParts:
    """The name cells of one row, by field key (full_name, given_name, family_name, patronymic,
    honorific; those not mapped left out) → its parts. Separate columns win over a full name;
    a full name fills in only what they leave empty."""
    if len(columns) == 1 and "full_name" in columns:  # the usual case, kept short
        full_text = _name_text(columns["full_name"], "full_name", problems)
        return split_full_name(full_text) if full_text else NameParts()
    get = columns.get
    full_text = _name_text(get("full_name"), "full_name", problems)
    given_text = _name_text(get("given_name"), "given_name", problems)
    family_text = _name_text(get("family_name"), "family_name", problems)
    patronymic_text = _name_text(get("patronymic"), "patronymic", problems)
    honorific_text = _name_text(get("honorific"), "honorific", problems)
    if not (given_text or family_text or patronymic_text or honorific_text):
        return split_full_name(full_text) if full_text else NameParts()
    parts = split_full_name(full_text) if full_text else NameParts()
    if family_text and not given_text and not full_text and "," in family_text:  # "Dzhakishev, Mukhtar"
        parts, family_text = split_full_name(family_text), None
    honorific_out = canonical_honorific(honorific_text) if honorific_text else parts.honorific
    patronymic_out = recase(patronymic_text) if patronymic_text else parts.patronymic
    given_out = parts.given
    if given_text:
        spelled, words = take_honorifics(given_text.split())  # "Mr Mukhtar"
        honorific_out = honorific_out or spelled
        if not patronymic_out and len(words) > 1 and is_patronymic(words[-1]):  # "Mukhtar Mirzakimovich"
            words, patronymic_out = words[:-1], recase(words[-1])
        given_out = recase(" ".join(words))
    family_out = recase(" ".join(_drop_post_nominals(family_text.split()))) if family_text else parts.family
    return _with_native(NameParts(honorific_out, given_out, patronymic_out, family_out), parts.native)


_DIGIT = re.compile(r"\d")


def _name_text(value: object, field: str, problems: list[Problem]) -> str | None:
    if value is None:
        return None
    text = as_text(value)
    if text is None:
        return None
    first = text[0]
    if first in FORMULA_STARTS:  # "=HYPERLINK(…)", "+Smith", "@Smith": a formula's text, never a name
        message = f"“{_quoted(text)}” starts with {first}, so it looks like a spreadsheet formula, not a name."
        problems.append(Problem(field, message, ERROR))
        return None
    if first == "'" and (restored := restore(text)) != text:
        # Our own export (and error file) guard such a cell with an apostrophe: the name is
        # already someone's here, so it comes back as written, with a word about it.
        problems.append(
            Problem(
                field,
                f"“{_quoted(restored)}” starts with {restored[0]}, as a spreadsheet formula does; "
                "it is kept as written: check the name.",
                WARNING,
            )
        )
        return restored
    if "@" in text:
        problems.append(Problem(field, f"“{text}” is an email address, not a name.", ERROR))
        return None
    if _DIGIT.search(text):
        problems.append(Problem(field, f"“{text}” has digits in it; check the name.", WARNING))
    return text


def _quoted(text: str) -> str:
    return text if len(text) <= 50 else text[:50] + "…"
