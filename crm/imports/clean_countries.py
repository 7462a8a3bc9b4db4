"""Countries and languages in any language → ISO codes.

The tables grow out of what the person form already accepts (`crm.contacts.values`: English
names, ISO codes, the names staff type), extended with the names in the languages of the
Council of Europe from pycountry's bundled gettext catalogues, and the usual names in
data/countries.yaml. Lookups ignore case, accents, script, spaces and punctuation, so
"Deutschland", "Allemagne", "Германия", "Niemcy" and "DEU" all give DE.
"""

from __future__ import annotations

import gettext
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

import pycountry

from crm.contacts.values import known_country_names, normalise_languages
from crm.folding import sound_fold
from crm.imports.clean_text import ERROR, Problem, as_text, fold_key, load_data, split_list

# The languages of the Council of Europe's member states and observers we meet, and of
# Central Asia (the cases this CRM follows). Catalogues missing from a pycountry release are skipped.
LOCALES = (
    *("bg", "cs", "da", "de", "el", "es", "et", "fi", "fr", "ga", "hr", "hu", "it", "lt", "lv", "mt"),
    *("nl", "pl", "pt", "ro", "sk", "sl", "sv", "sq", "hy", "az", "bs", "ka", "is", "mk", "sr", "sr@latin"),
    *("tr", "uk", "ru", "nb_NO", "nn", "ca", "be", "kk", "ky", "uz", "tg", "tk", "eu", "gl", "cy"),
)


def _translations(domain: str) -> Iterable[gettext.GNUTranslations]:
    for locale in LOCALES:
        path = Path(pycountry.LOCALES_DIR) / locale / "LC_MESSAGES" / f"{domain}.mo"
        if path.exists():
            with path.open("rb") as stream:
                yield gettext.GNUTranslations(stream)


def _build(trusted: dict[str, str], translated: Iterable[tuple[str, str]]) -> tuple[dict[str, str], dict[str, str]]:
    """(exact, by sound) tables. A translated name that means two things in two languages (the
    catalogues have a few slips) goes to the majority, and is dropped on a tie; trusted names win."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for name, code in translated:
        votes[fold_key(name)][code] += 1
    exact: dict[str, str] = {}
    for key, counter in votes.items():
        (code, count), *rest = counter.most_common(2)
        if not rest or rest[0][1] < count:
            exact[key] = code
    exact.update(trusted)
    # Transliteration variants ("Rossija", "Rossiya") meet in the sound fold; ambiguous ones are dropped.
    sounds: dict[str, set[str]] = defaultdict(set)
    for key, code in exact.items():
        if len(key) > 3:  # codes are matched exactly, never by sound
            sounds[sound_fold(key)].add(code)
    by_sound = {key: codes.pop() for key, codes in sounds.items() if len(codes) == 1}
    return exact, by_sound


@cache
def _country_tables() -> tuple[dict[str, str], dict[str, str]]:
    # Start from the form's own table, so the form and the import agree on what they accept.
    trusted = {fold_key(name): code for name, code in known_country_names().items()}
    trusted["el"] = "GR"  # the EU's code for Greece
    for code, names in load_data("countries.yaml")["aliases"].items():
        trusted.update((fold_key(name), code) for name in names)
    translated = [
        (catalogue.gettext(name), country.alpha_2)
        for catalogue in _translations("iso3166-1")
        for country in pycountry.countries
        for name in {country.name, getattr(country, "official_name", None), getattr(country, "common_name", None)}
        if name
    ]
    return _build(trusted, translated)


# "Russia (Russian Federation)", "Germany / Deutschland", "Kosovo*": try the parts too.
_PARTS = re.compile(r"\s*[(/)]\s*")


@lru_cache(maxsize=4096)
def country_code(text: str) -> str | None:
    """ISO 3166 alpha-2 code of a country name in any language, or of an ISO-2/ISO-3 code; None if unknown."""
    exact, by_sound = _country_tables()
    key = fold_key(text)
    code = exact.get(key)
    if code is None and len(key) > 3:
        code = by_sound.get(sound_fold(key))
    if code is None and _PARTS.search(text):
        for part in _PARTS.split(text):
            if part and part != text and (code := country_code(part)):
                break
    return code


def clean_country(value: object, field: str, problems: list[Problem]) -> str | None:
    text = as_text(value)
    if text is None:
        return None
    code = country_code(text)
    if code is None:
        problems.append(Problem(field, f"“{text}” is not a country we recognise, so the country is left empty."))
    return code


@cache
def _postcode_digits() -> dict[str, int]:
    return load_data("countries.yaml")["postcode_digits"]


def clean_postcode(value: object, country: str | None, field: str, problems: list[Problem]) -> str | None:
    text = as_text(value)
    if text is None:
        return None
    # A postcode stored as a number lost its leading zeros: Dresden 01067 became 1067.
    if isinstance(value, int | float) and text.isdigit() and country:
        digits = _postcode_digits().get(country)
        if digits and len(text) < digits:
            text = text.zfill(digits)
    return text


# --- Languages ------------------------------------------------------------------------------

_LANGUAGE_WORDS = re.compile(r"\b(?:language|langue|sprache|язык|język|jazyk|lingua|idioma|taal)\b", re.IGNORECASE)


@cache
def _language_tables() -> tuple[dict[str, str], dict[str, str]]:
    languages = [lang for lang in pycountry.languages if hasattr(lang, "alpha_2")]
    trusted: dict[str, str] = {}
    for lang in languages:
        for name in (lang.alpha_2, lang.alpha_3, getattr(lang, "bibliographic", None), lang.name):
            if name:
                trusted[fold_key(name)] = lang.alpha_2
    for code, names in load_data("languages.yaml")["aliases"].items():
        trusted.update((fold_key(name), code) for name in names)
    # Names in each language ("Deutsch", "allemand", "немецкий", "niemiecki") include every endonym.
    translated = [
        (catalogue.gettext(lang.name), lang.alpha_2) for catalogue in _translations("iso639-3") for lang in languages
    ]
    return _build(trusted, translated)


@lru_cache(maxsize=2048)
def language_code(text: str) -> str | None:
    """ISO 639-1 code of a language named in any language, or of an ISO 639 code; None if unknown."""
    exact, by_sound = _language_tables()
    text = _LANGUAGE_WORDS.sub("", text).strip()
    key = fold_key(text)
    code = exact.get(key) or (by_sound.get(sound_fold(key)) if len(key) > 3 else None)
    if code is None and text:
        try:  # pycountry's own lookup knows a few more spellings ("Greek, Modern (1453-)")
            code = (normalise_languages([text]) or [None])[0]
        except ValueError:
            code = None
    return code


_CODE_LIST = re.compile(r"^[A-Za-z]{2,3}(?:\s+[A-Za-z]{2,3})+$")  # "EN FR DE"


def clean_languages(value: object, field: str, problems: list[Problem]) -> list[str]:
    codes: list[str] = []
    unknown: list[str] = []
    for part in split_list(value):
        pieces = part.split() if _CODE_LIST.match(part) else part.split("/")
        for piece in pieces:
            code = language_code(piece.strip())
            if code is None:
                unknown.append(piece.strip())
            elif code not in codes:
                codes.append(code)
    if unknown:
        listed = ", ".join(f"“{name}”" for name in unknown)
        if len(unknown) == 1:
            message = f"{listed} is not a language we recognise."
        else:
            message = f"{listed} are not languages we recognise."
        problems.append(Problem(field, message, ERROR))
    return codes
