"""Pages as a browser reads them: the forms on a page and what submitting one sends (its CSRF token
included), its links, and a small urllib browser with cookies for tests that talk to a real server
(gunicorn) over HTTP.

Tests that go through the real forms use these instead of posting hand-written dictionaries, so a form
that lost its CSRF token, or a field the view expects and the page never renders, fails the test.
"""

from __future__ import annotations

import http.cookiejar
import io
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

# Inputs a browser never submits on its own: buttons are sent only when they are the one clicked.
_BUTTON_TYPES = {"submit", "button", "reset", "image"}


@dataclass
class Button:
    name: str
    value: str
    text: str
    formaction: str | None = None
    formmethod: str | None = None


@dataclass
class Form:
    action: str  # as written in the page; "" means the page's own address
    method: str  # "get" or "post", lower case (a form without a method is a GET form)
    enctype: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # what an untouched form submits, in order
    file_fields: list[str] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    options: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # select name -> [(value, text)]

    def names(self) -> set[str]:
        return {name for name, _ in self.fields} | set(self.file_fields) | set(self.options)

    def data(self, **changes: str | list[str]) -> MultiDict:
        """What submitting the form sends with `changes` typed in (a list sets several values of one name).

        Only fields the page renders may change: a field the view needs and the page lost fails here,
        not silently in the view."""
        unknown = sorted(set(changes) - self.names())
        assert not unknown, f"the form has no field {unknown}; it has {sorted(self.names())}"
        pairs = [(name, value) for name, value in self.fields if name not in changes]
        for name, value in changes.items():
            pairs.extend((name, item) for item in ([value] if isinstance(value, str) else value))
        return MultiDict(pairs)

    def option_value(self, name: str, text: str) -> str:
        """The value of the option of select `name` whose visible text is `text`."""
        for value, label in self.options.get(name, []):
            if label.strip() == text:
                return value
        raise AssertionError(f"select {name!r} offers no {text!r}: {self.options.get(name)}")


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: tuple[str, list[tuple[str, str]], list[str]] | None = None  # name, options, selected
        self._option: dict | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._button: tuple[dict, list[str]] | None = None
        self._open = False  # inside a <form>

    @property
    def _form(self) -> Form | None:
        return self.forms[-1] if self.forms and self._open else None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value if value is not None else "" for key, value in attrs}
        if tag == "form":
            self.forms.append(
                Form(
                    action=a.get("action", ""),
                    method=(a.get("method") or "get").lower(),
                    enctype=a.get("enctype", "application/x-www-form-urlencoded"),
                )
            )
            self._open = True
        elif self._form is None:
            return
        elif tag == "input":
            self._input(a)
        elif tag == "select" and "name" in a and "disabled" not in a:
            self._select = (a["name"], [], [])
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": []}
        elif tag == "textarea" and "name" in a and "disabled" not in a:
            self._textarea = (a["name"], [])
        elif tag == "button":
            self._button = (a, [])

    def _input(self, a: dict) -> None:
        kind = a.get("type", "text").lower()
        name = a.get("name")
        if kind in _BUTTON_TYPES:
            if kind == "submit" or kind == "image":
                self._form.buttons.append(
                    Button(name or "", a.get("value", ""), a.get("value", ""), a.get("formaction"), a.get("formmethod"))
                )
            return
        if not name or "disabled" in a:
            return
        if kind == "file":
            self._form.file_fields.append(name)
        elif kind in ("checkbox", "radio"):
            if "checked" in a:
                self._form.fields.append((name, a.get("value", "on")))
        else:
            self._form.fields.append((name, a.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option["text"].append(data)
        elif self._textarea is not None:
            self._textarea[1].append(data)
        elif self._button is not None:
            self._button[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = False
        elif tag == "option" and self._option is not None:
            self._end_option()
        elif tag == "select" and self._select is not None:
            self._end_option()
            name, options, selected = self._select
            self._form.options[name] = options
            # A browser submits the selected option, else the first one.
            chosen = (selected or [options[0][0]]) if options else []
            self._form.fields.extend((name, value) for value in chosen[:1] if value is not None)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._form.fields.append((name, "".join(text).removeprefix("\n")))
            self._textarea = None
        elif tag == "button" and self._button is not None:
            a, text = self._button
            if a.get("type", "submit").lower() == "submit" and self._form is not None:
                self._form.buttons.append(
                    Button(
                        a.get("name", ""),
                        a.get("value", ""),
                        " ".join("".join(text).split()),
                        a.get("formaction"),
                        a.get("formmethod"),
                    )
                )
            self._button = None

    def _end_option(self) -> None:
        if self._option is None or self._select is None:
            return
        text = " ".join("".join(self._option["text"]).split())
        value = self._option["value"] if self._option["value"] is not None else text
        self._select[1].append((value, text))
        if self._option["selected"]:
            self._select[2].append(value)
        self._option = None


def forms(html: str) -> list[Form]:
    """Every form on the page, in order."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def form_with(html: str, *names: str, method: str = "post", button: str | None = None) -> Form:
    """The one form of `method` on the page with all the fields `names` (and a button whose text starts `button`)."""
    found = [
        f
        for f in forms(html)
        if f.method == method
        and set(names) <= f.names()
        and (button is None or any(b.text.startswith(button) or b.value == button for b in f.buttons))
    ]
    seen = [(f.method, f.action, sorted(f.names()), [b.text for b in f.buttons]) for f in forms(html)]
    assert len(found) == 1, f"expected one {method} form with {names} and button {button!r}, found {len(found)}: {seen}"
    return found[0]


def links(html: str, containing: str) -> list[str]:
    """The addresses of the page's links whose href contains `containing`, in page order, once each."""
    hrefs = re.findall(r'<a\b[^>]*\bhref="([^"]*)"', html)
    return list(dict.fromkeys(unescape(href) for href in hrefs if containing in href))


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on the page that has one."""
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


# --- A browser over HTTP -----------------------------------------------------------------------------------


@dataclass
class Page:
    status: int
    url: str
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)

    @property
    def words(self) -> str:
        """The page's text as a reader sees it: no tags, no scripts, one space between words."""
        text = re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<(script|style)\b.*?</\1>", "", self.text))
        return " ".join(unescape(text).split())

    def summary(self, limit: int = 1500) -> str:
        """The page as text, for an assertion message."""
        return f"{self.status} {self.url}: {self.words[:limit]}"


class Browser:
    """Cookies, redirects followed, and 4xx/5xx answers returned as pages rather than raised."""

    def __init__(self, base_url: str, timeout: float = 60) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def url(self, path: str) -> str:
        return urllib.parse.urljoin(self.base_url + "/", path)

    def get(self, path: str) -> Page:
        return self._open(urllib.request.Request(self.url(path)))

    def submit(
        self, page: Page, form: Form, data: MultiDict, files: dict[str, tuple[str, bytes]] | None = None
    ) -> Page:
        """Submit `form` of `page` as its button would: to its action, with its method and encoding."""
        target = urllib.parse.urljoin(page.url, form.action or page.url)
        pairs = list(MultiDict(data).items(multi=True))
        if form.method == "get":
            return self.get(target.split("?")[0] + "?" + urllib.parse.urlencode(pairs))
        if files or form.enctype == "multipart/form-data":
            values = MultiDict(pairs)
            for name, (file_name, content) in (files or {}).items():
                values.add(name, FileStorage(io.BytesIO(content), filename=file_name))
            boundary, body = encode_multipart(values)
            content_type = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(pairs).encode()
            content_type = "application/x-www-form-urlencoded"
        request = urllib.request.Request(target, data=body, headers={"Content-Type": content_type}, method="POST")
        return self._open(request)

    def _open(self, request: urllib.request.Request) -> Page:
        try:
            with self._opener.open(request, timeout=self.timeout) as answer:
                return Page(answer.status, answer.url, dict(answer.headers), answer.read())
        except urllib.error.HTTPError as error:
            return Page(error.code, error.url, dict(error.headers), error.read())
