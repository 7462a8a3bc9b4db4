"""Checks and clean-ups for single values: countries, languages, emails, tags."""

from __future__ import annotations

from functools import lru_cache

import pycountry
from email_validator import EmailNotValidError, validate_email

from crm.folding import plain_fold


@lru_cache(maxsize=1)
def country_choices() -> list[tuple[str, str]]:
    return sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda pair: pair[1])


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                names[plain_fold(value)] = country.alpha_2
    # Names staff actually type that ISO spells differently.
    names.update(
        {
            "uk": "GB",
            "great britain": "GB",
            "england": "GB",
            "czechia": "CZ",
            "russia": "RU",
            "moldova": "MD",
            "kosovo": "XK",
            "turkey": "TR",
            "holland": "NL",
        }
    )
    return names


def known_country_names() -> dict[str, str]:
    """Folded name or code → ISO alpha-2: everything `normalise_country` accepts. The import's
    multilingual table (crm.imports.clean_countries) starts from it. Read it, don't change it."""
    return _country_names()


def normalise_country(value: str | None) -> str | None:
    """ISO 3166 alpha-2 code for a code or an English name; None when blank.

    Raises ValueError for anything that is not a country."""
    if not value or not value.strip():
        return None
    key = plain_fold(value)
    if key.upper() == "XK":
        return "XK"
    code = _country_names().get(key)
    if not code:
        raise ValueError(f"“{value.strip()}” is not a known country (use a name or an ISO code such as KZ).")
    return code


def country_name(code: str | None) -> str:
    if not code:
        return ""
    if code == "XK":
        return "Kosovo"
    country = pycountry.countries.get(alpha_2=code)
    return country.name if country else code


@lru_cache(maxsize=1)
def language_choices() -> list[tuple[str, str]]:
    return sorted(
        ((lang.alpha_2, lang.name) for lang in pycountry.languages if hasattr(lang, "alpha_2")),
        key=lambda pair: pair[1],
    )


def normalise_languages(values: list[str] | str) -> list[str]:
    """ISO 639-1 codes from codes or English names; raises ValueError naming the unknown ones."""
    if isinstance(values, str):
        values = [part for part in values.replace(";", ",").split(",")]
    codes: list[str] = []
    unknown: list[str] = []
    for raw in values:
        value = raw.strip()
        if not value:
            continue
        lang = pycountry.languages.get(alpha_2=value.lower()) if len(value) == 2 else None
        if lang is None:
            try:
                lang = pycountry.languages.lookup(value)
            except LookupError:
                lang = None
        code = getattr(lang, "alpha_2", None) if lang else None
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


def normalise_email(value: str) -> str:
    """Trimmed, lower-cased and syntax-checked; raises ValueError with the reason."""
    address = "".join(value.split()).lower()
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValueError(f"“{value.strip()}” is not a valid email address: {error}") from None
    return address


def phone_digits(number: str) -> str:
    """What makes two phone numbers the same: their digits, whatever the spaces, dots and brackets."""
    return "".join(ch for ch in number if ch.isdigit())


def parse_tags(values: list[str] | str) -> list[str]:
    if isinstance(values, str):
        values = values.split(",")
    seen: dict[str, str] = {}
    for value in values:
        name = " ".join(value.split())
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name[:60]
    return list(seen.values())
