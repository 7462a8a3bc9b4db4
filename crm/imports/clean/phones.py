"""Phone numbers → E.164 ("+3222842111"), with an extension written " ext. 123".

A number with "+" or "00" needs no country; a national one ("02 284 21 11") takes the row's
country, else the file's. Most numbers take a fast path that uses phonenumbers' metadata
only: strip the trunk prefix, check the length the country allows. The few it cannot settle
go through phonenumbers.parse, which costs about 15 µs, too much for every cell of a large
file. A number that still cannot be read is kept as written, with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, NumberParseException, PhoneMetadata, PhoneNumberFormat

from crm.imports.clean.text import as_text, tidy
from crm.imports.results import ERROR, WARNING, Problem

# Words before an extension in the languages we meet: ext, x, poste, Durchwahl, доб., wew., kl., linka.
_EXTENSION = re.compile(
    r"[\s,;]*(?:ext|extn|extension|x|poste|durchwahl|dw|доб|wew|kl|linka)\.?\s*:?\s*(\d{1,6})\s*$", re.IGNORECASE
)
_LABEL = re.compile(r"^.*?(?=\+|\(?\d)")  # "Tel.:", "Mob", "GSM", "тел." before the number
_TRAILING = re.compile(r"[\s(\[]*[^\W\d_][^\d]*$")  # "(office)", "mobile" after it: letters would be keypad digits
_NON_DIGITS = re.compile(r"\D")
MAX_CHARS = 80  # "Tel. (office): +32 (0)2 284 21 11 ext. 12345" is 45
_SEPARATORS = re.compile(r"\s*(?:[;,\n\r|]|\s/\s*(?=\+|00)|\s(?:or|oder|ou|или|lub|nebo)\s)\s*", re.IGNORECASE)


def _lengths(metadata: PhoneMetadata | None) -> frozenset[int]:
    if metadata is None or metadata.general_desc is None:
        return frozenset()
    return frozenset(metadata.general_desc.possible_length or ())


@dataclass(frozen=True)
class _CountryCode:
    code: int
    trunk_prefix: str | None  # of the main region: "0" for +32, "8" for +7, None for +39
    lengths: frozenset[int]  # of the national number, over all regions sharing the code


@cache
def _country_codes() -> dict[str, _CountryCode]:
    """Every calling code by its digits; calling codes are prefix-free, so one at most matches."""
    codes = {}
    for code, regions in COUNTRY_CODE_TO_REGION_CODE.items():
        lengths: set[int] = set()
        for region in regions:
            if region == "001":
                lengths |= _lengths(PhoneMetadata.metadata_for_nongeo_region(code))
            else:
                lengths |= _lengths(PhoneMetadata.metadata_for_region(region))
        main = PhoneMetadata.metadata_for_region(regions[0]) if regions[0] != "001" else None
        codes[str(code)] = _CountryCode(code, main.national_prefix if main else None, frozenset(lengths))
    return codes


@cache
def _region(region: str) -> tuple[int, str, frozenset[int]] | None:
    """(country code, trunk prefix, lengths) where stripping the prefix is all national parsing
    does; None sends the region's numbers through phonenumbers (Argentina, Belarus, ...)."""
    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None or metadata.national_prefix_transform_rule:
        return None
    prefix = metadata.national_prefix or ""
    rule = metadata.national_prefix_for_parsing
    if rule and not re.fullmatch(r"[\d|]+", rule):
        return None
    return metadata.country_code, prefix, _lengths(metadata)


def _international(digits: str, paren_zero: bool) -> str | None:
    codes = _country_codes()
    country = codes.get(digits[:1]) or codes.get(digits[:2]) or codes.get(digits[:3])
    if country is None:
        return None
    national = digits[len(str(country.code)) :]
    if paren_zero and country.trunk_prefix != "0":
        national = "0" + national  # "+39 (0)6 …": in Italy the 0 belongs to the number
    elif country.trunk_prefix == "0" and national.startswith("0"):
        national = national[1:]  # "+32 02 …": the trunk 0 is dialled only at home
    if len(national) in country.lengths:
        return f"+{country.code}{national}"
    return None


