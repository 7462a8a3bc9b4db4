"""The rules for single values every entry point shares: email, phone, URL, country, language, tags.

The person and organisation forms, the import, the CLI and the demo all go through these, so what
one accepts the others accept: "Deutschland", "Allemagne", "Германия" and "DEU" are Germany
wherever they are typed. The import's cleaners (crm/imports/clean/) only add what a
spreadsheet cell needs on top: several values in one cell, "mailto:" links, a problem list.
"""

from __future__ import annotations

import gettext
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pycountry
import yaml
from email_validator import EmailNotValidError, validate_email

from crm.folding import plain_fold, sound_fold
from crm.phones import NotAPhoneNumber, read_phone

DATA = Path(__file__).parent / "data"


@cache
def load_yaml(path: Path) -> Any:
    """A data file shipped with the code, parsed once."""
    with path.open(encoding="utf-8") as stream:
        return yaml.load(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def load_table(name: str) -> Any:
    """A table from crm/data."""
    return load_yaml(DATA / name)


@lru_cache(maxsize=8192)  # the same country or group is written thousands of times in one file
def fold_key(text: str) -> str:
    """Letters and digits only, folded to ASCII: how the name tables are looked up loosely."""
    return re.sub(r"[^a-z0-9]", "", plain_fold(text.replace("&", " and ")))


# --- Email ------------------------------------------------------------------------------------


def normalise_email(value: str) -> str:
    """Trimmed, lower-cased and syntax-checked; raises ValueError with the reason."""
    address = "".join(value.split()).lower()
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValueError(f"“{value.strip()}” is not a valid email address: {error}") from None
    return address


# --- Phone ------------------------------------------------------------------------------------


def normalise_phone(value: str) -> str:
    """One line of spaces, as typed; raises ValueError unless it holds a phone number.

    A phone number is what the import reads as one (crm.phones.read_phone): a label, words
    after it and an extension may come with it, three digits at least. The import stores it
    in E.164; the form keeps it as typed, as it always has."""
    number = " ".join(value.split())
    try:
        read_phone(number, None)
    except NotAPhoneNumber:
        raise ValueError(f"“{number}” does not look like a phone number.") from None
    return number


def phone_digits(number: str) -> str:
    """What makes two phone numbers the same: their digits, whatever the spaces, dots and brackets."""
    return "".join(ch for ch in number if ch.isdigit())


# --- URL --------------------------------------------------------------------------------------


def is_web_link(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def normalise_url(value: str | None, *, add_scheme: bool = False) -> str | None:
    """The link trimmed, None when blank; raises ValueError unless it starts with http:// or https://.

    `add_scheme` puts "https://" before an address typed without one ("www.coe.int")."""
    url = (value or "").strip()
    if not url:
        return None
    if add_scheme and "://" not in url:
        url = "https://" + url
    if not is_web_link(url):
        raise ValueError("A link starts with http:// or https://.")
    return url


def same_site_path(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: a link must not send anyone elsewhere.
    Browsers read a backslash as a slash, so "/\\evil.example" is another site too."""
    if not target or "\\" in target or not target.startswith("/") or target.startswith("//"):
        return None
    return target if urlsplit(target).netloc == "" else None


def link_field(value: str | None, errors: dict[str, list[str]], field: str = "url") -> str:
    """A form's link checked as `normalise_url` does: "" when blank, and when bad "" with the reason
    added to `errors` under `field`, so a service reports it with the form's other mistakes."""
    try:
        return normalise_url(value) or ""
    except ValueError as error:
        errors[field] = [str(error)]
        return ""


# --- Countries and languages, named in any language -------------------------------------------

# The languages of the Council of Europe's member states and observers we meet, and of
# Central Asia (the cases this CRM follows). Catalogues missing from a pycountry release are skipped.
LOCALES = (
    *("bg", "cs", "da", "de", "el", "es", "et", "fi", "fr", "ga", "hr", "hu", "it", "lt", "lv", "mt"),
    *("nl", "pl", "pt", "ro", "sk", "sl", "sv", "sq", "hy", "az", "bs", "ka", "is", "mk", "sr", "sr@latin"),
    *("tr", "uk", "ru", "nb_NO", "nn", "ca", "be", "kk", "ky", "uz", "tg", "tk", "eu", "gl", "cy"),
)

# Names staff actually type that ISO spells differently.
_TYPED_COUNTRY_NAMES = {
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "czechia": "CZ",
    "russia": "RU",
    "moldova": "MD",
    "kosovo": "XK",
    "xk": "XK",  # not in ISO 3166 yet, but the code everyone uses
    "turkey": "TR",
    "holland": "NL",
}


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
    trusted: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            if value := getattr(country, attr, None):
                trusted[fold_key(value)] = country.alpha_2
    trusted.update((fold_key(name), code) for name, code in _TYPED_COUNTRY_NAMES.items())
    trusted["el"] = "GR"  # the EU's code for Greece
    for code, names in load_table("countries.yaml")["aliases"].items():
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


def normalise_country(value: str | None) -> str | None:
    """ISO 3166 alpha-2 code for a code or a name in any language; None when blank.

    Raises ValueError for anything that is not a country."""
    if not value or not value.strip():
        return None
    code = country_code(value.strip())
    if not code:
        raise ValueError(f"“{value.strip()}” is not a known country (use a name or an ISO code such as KZ).")
    return code


@lru_cache(maxsize=1)
def country_choices() -> list[tuple[str, str]]:
    return sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda pair: pair[1])


def country_name(code: str | None) -> str:
    if not code:
        return ""
    if code == "XK":
        return "Kosovo"
    country = pycountry.countries.get(alpha_2=code)
    return country.name if country else code


def postcode_digits(country: str) -> int | None:
    """How many digits the country's postcodes have, where that is fixed."""
    return load_table("countries.yaml")["postcode_digits"].get(country)


_LANGUAGE_WORDS = re.compile(r"\b(?:language|langue|sprache|язык|język|jazyk|lingua|idioma|taal)\b", re.IGNORECASE)


@cache
def _language_tables() -> tuple[dict[str, str], dict[str, str]]:
    languages = [lang for lang in pycountry.languages if hasattr(lang, "alpha_2")]
    trusted: dict[str, str] = {}
    for lang in languages:
        for name in (lang.alpha_2, lang.alpha_3, getattr(lang, "bibliographic", None), lang.name):
            if name:
                trusted[fold_key(name)] = lang.alpha_2
    for code, names in load_table("languages.yaml")["aliases"].items():
        trusted.update((fold_key(name), code) for name in names)
    # Names in each language ("Deutsch", "allemand", "немецкий", "niemiecki") include every endonym.
    translated = [
        (catalogue.gettext(lang.name), lang.alpha_2) for catalogue in _translations("iso639-3") for lang in languages
    ]
    return _build(trusted, translated)


def _pycountry_language(value: str) -> str | None:
    lang = pycountry.languages.get(alpha_2=value.lower()) if len(value) == 2 else None
    if lang is None:
        try:
            lang = pycountry.languages.lookup(value)
        except LookupError:
            return None
    return getattr(lang, "alpha_2", None)


@lru_cache(maxsize=2048)
def language_code(text: str) -> str | None:
    """ISO 639-1 code of a language named in any language, or of an ISO 639 code; None if unknown."""
    exact, by_sound = _language_tables()
    named = _LANGUAGE_WORDS.sub("", text).strip()
    key = fold_key(named)
    code = exact.get(key) or (by_sound.get(sound_fold(key)) if len(key) > 3 else None)
    if code is None and named:
        # pycountry's own lookup knows a few more spellings ("Greek, Modern (1453-)"), and ISO's
        # own names, some of which hold the word "Language" ("Interlingua (International ...)")
        code = _pycountry_language(named) or _pycountry_language(text.strip())
    return code


def normalise_languages(values: list[str] | str) -> list[str]:
    """ISO 639-1 codes from codes or names in any language; raises ValueError naming the unknown ones."""
    if isinstance(values, str):
        values = values.replace(";", ",").split(",")
    codes: list[str] = []
    unknown: list[str] = []
    for raw in values:
        value = raw.strip()
        if not value:
            continue
        code = language_code(value)
        if code is None:
            unknown.append(value)
        elif code not in codes:
            codes.append(code)
    if unknown:
        raise ValueError(f"Unknown language: {', '.join(unknown)}.")
    return codes


def language_names(codes: str) -> str:
    names = []
    for code in filter(None, codes.split(",")):
        lang = pycountry.languages.get(alpha_2=code)
        names.append(lang.name if lang else code)
    return ", ".join(names)


# --- Tags -------------------------------------------------------------------------------------


def parse_tags(values: list[str] | str) -> list[str]:
    """Tag names, each on one line of single spaces, cut to the 60 characters a tag name holds,
    once each whatever the case. Cut before comparing: two names that differ after the 60th
    character are one tag."""
    if isinstance(values, str):
        values = values.split(",")
    seen: dict[str, str] = {}
    for value in values:
        name = " ".join(value.split())[:60].rstrip()
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())
