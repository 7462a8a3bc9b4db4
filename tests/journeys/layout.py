"""Measuring where things sit on a page, once it is laid out with its styles.

After a click that submits a form, an element can be in the DOM before the page's stylesheets have
arrived; measured then, it sits where unstyled HTML puts it (a CI run saw the preview 350 px below
where the page shows it). So every measure here waits for the page's load event first.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page


def no_sideways_scroll(page: Page) -> None:
    page.wait_for_load_state("load")
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways at {width} px ({scroll_width} px wide)"


def top(locator: Locator) -> float:
    """How far down the page (not the viewport: scrolling in between does not move it) an element starts."""
    locator.page.wait_for_load_state("load")
    return locator.evaluate("element => element.getBoundingClientRect().top + window.scrollY")