# Separators people type between digits: spaces, brackets, dots, dashes, slashes.
_SEPARATORS_TABLE = str.maketrans("", "", " ()./-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00a0")


def _fast(text: str, region: str | None) -> str | None:
    paren_zero = "(0)" in text
    digits = (text.replace("(0)", "") if paren_zero else text).translate(_SEPARATORS_TABLE)
    if digits.startswith("+"):
        digits = digits[1:]
        return _international(digits, paren_zero) if digits.isascii() and digits.isdigit() else None
    if not (digits.isascii() and digits.isdigit()):
        return None
    if digits.startswith("00"):
        return _international(digits[2:], paren_zero)
    info = _region(region) if region and not paren_zero else None
    if info is None:
        return None
    country_code, prefix, lengths = info
    national = digits[len(prefix) :] if prefix and digits.startswith(prefix) else digits
    return f"+{country_code}{national}" if len(national) in lengths else None


def _slow(text: str, region: str | None) -> str | None:
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def e164(text: str, region: str | None) -> str | None:
    """The number in E.164, or None when it cannot be read; `text` holds no extension."""
    return _fast(text, region) or _slow(text, region)


def clean_phone(text: str, region: str | None, field: str, problems: list[Problem]) -> str | None:
    """One number as typed → E.164 plus extension; kept as written, with a warning, if unreadable."""
    result = _fast(text, region)  # most cells: digits and separators only
    if result:
        return result
    if len(text) > MAX_CHARS:  # also keeps the patterns below from crawling over a pasted page
        problems.append(Problem(field, f"“{text[:40]}…” is not a phone number.", ERROR))
        return None
    extension = ""
    if match := _EXTENSION.search(text):
        extension, text = match[1], text[: match.start()]
    number = _LABEL.sub("", text, count=1)
    number = _TRAILING.sub("", number, count=1)
    if len(_NON_DIGITS.sub("", number)) < 3:
        problems.append(Problem(field, f"“{text}” is not a phone number.", ERROR))
        return None
    international = number.startswith("+") or number.lstrip("(").startswith("00")
    result = e164(number, region) if (international or region) else None
    if result is None:
        kept = tidy(text) + (f" ext. {extension}" if extension else "")
        if international or region:
            message = f"“{kept}” could not be read as a phone number, so it is kept as written."
        else:
            message = f"“{kept}” has no country code and the row has no country, so it is kept as written."
        problems.append(Problem(field, message, WARNING))
        return kept
    return f"{result} ext. {extension}" if extension else result


def _from_number(value: int | float, region: str | None, field: str, problems: list[Problem]) -> str | None:
    # A number cell lost its leading "+" or "0": 32470123456 or 470123456.
    digits = str(int(value))
    national = _fast(digits, region) if region else None
    international = _fast("+" + digits, None)
    if national and international and national != international:
        problems.append(
            Problem(
                field,
                f"“{digits}” was stored as a number, which drops a leading + or 0: it could be "
                f"{national} or {international}; it was read as {national}.",
                WARNING,
                (national, international),
            )
        )
    if national or international:
        return national or international
    return clean_phone(digits, region, field, problems)


def clean_phones(value: object, region: str | None, field: str, problems: list[Problem]) -> list[str]:
    """All the numbers in a cell ("+32 2 284 21 11; +32 470 12 34 56"), without repeats.

    `region` is the ISO country for numbers written without a country code, or None."""
    if isinstance(value, str) and (number := _fast(value.strip(), region)):  # one clean number
        return [number]
    items = value if isinstance(value, list | tuple) else [value]
    parts = [piece for item in items for piece in ([item] if _is_number(item) else _split(item))]
    numbers: list[str] = []
    for part in parts:
        if _is_number(part):
            number = _from_number(part, region, field, problems)
        else:
            number = clean_phone(part, region, field, problems)
        if number and number not in numbers:
            numbers.append(number)
    return numbers


def _is_number(value: object) -> bool:
    if isinstance(value, float):
        return value.is_integer() and value > 0
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _split(value: object) -> list[str]:
    text = value if isinstance(value, str) else as_text(value)
    if not text:
        return []
    return [text for part in _SEPARATORS.split(text) if (text := as_text(part))]
