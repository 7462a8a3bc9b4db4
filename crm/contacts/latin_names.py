"""A person known only by a Cyrillic name gets a Latin one, so that lists sort and letters read
in Latin script.

The model: the name fields (given name, patronymic, family name) hold the Latin form, the one
letters, greetings, lists and exports use; the name as written in Cyrillic is kept in
`native_name` (shown as the "other script name"). When the name fields are typed (or imported)
in Cyrillic with no Latin letter among them, they are transliterated as the search reads them
(crm.folding.transliterate) and what was typed moves to `native_name`, unless that already
holds it. The Latin form is an ordinary value afterwards: staff correct it on the person form
("Dzhakishev" to "Jakishev") and it stays as they wrote it.
"""

from __future__ import annotations

from crm.folding import transliterate

_LATIN_END = 0x250  # Basic Latin to Latin Extended-B: "Zdechovský", "Ștefănescu"
_CYRILLIC = range(0x0400, 0x0530)  # Cyrillic and its Supplement: Russian, Ukrainian, Kazakh, Serbian …


def has_latin(text: str) -> bool:
    return any(char.isalpha() and ord(char) < _LATIN_END for char in text)


def has_cyrillic(text: str) -> bool:
    return any(ord(char) in _CYRILLIC for char in text)


def latin_form(given: str, patronymic: str, family: str, native: str) -> tuple[str, str, str, str]:
    """(given, patronymic, family, native) with the name fields in Latin letters when the person
    is known only by a Cyrillic name; anything else as it is."""
    parts = (given, patronymic, family)
    # A name given only in the native-script field is left alone: which word is the family name
    # is unknown there, and letters fall back to it (salutations.person_fields).
    if any(has_latin(part) for part in parts) or not any(has_cyrillic(part) for part in parts):
        return given, patronymic, family, native
    written = " ".join(part for part in parts if part)
    return transliterate(given), transliterate(patronymic), transliterate(family), native or written
