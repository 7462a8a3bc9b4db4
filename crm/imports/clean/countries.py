"""Country, postcode and language cells → ISO codes.

What a country or a language is, in any language, is the shared rule in `crm.values`
(`country_code`, `language_code`), so a cell and the person form accept the same names. This
adds what a cell needs: a problem instead of an exception, postcodes that lost their leading
zeros, several languages in one cell.
"""

from __future__ import annotations

import re

from crm.imports.clean.text import as_text, split_list
from crm.imports.results import ERROR, Problem
from crm.values import country_code, language_code, postcode_digits


def clean_country(value: object, field: str, problems: list[Problem]) -> str | None:
    text = as_text(value)
    if text is None:
        return None
    code = country_code(text)
    if code is None:
        problems.append(Problem(field, f"“{text}” is not a country we recognise, so the country is left empty."))
    return code


def clean_postcode(value: object, country: str | None, field: str, problems: list[Problem]) -> str | None:
    text = as_text(value)
    if text is None:
        return None
    # A postcode stored as a number lost its leading zeros: Dresden 01067 became 1067.
    if isinstance(value, int | float) and text.isdigit() and country:
        digits = postcode_digits(country)
        if digits and len(text) < digits:
            text = text.zfill(digits)
    return text


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
