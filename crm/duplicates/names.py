"""Names as comparable tokens.

A name becomes a tuple of (token, role) pairs. Tokens are folded words: ASCII, lower case,
transliteration variants collapsed (crm.folding.sound_fold plus the rules below), so
"Джакишев", "Dzhakishev", "Djakishev", "Jakishev" and "Dschakischew" are one token.
Roles: "g" first given name, "m" a further given name, "p" patronymic, "f" family name,
"n" a word of a name whose order is unknown (native script, or an unsplit full name).
How alike two such names are is crm.duplicates.similarity's job.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TypeVar

from anyascii import anyascii

from crm.folding import sound_fold

Token = tuple[str, str]  # (folded word, role)
T = TypeVar("T")

# Rules on top of sound_fold, for variants it leaves apart. Each pattern is applied in turn.
_EXTRA_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"dj", "j"),  # Djakishev / Jakishev (sound_fold already made "dzh" and "dsch" into "dj")
        (r"q", "k"),  # Kazakh Latin: Qabyluly / Kabyluly
        (r"(?<=[aeiou])i(?=[aeou])", ""),  # iotation after a vowel: Nazarbayev / Nazarbaev, -skaya / -ska
        (r"(?<=[^aeiou])iu", "u"),  # Lyudmila / Ludmila
        (r"(?<=[^aeiou])io(?=[^aeiou])", "e"),  # Fyodor / Fedor, Pyotr / Petr (not a final -io: Antonio)
        (r"^ie", "e"),  # Yerimbetov / Erimbetov, Yevgeny / Evgeny
        (r"(?<=o)f$", "v"),  # Smirnoff / Smirnov
        (r"([a-z])\1+", r"\1"),  # a rule above may have made a double letter
    )
)
# A second, looser spelling used only for fuzzy comparison: French "ch" for Russian "ш",
# German "j" for "y", "z" for "s", "c"/"k".
_LOOSE_RULES = ((re.compile(r"ch"), "sh"), (re.compile(r"[cq]"), "k"), (re.compile(r"j"), "i"), (re.compile(r"z"), "s"))
_APOSTROPHES = dict.fromkeys(map(ord, "'’ʼʹ`´"), None)  # the soft sign comes out of anyascii as "'"
_PARTICLES = frozenset(
    {"van", "von", "de", "der", "den", "di", "da", "del", "della", "dos", "das", "du", "la", "le"}
    | {"ten", "ter", "zu", "af", "al", "el", "bin", "ibn"}
)
_PATRONYMIC = re.compile(r"...(ovich|evich|ich|ovna|evna|ichna|ivna|uli|kizi|ogli)$")  # Abishevich, Qabyluly
# Short forms and other-language forms of given names; each line is one name.
_SHORT_FORMS = """
Alexander Aleksandr Oleksandr Alex Aleks Sasha
Elizabeth Elisabeth Liz Lisa Beth Betty
Katherine Catherine Katharina Katarzyna Katerina Ekaterina Yekaterina Kate Katie Katya Kasia
William Wilhelm Bill Will
Robert Rob Bob
Thomas Tomas Tom
Michael Mikhail Michal Mykhailo Mike Misha
James Jim
Jakub Kuba
Joseph Josef Jozef Joe Pepa
Johannes Hans
Nicholas Nikolai Nikolay Mykola Nick Kolya
Dmitry Dmitri Dmytro Dima
Vladimir Volodymyr Vova Volodya
Natalia Natalya Nataliya Natasha
Yevgeny Evgeny Yevhen Zhenya
Ivan Vanya
Maria Mariya Masha
Dolores Lola
Madeleine Mady
Lyudmila Lyudmyla Lyuda
Igor Ihor
Oleg Oleh
Olga Olha
Peter Petr Pyotr Piotr Pietro Pete
Sergey Sergei Serhiy
Andrey Andrei Andriy Andrew Andy
Yuri Yury Yuriy Iouri Juri Yurii
Anatoly Anatoliy Tolya
Margaret Maggie Meg
Richard Rick Dick
Edward Ed Ted
Christopher Chris
Daniel Dan
Benjamin Ben
Samuel Sam
Matthew Matt
Stephen Steven Steve
Anthony Tony
Jonathan Jon
Susan Sue
Jennifer Jenny
Patrick Pat
"""
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_LATIN_LIMIT = 0x250  # code points above the Latin blocks: another script
_INITIAL_CLASSES = {"y": "i", "j": "i", "c": "k", "q": "k", "z": "s", "g": "h"}


@lru_cache(maxsize=20_000)
def fold_word(word: str) -> str:
    """One plain-folded word in its matching spelling."""
    word = sound_fold(word)
    for pattern, replacement in _EXTRA_RULES:
        word = pattern.sub(replacement, word)
    return word


def canonical_form(word: str) -> str | None:
    """The full form of a folded given name that has short forms: "lola" -> "dolores"."""
    return _CANONICAL.get(word)


def _canonical_forms() -> dict[str, str]:
    forms: dict[str, str] = {}
    for line in _SHORT_FORMS.strip().splitlines():
        words = [fold_word(word.lower()) for word in line.split()]
        for word in words:
            forms.setdefault(word, words[0])
    return forms


_CANONICAL = _canonical_forms()


@lru_cache(maxsize=20_000)
def loose_word(word: str) -> str:
    for pattern, replacement in _LOOSE_RULES:
        word = pattern.sub(replacement, word)
    return word


@lru_cache(maxsize=20_000)
def name_words(text: str) -> tuple[str, ...]:
    """The matching words of a name part: "Zdechovský" -> ("zdechovski",), "Mady Delvaux-Stehres" -> 3 words."""
    # anyascii walks the text in Python: skip it for the many names that are ASCII already.
    ascii_text = text if text.isascii() else anyascii(unicodedata.normalize("NFKC", text))
    words = _NON_ALNUM.split(ascii_text.translate(_APOSTROPHES).lower())
    return tuple(fold_word(word) for word in words if word)


def is_other_script(text: str) -> bool:
    return any(ord(char) >= _LATIN_LIMIT and char.isalpha() for char in text)


def latin_tokens(given: str, patronymic: str, family: str) -> tuple[Token, ...]:
    given_words = name_words(given) if given else ()
    family_words = tuple(w for w in name_words(family) if w not in _PARTICLES) if family else ()
    if not given_words and len(family_words) > 1:
        # "DZHAKISHEV Mukhtar" typed into one box: the order is unknown.
        return unordered_tokens(family)
    tokens: list[Token] = []
    for position, word in enumerate(given_words):
        role = "g" if position == 0 else ("p" if _PATRONYMIC.search(word) else "m")
        tokens.append(shared((word, role)))
    tokens += [shared((word, "p")) for word in (name_words(patronymic) if patronymic else ())]
    tokens += [shared((word, "f")) for word in family_words]
    return shared(tuple(tokens))


def unordered_tokens(text: str) -> tuple[Token, ...]:
    words = [w for w in name_words(text) if w not in _PARTICLES]
    return shared(tuple(shared((word, "p" if len(words) > 2 and _PATRONYMIC.search(word) else "n")) for word in words))


@lru_cache(maxsize=100_000)
def shared(value: T) -> T:
    """The first value seen equal to `value`. An import's index holds 100 000 names made of far
    fewer distinct words, names and organisation lists; a tuple apiece was a fifth of its memory."""
    return value


def initial_class(word: str) -> str:
    """The first letter, with letters that transliterations swap at the start put together."""
    if not word:
        return ""
    # Yuri / Iouri / Juri, Hennadiy / Gennady, Khalid / Halid (already "h"), Zhanna / Janna.
    return _INITIAL_CLASSES.get(word[0], word[0])
