"""axe-core's WCAG 2.1 A and AA rules, run in the browser on every page a journey shows.

The `page` fixture checks each page when it has loaded and the page as the test leaves it (a menu
open, a form with its errors), and fails the test at teardown with every violation found. axe is
our vendored copy (tests/vendor/axe-core), put into the page through the DevTools protocol: the
Content-Security-Policy refuses inline scripts, and the app never serves axe.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Error, Page

AXE_JS = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# What a page is, for running axe once on each state of it: its address, the width it is laid out
# at, and its visible text (a flash message, an opened menu or a shown error is a new state). Only
# HTML documents: a JSON answer or a picture the browser shows on its own is not our page.
_STATE = """() => document.contentType === 'text/html' && document.body
  ? [typeof window.axe === 'object', window.innerWidth + ' ' + document.body.innerText]
  : null"""

# axe refuses to run twice at once in one document: a check on load and the one at the end of the
# test may overlap, so runs queue behind each other. A button or menu still fading in or out (Bootstrap
# transitions last 0.15 s) would be judged in colours it only has for a moment: let finite animations
# end first, for at most a second.
_RUN = """async (tags) => {
  if (typeof window.axe !== 'object') return null;  // a new document since axe was put in
  const settled = Promise.all(document.getAnimations()
    .filter(animation => animation.effect && animation.effect.getTiming().iterations !== Infinity)
    .map(animation => animation.finished.catch(() => null)));
  await Promise.race([settled, new Promise(resolve => setTimeout(resolve, 1000))]);
  const run = () => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  window.__axeRuns = (window.__axeRuns || Promise.resolve()).then(run, run);
  const result = await window.__axeRuns;
  // Each element with the first reason axe gives ("insufficient color contrast of 4.23 (foreground ...").
  const why = n => [...n.any, ...n.all, ...n.none].map(check => check.message).find(Boolean) || n.failureSummary;
  return result.violations.map(v => ({
    rule: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => [n.target.join(' '), why(n)]),
  }));
}"""

# The page went away while axe looked at it (the journey moved on): the next page gets its own check.
_GONE = ("Execution context was destroyed", "Target page, context or browser has been closed", "navigation")


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    nodes: tuple[tuple[str, str], ...]  # (CSS selector of an element, why it fails)
    url: str
    width: int

    def __str__(self) -> str:
        elements = "".join(f"\n      {target}: {why}" for target, why in self.nodes)
        return f"{self.rule} ({self.impact}) at {self.width} px on {self.url}: {self.help}{elements}"


class AxeAudit:
    """Runs axe on a page's states, each once, and keeps the violations it found.

    Playwright runs the load listener in a greenlet of its own, between the test's own calls, so a
    check on load and one the test asks for can overlap: the second waits for the first.
    """

    def __init__(self, page: Page) -> None:
        self.page = page
        self.violations: list[Violation] = []
        self.errors: list[str] = []  # a check on load that failed for another reason than leaving the page
        self.checked = 0
        self.missed = 0  # states the journey left before axe had finished with them
        self._seen: set[str] = set()
        self._running: set[str] = set()
        self._on_load_running = 0
        self._source = AXE_JS.read_text(encoding="utf-8")

    def watch(self) -> AxeAudit:
        """Check each page on its load event, and let page.goto() wait for that check to end first: a
        journey that goes from page to page would otherwise leave each before axe had looked at it."""
        self.page.on("load", self._on_load)
        goto = self.page.goto

        def goto_when_checked(*args, **kwargs):
            self.settle()
            return goto(*args, **kwargs)

        self.page.goto = goto_when_checked  # type: ignore[method-assign]
        return self

    def settle(self) -> None:
        """Wait until the checks begun on load have ended."""
        while self._on_load_running:
            self.page.wait_for_timeout(20)

    def _on_load(self, _page: Page) -> None:
        # Playwright starts this greenlet as the event arrives, before page.goto() returns.
        self._on_load_running += 1
        try:
            self.check()
        except Exception as error:  # raised in the listener's greenlet, no test would see it
            self.errors.append(f"axe could not check {self.page.url}: {error}")
        finally:
            self._on_load_running -= 1

    def check(self) -> list[Violation]:
        """Check the page as it is now, unless this state was checked before; its violations."""
        try:
            state = self.page.evaluate(_STATE)
            if state is None:
                return []
            has_axe, text = state
            key = hashlib.sha256(f"{self.page.url}\n{text}".encode()).hexdigest()
            while key in self._running:
                self.page.wait_for_timeout(50)
            if key in self._seen:
                return []
            self._seen.add(key)
            self._running.add(key)
            try:
                if not has_axe:
                    self.page.evaluate(self._source)
                url, width = self.page.url, self.page.evaluate("window.innerWidth")
                result = self.page.evaluate(_RUN, WCAG_21_AA)
                if result is None:
                    raise Error("navigation: another document came in while axe was put in")
                found = [
                    Violation(v["rule"], v["impact"], v["help"], tuple(map(tuple, v["nodes"])), url, width)
                    for v in result
                ]
            except Error:
                self._seen.discard(key)  # not checked: the same page shown again gets its check
                raise
            finally:
                self._running.discard(key)
        except Error as error:
            if any(reason in str(error) for reason in _GONE):
                self.missed += 1
                return []
            raise
        self.checked += 1
        self.violations.extend(found)
        return found

    def report(self) -> str:
        lines = [f"axe found {len(self.violations)} WCAG 2.1 AA violation(s) in {self.checked} page state(s):"]
        lines += [f"  {violation}" for violation in self.violations]
        lines += [f"  {error}" for error in self.errors]
        return "\n".join(lines)
