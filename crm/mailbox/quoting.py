"""What a reply's writer added, without the message they answered quoted below it.

Mail programs quote the message answered under the reply: "> " lines after "On … wrote:" (Gmail,
Thunderbird, Apple Mail, in the writer's language), or Outlook's "-----Original Message-----" or a
line of underscores before a "From:/Sent:" block. The reply keeps what is above; the message
answered is ours, and already on record."""

from __future__ import annotations

import re

_INTRO = re.compile(
    r"^(on\b.{0,200}\bwrote:|am\b.{0,200}\bschrieb\b.{0,200}:|le\b.{0,200}\ba écrit\s?:|"
    r"el\b.{0,200}\bescribió:|il\b.{0,200}\bha scritto:|op\b.{0,200}\bschreef\b.{0,200}:)$",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(
    r"^(-{2,}\s*(original message|ursprüngliche nachricht|message d'origine)\s*-{2,}|_{20,})$", re.I
)
_HEADER = re.compile(r"^(from|von|de|od):\s", re.IGNORECASE)
_SENT = re.compile(r"^(sent|gesendet|envoyé|wysłano|date):\s", re.IGNORECASE)


def written_above_quote(text: str) -> str:
    """The text above the quoted message; all of it when nothing is quoted, or nothing is above."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        stripped = line.strip()
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if (
            stripped.startswith(">")
            or _INTRO.match(stripped)
            or _SEPARATOR.match(stripped)
            or (_HEADER.match(stripped) and _SENT.match(following))
        ):
            above = "\n".join(lines[:index]).strip()
            return above or text.strip()
    return text.strip()
