"""Email cells → lower-case addresses.

Real cells hold "mailto:" links, "Name <a@b.eu>", several addresses separated by ";", "," or
new lines, and spaces typed or pasted inside an address ("igor.savchenko @odfoundation.eu").
A plain address is checked by one regular expression; only what fails it goes to the form's
full check (`crm.values.normalise_email`, email-validator), which also gives the reason.
"""

from __future__ import annotations

import re

from crm.imports.clean.text import as_text, split_list
from crm.imports.results import ERROR, Problem
from crm.values import normalise_email

_QUOTED = re.compile(r'"[^"]*"')  # a display name may hold a comma: "Dzhakishev, Mukhtar" <m@example.kz>
_BRACKETED = re.compile(r"<\s*([^<>]*@[^<>]*?)\s*>")
_MAILTO = re.compile(r"mailto:\s*", re.IGNORECASE)
_PLAIN = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
)
_EDGES = "<>()[]{}'\"`.,;:"
MAX_CHARS = 400


def clean_email(text: str, field: str, problems: list[Problem]) -> list[str]:
    """The addresses in one piece of a cell: usually one, two if a space separated them."""
    if len(text) > MAX_CHARS:  # an address has at most 254; this keeps the patterns below quick too
        problems.append(Problem(field, f"“{text[:40]}…” is not an email address.", ERROR))
        return []
    candidates = _candidates(text)
    addresses = []
    for candidate in candidates:
        address = "".join(candidate.split()).strip(_EDGES).lower()
        if not address:
            continue
        if "@" not in address:
            continue  # a display name, or part of one: "Panzeri, Pier Antonio <p@x.eu>"
        if not _PLAIN.match(address) or ".." in address:
            try:
                address = normalise_email(address)
            except ValueError:
                problems.append(Problem(field, f"“{text}” is not a valid email address.", ERROR))
                continue
        addresses.append(address)
    return addresses


def _candidates(text: str) -> list[str]:
    if match := _BRACKETED.search(text):  # "Igor Savchenko <igor.savchenko@odfoundation.eu>"
        return [match[1]]
    words = text.split()
    with_at = [word for word in words if "@" in word]
    if len(with_at) > 1 or (len(with_at) == 1 and _complete(with_at[0])):
        return with_at  # "a@x.eu b@y.eu", or a name before the address
    return ["".join(words)]  # "igor.savchenko @ odfoundation.eu"


def _complete(word: str) -> bool:
    local, _, domain = word.strip(_EDGES).partition("@")
    return bool(local) and "." in domain and not domain.endswith(".")


def clean_emails(value: object, field: str, problems: list[Problem]) -> list[str]:
    """Every address in the cell, in order, without repeats."""
    if isinstance(value, str):
        address = value.strip().lower()
        if _PLAIN.match(address) and ".." not in address:  # most cells: one clean address
            return [address]
    pieces = [piece for item in value for piece in _pieces(item)] if isinstance(value, list | tuple) else _pieces(value)
    addresses: list[str] = []
    reported = len(problems)
    for piece in pieces:
        for address in clean_email(piece, field, problems):
            if address not in addresses:
                addresses.append(address)
    if pieces and not addresses and len(problems) == reported:
        shown = as_text(value) if not isinstance(value, list | tuple) else "; ".join(pieces)
        problems.append(Problem(field, f"“{shown}” is not an email address.", ERROR))
    return addresses


def _pieces(value: object) -> list[str]:
    text = as_text(value) if not isinstance(value, str) else value
    if not text:
        return []
    if "mailto:" in text.lower():
        text = _MAILTO.sub("", text)
    if '"' in text:
        text = _QUOTED.sub(" ", text)
    return split_list(text)
