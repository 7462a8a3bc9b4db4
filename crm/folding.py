"""Fold names for search and matching: case, diacritics and script insensitive.

Two folds are stored side by side and a query matches either:
- `plain_fold`: transliterated to ASCII and lower-cased ("Zdechovský" -> "zdechovsky",
  "Джакишев" -> "dzhakishev"); a prefix typed so far always matches it.
- `sound_fold`: `plain_fold` with transliteration variants collapsed, so the
  English, French and German spellings of one Cyrillic name meet ("Djakishev",
  "Dzhakishev", "Dschakischew" -> "djakishev").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

_NON_WORD = re.compile(r"[^a-z0-9@._&/\-]+")  # keeps "S&D", "Greens/EFA", emails
_DOUBLES = re.compile(r"([a-z])\1+")

# Order matters: longer spellings first so "dzh" is not read as "d" + "zh".
_SOUND_RULES: tuple[tuple[str, str], ...] = (
    ("tsch", "ch"),
    ("dzh", "dj"),
    ("dsch", "dj"),
    ("sch", "sh"),
    ("tch", "ch"),
    ("zh", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("ck", "k"),
    ("ou", "u"),
    ("w", "v"),
    ("y", "i"),
    ("x", "ks"),
)
_SOUND_PATTERN = re.compile("|".join(re.escape(src) for src, _ in _SOUND_RULES))
_SOUND_MAP = dict(_SOUND_RULES)


@lru_cache(maxsize=16384)  # names, groups and countries repeat down a list: fold each once
def plain_fold(text: str | None) -> str:
    """Lower-case ASCII words separated by single spaces."""
    if not text:
        return ""
    if not text.isascii():  # anyascii walks the text in Python; most names and every email are ASCII
        text = anyascii(unicodedata.normalize("NFKC", text))
    return " ".join(_NON_WORD.split(text.lower())).strip()


@lru_cache(maxsize=16384)
def _sound_word(word: str) -> str:
    if "@" in word:  # an email address is matched as typed
        return word
    word = _SOUND_PATTERN.sub(lambda match: _SOUND_MAP[match.group(0)], word)
    # Trailing "-ev"/"-ew"/"-eff" and doubled letters vary between transliterations.
    word = re.sub(r"(ev|eff|ew)$", "ev", word)
    word = re.sub(r"(ii|ij)$", "i", word)  # Russian -ий: -y, -i, -ii, -iy
    return _DOUBLES.sub(r"\1", word)


def sound_fold(text: str | None) -> str:
    return " ".join(_sound_word(word) for word in plain_fold(text).split())


def search_document(*parts: str | None) -> str:
    """The stored search text: both folds of every part, deduplicated words."""
    words: list[str] = []
    seen: set[str] = set()
    for part in parts:
        for word in (plain_fold(part) + " " + sound_fold(part)).split():
            if word not in seen:
                seen.add(word)
                words.append(word)
    return " " + " ".join(words) + " "


def query_terms(query: str | None) -> list[tuple[str, str]]:
    """Each query word as (plain, sound); a record must match every word."""
    return [(plain_fold(word), sound_fold(word)) for word in plain_fold(query).split()]


def transliterate(text: str) -> str:
    """`text` in Latin letters, as the folds read it (anyascii), case kept: "Джакишев" -> "Dzhakishev".
    The apostrophes anyascii writes for the soft and hard signs are left out, as passports do:
    "Ольга" -> "Olga", not "Ol'ga"."""
    if text.isascii():
        return text
    return anyascii(unicodedata.normalize("NFKC", text)).translate(_SIGNS)


_SIGNS = {ord("'"): None}


def sort_key(*parts: str | None) -> str:
    return plain_fold(" ".join(part for part in parts if part))[:200]
