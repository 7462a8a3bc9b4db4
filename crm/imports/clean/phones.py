"""Phone cells → E.164 ("+3222842111"), with an extension written " ext. 123".

What one number is, and how it reads as E.164, is crm.phones' (the person form's rule too);
this adds what a cell needs: several numbers in one cell, a number cell that lost its "+" or
"0", and problems instead of refusals. A national number ("02 284 21 11") takes the row's
country, else the file's. A number that cannot be read is kept as written, with a warning.
"""

from __future__ import annotations

import re

from crm.imports.clean.text import as_text, tidy
from crm.imports.results import ERROR, WARNING, Problem
from crm.phones import NotAPhoneNumber, fast_e164, read_phone

_SEPARATORS = re.compile(r"\s*(?:[;,\n\r|]|\s/\s*(?=\+|00)|\s(?:or|oder|ou|или|lub|nebo)\s)\s*", re.IGNORECASE)


def clean_phone(text: str, region: str | None, field: str, problems: list[Problem]) -> str | None:
    """One number as typed → E.164 plus extension; kept as written, with a warning, if unreadable."""
    try:
        phone = read_phone(text, region)
    except NotAPhoneNumber as error:
        problems.append(Problem(field, str(error), ERROR))
        return None
    if phone.e164 is None:
        kept = tidy(phone.written) + (f" ext. {phone.extension}" if phone.extension else "")
        if phone.international or region:
            message = f"“{kept}” could not be read as a phone number, so it is kept as written."
        else:
            message = f"“{kept}” has no country code and the row has no country, so it is kept as written."
        problems.append(Problem(field, message, WARNING))
        return kept
    return f"{phone.e164} ext. {phone.extension}" if phone.extension else phone.e164


def _from_number(value: int | float, region: str | None, field: str, problems: list[Problem]) -> str | None:
    # A number cell lost its leading "+" or "0": 32470123456 or 470123456.
    digits = str(int(value))
    national = fast_e164(digits, region) if region else None
    international = fast_e164("+" + digits, None)
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
    if isinstance(value, str) and (number := fast_e164(value.strip(), region)):  # one clean number
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
