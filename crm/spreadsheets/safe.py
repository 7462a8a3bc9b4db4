"""Formula injection: no exported text cell may start a formula in Excel, LibreOffice or Sheets.

A cell that starts with = + - @ (or their full-width forms, which some spreadsheet
locales also treat as formula starts), a tab or a carriage return gets one leading
apostrophe, as OWASP recommends ("CSV Injection"). Phone numbers (+32 …) and names
such as "-ova" are caught too; that is the price of a rule with no exceptions.

`restore` is the exact inverse for the importer: it strips the apostrophe only where
`neutralise` would have added it, so "'s-Hertogenbosch" survives a round trip, and so
does a value that itself starts with an apostrophe and an equals sign.
"""

from __future__ import annotations

FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
MARK = "'"


def _needs_mark(text: str) -> bool:
    return text.lstrip(MARK)[:1] in FORMULA_STARTS


def neutralise(text: str) -> str:
    """The text as it may be written to a spreadsheet cell."""
    if text and (text[0] in FORMULA_STARTS or text[0] == MARK) and _needs_mark(text):
        return MARK + text
    return text


def restore(text: str) -> str:
    """The inverse of `neutralise`, for text read back from our own export."""
    if text.startswith(MARK) and _needs_mark(text[1:]):
        return text[1:]
    return text
