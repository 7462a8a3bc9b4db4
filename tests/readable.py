"""What a page says to people, and the codes and raw values it must not say (issue 17, "readable
everywhere"): an enum's code where a label exists, a Python enum or None, an ISO date, a time in UTC."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from crm.campaigns.models import ASK_STATUSES, CAMPAIGN_STATUSES
from crm.contacts.models import LAWFUL_BASES
from crm.outreach.models import CHANNELS, OUTREACH_STATUSES, PARTICIPANT_ROLES, REPLY_STATES

# Codes with an underscore never occur in English prose, so finding one is finding a code shown raw.
CODES = sorted(
    {
        code
        for table in (ASK_STATUSES, CAMPAIGN_STATUSES, LAWFUL_BASES, CHANNELS, OUTREACH_STATUSES, REPLY_STATES)
        for code in table
        if "_" in code
    }
    | {role for role in PARTICIPANT_ROLES if "_" in role}
)
# A one-word code is an English word too ("sent"), but not in lower case right after its field's name.
FIELD_CODES = {
    "Status": [*OUTREACH_STATUSES, *CAMPAIGN_STATUSES, *ASK_STATUSES],
    "Channel": list(CHANNELS),
    "Reply": list(REPLY_STATES),
    "Lawful basis": list(LAWFUL_BASES),
}
RAW = {
    "a code": re.compile(r"\b(?:" + "|".join(map(re.escape, CODES)) + r")\b"),
    "a code after its field": re.compile(
        "|".join(rf"\b{field}:? (?:{'|'.join(map(re.escape, codes))})\b" for field, codes in FIELD_CODES.items())
    ),
    "a Python value": re.compile(r"\b[A-Z][A-Za-z]+\.[A-Z_]{2,}\b|\bNone\b(?! of )|<[a-z_.]+ object at"),
    "an ISO date": re.compile(r"\b\d{4}-\d\d-\d\d\b"),
    "a time in UTC": re.compile(r"\d\d:\d\d UTC\b"),
}
# Text people do not read as the page's words: scripts, styles, what they type, merge fields they copy.
UNREAD = {"script", "style", "textarea", "code", "pre"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in UNREAD:
            self._skipping += 1

    def handle_endtag(self, tag):
        if tag in UNREAD and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def raw_values(html: str) -> list[str]:
    """Each raw value the page shows, as "an ISO date: …2017-10-01…" with some text around it."""
    text = page_text(html)
    found = []
    for what, pattern in RAW.items():
        for match in pattern.finditer(text):
            found.append(f"{what}: …{text[max(0, match.start() - 40) : match.end() + 20]}…")
    return found
