"""HTML bodies: sanitised (nh3) before anything else reads them, then turned into plain text.

Only the text is kept and shown; no image survives sanitising, so a remote image (a tracking pixel
telling the sender the message was read) is never fetched."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

# Structure worth keeping for the text; no img, style, form or script (nh3 drops their content too).
_TAGS = {"a", "b", "i", "em", "strong", "p", "br", "div", "span", "ul", "ol", "li", "blockquote", "pre", "h1", "h2"}
_TAGS |= {"h3", "h4", "table", "thead", "tbody", "tr", "td", "th", "hr"}
_BLOCKS = {"p", "div", "li", "tr", "blockquote", "pre", "h1", "h2", "h3", "h4", "table", "ul", "ol", "hr"}


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br" or tag in _BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """The sanitised HTML's text: paragraphs on their own lines, at most one blank line between them."""
    parser = _Text()
    parser.feed(sanitise(html))
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
