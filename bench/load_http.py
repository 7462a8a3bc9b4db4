"""A browser for the load benchmark, standard library only: cookies, forms read from the page (their CSRF
token included) and every HTTP request timed and recorded under a kind.

Redirects are not followed on their own: the caller follows them, so that each request a browser makes is
timed alone and counted under its own kind (a saved form's 302, then the page it leads to).
"""

from __future__ import annotations

import http.cookiejar
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser

TIMEOUT = 30  # seconds; a request that takes longer counts as an error


@dataclass
class Sample:
    kind: str
    started: float  # time.monotonic()
    ms: float
    error: str  # "" when the answer was 2xx or 3xx


class Recorder:
    """Every timed request of every simulated person; appends from many threads."""

    def __init__(self) -> None:
        self.samples: list[Sample] = []
        self.client_failures: list[str] = []  # actions that broke off without an HTTP error: a missing form…
        self._lock = threading.Lock()

    def add(self, sample: Sample) -> None:
        with self._lock:
            self.samples.append(sample)


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # what the untouched form submits
    file_fields: list[str] = field(default_factory=list)
    options: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # select → [(value, text)]
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # (name, value, text)

    def names(self) -> set[str]:
        return {name for name, _value in self.fields} | set(self.options) | set(self.file_fields)

    def data(self, **changes: str) -> list[tuple[str, str]]:
        unknown = set(changes) - self.names()
        if unknown:
            raise LookupError(f"the form has no field {sorted(unknown)}")
        return [(n, v) for n, v in self.fields if n not in changes] + list(changes.items())


class _Forms(HTMLParser):
    """The forms of a page: enough of HTML for our own templates (inputs, selects, textareas, buttons)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._open = False
        self._select: tuple[str, list[tuple[str, str]], list[str]] | None = None
        self._option: tuple[str | None, bool, list[str]] | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._button: tuple[dict, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            method = (a.get("method") or "get").lower()
            self.forms.append(Form(a.get("action", ""), method, a.get("enctype", "")))
            self._open = True
        elif not self._open:
            return
        elif tag == "input" and a.get("name") and "disabled" not in a:
            kind = a.get("type", "text").lower()
            if kind == "file":
                self.forms[-1].file_fields.append(a["name"])
            if kind in ("checkbox", "radio") and "checked" not in a or kind in ("file", "submit", "button", "reset"):
                return
            self.forms[-1].fields.append((a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select" and a.get("name") and "disabled" not in a:
            self._select = (a["name"], [], [])
        elif tag == "option" and self._select is not None:
            self._option = (dict(attrs).get("value"), "selected" in a, [])
        elif tag == "textarea" and a.get("name"):
            self._textarea = (a["name"], [])
        elif tag == "button":
            self._button = (a, [])

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option[2].append(data)
        elif self._textarea is not None:
            self._textarea[1].append(data)
        elif self._button is not None:
            self._button[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = False
        elif tag in ("option", "select") and self._option is not None and self._select is not None:
            value, selected, text = self._option
            label = " ".join("".join(text).split())
            self._select[1].append((label if value is None else value, label))
            if selected:
                self._select[2].append(self._select[1][-1][0])
            self._option = None
        if tag == "select" and self._select is not None:
            name, options, selected = self._select
            self.forms[-1].options[name] = options
            chosen = selected[:1] or [value for value, _text in options[:1]]  # a browser sends the first
            self.forms[-1].fields.extend((name, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.forms[-1].fields.append((self._textarea[0], "".join(self._textarea[1]).removeprefix("\n")))
            self._textarea = None
        elif tag == "button" and self._button is not None:
            a, text = self._button
            if a.get("type", "submit") == "submit" and self._open and "disabled" not in a:
                self.forms[-1].buttons.append((a.get("name", ""), a.get("value", ""), " ".join("".join(text).split())))
            self._button = None


def form_with(html: str, *names: str, button: str = "") -> Form:
    """The one POST form of the page with the fields `names` (and a button whose text starts `button`)."""
    parser = _Forms()
    parser.feed(html)
    found = [
        form
        for form in parser.forms
        if form.method == "post"
        and set(names) <= form.names()
        and (not button or any(text.startswith(button) for _n, _v, text in form.buttons))
    ]
    if len(found) != 1:
        raise LookupError(f"expected one form with {names} and button {button!r}, found {len(found)}")
    return found[0]


@dataclass
class Page:
    status: int
    url: str
    body: bytes
    location: str = ""  # where a 3xx points, as an absolute address

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 3xx comes back as it is; the caller follows it and times that request alone


class HTTPFailure(Exception):
    """A request that did not end in 2xx or 3xx; already recorded as an error."""


class Browser:
    """One simulated person: own cookie jar, one request at a time, each timed into the recorder."""

    def __init__(self, base_url: str, recorder: Recorder | None) -> None:
        self.base_url = base_url.rstrip("/")
        self.recorder = recorder
        cookies = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        self._opener = urllib.request.build_opener(cookies, _NoRedirects)

    def get(self, path: str, kind: str) -> Page:
        return self._open(urllib.request.Request(self._absolute(path)), kind)

    def follow(self, page: Page, kind: str) -> Page:
        """The page a 3xx answer points at."""
        if not page.location:
            raise HTTPFailure(f"{page.url} answered {page.status}, not a redirect")
        return self.get(page.location, kind)

    def submit(self, page: Page, form: Form, data: list[tuple[str, str]], kind: str, files=None) -> Page:
        """Post `data` as the form would: to its action, with its encoding (files: name → (filename, bytes))."""
        target = urllib.parse.urljoin(page.url, form.action or page.url)
        if files or form.enctype == "multipart/form-data":
            body, content_type = multipart(data, files or {})
        else:
            body, content_type = urllib.parse.urlencode(data).encode(), "application/x-www-form-urlencoded"
        request = urllib.request.Request(target, data=body, headers={"Content-Type": content_type}, method="POST")
        return self._open(request, kind)

    def _absolute(self, path: str) -> str:
        return urllib.parse.urljoin(self.base_url + "/", path)

    def _open(self, request: urllib.request.Request, kind: str) -> Page:
        started = time.monotonic()
        error = ""
        try:
            with self._opener.open(request, timeout=TIMEOUT) as answer:
                page = Page(answer.status, answer.url, answer.read())
        except urllib.error.HTTPError as answer:
            page = Page(answer.code, request.full_url, answer.read())
            if 300 <= answer.code < 400:
                page.location = urllib.parse.urljoin(request.full_url, answer.headers.get("Location", ""))
            else:
                error = f"HTTP {answer.code}"
        except (OSError, urllib.error.URLError) as failure:  # timeouts, refused or reset connections
            page, error = None, f"{type(failure).__name__}: {failure}"
        if self.recorder is not None:
            self.recorder.add(Sample(kind, started, (time.monotonic() - started) * 1000, error))
        if error:
            raise HTTPFailure(f"{request.get_method()} {request.full_url}: {error}")
        return page


def multipart(data: list[tuple[str, str]], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in data:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (file_name, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{file_name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
