"""What a phone number is, for the forms and the import alike: the core of crm.values' phone rule.

One number as typed ("Tel.: +32 (0)2 284 21 11 ext. 123") may carry a label before it, words
after it and an extension; what is left must hold three digits at least. It reads as E.164
("+3222842111") when it has "+" or "00", or a country to take from the row or the file.

Most numbers take a fast path that uses phonenumbers' metadata only: strip the trunk prefix,
check the length the country allows. The few it cannot settle go through phonenumbers.parse,
which is too slow to run on every cell of a large file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, NumberParseException, PhoneMetadata, PhoneNumberFormat

MAX_CHARS = 80  # "Tel. (office): +32 (0)2 284 21 11 ext. 12345" is 45
MIN_DIGITS = 3  # fewer is a note ("12", "tbc"), not a number

# Words before an extension in the languages we meet: ext, x, poste, Durchwahl, доб., wew., kl., linka.
_EXTENSION = re.compile(
    r"[\s,;]*(?:ext|extn|extension|x|poste|durchwahl|dw|доб|wew|kl|linka)\.?\s*:?\s*(\d{1,6})\s*$", re.IGNORECASE
)
_LABEL = re.compile(r"^.*?(?=\+|\(?\d)")  # "Tel.:", "Mob", "GSM", "тел." before the number
_TRAILING = re.compile(r"[\s(\[]*[^\W\d_][^\d]*$")  # "(office)", "mobile" after it: letters would be keypad digits
_NON_DIGITS = re.compile(r"\D")


class NotAPhoneNumber(ValueError):
    """The text holds no phone number; the message says so in one sentence naming the text."""


@dataclass(frozen=True, slots=True)
class PhoneReading:
    """One number as typed, taken apart."""

    written: str  # the text without its extension
    number: str  # the number alone: label ("Tel.:") and trailing words ("(office)") gone
    extension: str  # its digits; "" when none
    international: bool  # written with "+" or "00", so it needs no country to be read
    e164: str | None  # "+3222842111", without the extension; None when no numbering plan reads it


def read_phone(text: str, region: str | None) -> PhoneReading:
    """One number as typed; `region` (ISO country) reads numbers written without a country code.

    Raises NotAPhoneNumber for text far too long, or with fewer than MIN_DIGITS digits."""
    if result := fast_e164(text, region):  # most cells: digits and separators only
        return PhoneReading(text, text, "", text.lstrip().startswith(("+", "00")), result)
    if len(text) > MAX_CHARS:  # also keeps the patterns below from crawling over a pasted page
        raise NotAPhoneNumber(f"“{text[:40]}…” is not a phone number.")
    extension = ""
    if match := _EXTENSION.search(text):
        extension, text = match[1], text[: match.start()]
    number = _LABEL.sub("", text, count=1)
    number = _TRAILING.sub("", number, count=1)
    if len(_NON_DIGITS.sub("", number)) < MIN_DIGITS:
        raise NotAPhoneNumber(f"“{text}” is not a phone number.")
    international = number.startswith("+") or number.lstrip("(").startswith("00")
    result = e164(number, region) if (international or region) else None
    return PhoneReading(text, number, extension, international, result)


def e164(text: str, region: str | None) -> str | None:
    """The number in E.164, or None when it cannot be read; `text` holds no extension."""
    return fast_e164(text, region) or _slow(text, region)


# --- The fast path ------------------------------------------------------------------------------


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


def fast_e164(text: str, region: str | None) -> str | None:
    """E.164 for a number of digits and separators that needs no parsing rules; None leaves it to e164."""
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
