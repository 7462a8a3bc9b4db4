"""What the simulated staff do: sign in through the form, then browse, search, log outreach and replies
with short pauses until told to stop; and one of them takes a spreadsheet through the import wizard.

Each person is a thread with its own Browser (cookies, CSRF tokens read from the pages). A failed request
is recorded by the browser and the person goes on with their next action, as someone would click again.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from load_http import Browser, HTTPFailure, Page, form_with
from load_seed import PASSWORD, Cast

# The mix of actions, by weight: mostly reading, some writing, as a team's day looks.
MIX = {
    "start page": 14,
    "search": 24,
    "people list": 5,
    "person page": 20,
    "campaign page": 7,
    "campaign report": 5,
    "outreach list": 10,
    "outreach page": 5,
    "log outreach": 6,
    "log reply": 4,
    "static file": 5,  # the floor: what any answer costs on this machine under the same load
}
FLOOR = "floor: a static file"
POLL = 0.5  # seconds between progress checks of the import (the wizard's page checks every second)


def sign_in(browser: Browser, email: str) -> None:
    page = browser.get("/login", "sign-in form")
    form = form_with(page.text, "email", "password", "csrf_token")
    done = browser.submit(page, form, form.data(email=email, password=PASSWORD), "sign in")
    if done.status != 302 or "/login" in done.location:
        raise HTTPFailure(f"sign-in of {email} came back with {done.status}")


class Staff(threading.Thread):
    """One person at work: signs in after `delay`, then acts and pauses until `stop` is set."""

    def __init__(self, number: int, base_url: str, recorder, cast: Cast, stop: threading.Event, delay: float,
                 think: float) -> None:  # fmt: skip
        super().__init__(name=f"staff-{number}", daemon=True)
        self.email = f"staff{number:02}@bench.example.org"
        self.browser = Browser(base_url, recorder)
        self.cast, self.stop, self.delay, self.think = cast, stop, delay, think
        self.rng = random.Random(number)
        self.logged: list[str] = []  # addresses of the outreach this person logged: replies come to those

    def run(self) -> None:
        if self.stop.wait(self.delay):
            return
        actions = list(MIX)
        weights = [MIX[name] for name in actions]
        signed_in = False
        while not self.stop.is_set():
            try:
                if not signed_in:
                    sign_in(self.browser, self.email)
                    signed_in = True
                else:
                    getattr(self, self.rng.choices(actions, weights)[0].replace(" ", "_"))()
            except HTTPFailure:
                pass  # recorded by the browser; the person goes on
            except Exception as failure:  # noqa: BLE001 — a page without its form, or a bug of ours: counted
                self.browser.recorder.client_failures.append(f"{type(failure).__name__}: {failure}")
            self.stop.wait(self.think * self.rng.uniform(0.5, 1.5))

    def every_action(self, rounds: int) -> None:
        """Sign in, then each action of the mix in turn, `rounds` times, without pauses (in this thread)."""
        sign_in(self.browser, self.email)
        searches = [lambda kind=kind: self.search(kind) for kind in ("name", "Cyrillic", "email")]
        for _round in range(rounds):
            for action in [getattr(self, name.replace(" ", "_")) for name in MIX if name != "search"] + searches:
                try:
                    action()
                except HTTPFailure:
                    pass
                except Exception as failure:  # noqa: BLE001
                    self.browser.recorder.client_failures.append(f"{type(failure).__name__}: {failure}")

    # --- the actions -------------------------------------------------------------------------------------

    def static_file(self) -> None:
        """A file gunicorn serves without the database or a template: its time under load is queueing alone."""
        self.browser.get("/static/app.css", FLOOR)

    def start_page(self) -> None:
        self.browser.get("/", "start page")

    def search(self, kind: str = "") -> None:
        """Part of a Latin family name, a Cyrillic one or an email address: the three things staff type."""
        terms = {"name": self.cast.names, "Cyrillic": self.cast.cyrillic, "email": self.cast.emails}
        kind = kind or self.rng.choice(list(terms))
        self.browser.get("/contacts/people?" + urlencode({"q": self.rng.choice(terms[kind])}), f"search: {kind}")

    def people_list(self) -> None:
        self.browser.get(f"/contacts/people?page={self.rng.randrange(1, 20)}", "people list")

    def person_page(self) -> None:
        self.browser.get(f"/contacts/people/{self.rng.choice(self.cast.person_ids)}", "person page")

    def campaign_page(self) -> None:
        self.browser.get(f"/campaigns/{self.rng.choice(self.cast.campaign_ids)}", "campaign page")

    def campaign_report(self) -> None:
        self.browser.get(f"/reports/campaigns/{self.rng.choice(self.cast.campaign_ids)}", "campaign report")

    def outreach_list(self) -> None:
        query = self.rng.choice(("", "?status=awaiting", f"?campaign_id={self.rng.choice(self.cast.campaign_ids)}"))
        self.browser.get(f"/outreach/{query}", "outreach list")

    def outreach_page(self) -> None:
        self.browser.get(f"/outreach/{self.rng.choice(self.cast.outreach_ids)}", "outreach page")

    def log_outreach(self) -> None:
        """The outreach form, one to three people picked through the type-ahead, saved, then its page."""
        campaign_id = self.rng.choice(self.cast.campaign_ids)
        page = self.browser.get(f"/outreach/new?campaign_id={campaign_id}", "outreach form")
        form = form_with(page.text, "subject", "participants-0-party")
        picked: dict[str, str] = {}
        for index in range(self.rng.choice((1, 2, 3))):
            self.stop.wait(self.think * 0.3)  # typing a name
            term = self.rng.choice(self.cast.names + self.cast.cyrillic)
            suggestions = self.browser.get(f"/outreach/parties?q={quote(term)}", "type-ahead")
            found = json.loads(suggestions.body)
            if found:
                picked[f"participants-{index}-party"] = found[0]["id"]
                picked[f"participants-{index}-party_label"] = found[0]["label"]
        if not picked:
            return
        data = form.data(subject="Letter about the Dzhakishev case", summary="Logged by the load benchmark.",
                         **picked)  # fmt: skip
        saved = self.browser.submit(page, form, data + [("next_action", "view")], "log outreach")
        shown = self.browser.follow(saved, "outreach page")
        self.logged.append(shown.url.removeprefix(self.browser.base_url))

    def log_reply(self) -> None:
        """The reply form of an outreach this person logged (else any), saved with an outcome, then its page."""
        path = self.logged.pop(0) if self.logged else f"/outreach/{self.rng.choice(self.cast.outreach_ids)}"
        page = self.browser.get(f"{path}/responses/new", "reply form")
        form = form_with(page.text, "recipient", "outcome_id")
        changes = {"summary": "Thanked us and will raise it with the ministry."}
        outcomes = [value for value, _text in form.options["outcome_id"] if value]
        if outcomes:
            changes["outcome_id"] = self.rng.choice(outcomes)
        if not dict(form.fields).get("recipient"):  # nobody awaits a reply: a second one from the first recipient
            recipients = [value for value, _text in form.options["recipient"] if value]
            if not recipients:
                return  # a meeting's participants only, say: nobody to record a reply from
            changes["recipient"] = recipients[0]
        saved = self.browser.submit(page, form, form.data(**changes), "log reply")
        self.browser.follow(saved, "outreach page")


# --- the import -----------------------------------------------------------------------------------------------


@dataclass
class ImportTimes:
    preview_s: float  # the mapping saved → the preview shown (a dry run in the worker)
    import_s: float  # "Import" pressed → the run says done
    status: str
    counts: str


def import_through_wizard(browser: Browser, workbook: Path, stop: threading.Event) -> ImportTimes:
    """Upload, keep the detected mapping, wait for the preview, confirm, wait for the end: as a person does."""
    index = browser.get("/imports/", "import: pages")
    upload = form_with(index.text, "file")
    uploaded = browser.submit(
        index, upload, upload.data(), "import: upload", files={"file": (workbook.name, workbook.read_bytes())}
    )
    mapping = browser.follow(uploaded, "import: pages")
    run_path = mapping.url.removeprefix(browser.base_url).removesuffix("/mapping")
    choices = form_with(mapping.text, "on_duplicate", "category", button="Preview")
    started = time.monotonic()
    preview = browser.follow(browser.submit(mapping, choices, choices.data(), "import: choices"), "import: pages")
    if "Preparing the preview" in preview.text:
        _wait(browser, f"{run_path}/preview/progress", lambda answer: answer["ready"], stop)
        preview = browser.get(f"{run_path}/preview", "import: pages")
    preview_s = time.monotonic() - started
    confirm = form_with(preview.text, "csrf_token", button="Import")
    started = time.monotonic()
    browser.follow(browser.submit(preview, confirm, confirm.data(), "import: confirm"), "import: pages")
    answer = _wait(browser, f"{run_path}/progress", lambda answer: answer["status"] not in ("queued", "running"), stop)
    import_s = time.monotonic() - started
    result = browser.get(run_path, "import: pages")
    return ImportTimes(preview_s, import_s, answer["status"], _counts(result))


def _wait(browser: Browser, path: str, done, stop: threading.Event) -> dict:
    while True:
        try:
            answer = json.loads(browser.get(path, "import: progress").body)
        except HTTPFailure:
            answer = None  # recorded; a busy server gets asked again, as the page's script does
        if answer is not None and done(answer):
            return answer
        if stop.wait(POLL):
            raise HTTPFailure(f"stopped while waiting for {path}")


def _counts(result: Page) -> str:
    found = re.findall(r'data-count="(\w+)">\s*(\d+)\s*<', result.text)
    return ", ".join(f"{count} {key}" for key, count in found)
