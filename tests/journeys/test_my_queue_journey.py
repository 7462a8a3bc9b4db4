"""An editor works their day: the start page leads with theirs, the queue shows theirs by default and
everyone's on request; they snooze one reply to next week (it leaves the queue and shows under Snoozed
with its day), mark a follow-up done and undo it, stop waiting for a reply that will not come and undo
that too. On a phone (390 px) they record a reply from the queue, every button within reach without
scrolling sideways, and stop waiting for another."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from crm.timeutil import today
from tests.factories import make_campaign, make_outreach, make_person
from tests.journeys.layout import no_sideways_scroll, top

pytestmark = pytest.mark.browser

PHONE = 390


@dataclass
class Day:
    kelam_letter_id: int


@pytest.fixture
def day(app, staff) -> Day:
    editor, admin = staff["editor"], staff["admin"]
    kelam, paet = make_person("Kelam", "Tunne"), make_person("Paet", "Urmas")
    ojuland = make_person("Ojuland", "Kristiina")
    campaign = make_campaign("Free Mukhtar Dzhakishev", owner_ids=[editor.id])
    long_ago = today() - timedelta(days=40)
    letter = make_outreach(
        "Urgent appeal: release Mukhtar Dzhakishev on health grounds",
        to=[kelam],
        sent_on=long_ago,
        owner_id=editor.id,
        campaign_id=campaign.id,
    )
    # Nobody owns this one, but it is in the editor's campaign: theirs too.
    make_outreach("Hearing observers needed", to=[paet], sent_on=long_ago, campaign_id=campaign.id)
    make_outreach("Statement on Kazakhstan", to=[ojuland], sent_on=long_ago, owner_id=admin.id)
    make_outreach("Call the embassy back", kind="call", sent_on=long_ago, owner_id=editor.id, follow_up_on=today())
    return Day(kelam_letter_id=letter.id)


def rows(page: Page) -> Locator:
    return page.locator(".my-queue .queue-item")


def row(page: Page, text: str) -> Locator:
    return rows(page).filter(has_text=text)


def test_my_queue_with_snooze(page, sign_in, day, artifacts, script_errors):
    sign_in("editor")
    mine = page.locator("#mine")
    expect(mine).to_contain_text("Tunne Kelam")
    expect(mine).to_contain_text("Call the embassy back")
    expect(mine).not_to_contain_text("Kristiina Ojuland")
    page.screenshot(path=artifacts / "start-1366.png", full_page=True)
    mine.get_by_role("link", name="My queue").click()

    # Mine by default: my letter, the unowned one in my campaign, my call; not the admin's statement.
    expect(page.get_by_role("heading", level=1)).to_contain_text("My queue")
    expect(rows(page)).to_have_count(3)
    expect(page.locator(".queue-total")).to_have_text("3")
    expect(row(page, "Statement on Kazakhstan")).to_have_count(0)
    page.screenshot(path=artifacts / "my_queue-1366.png", full_page=True)

    page.get_by_label("Whose").select_option(label="Everyone")
    expect(page).to_have_url(re.compile(r"owner=all"))
    page.wait_for_load_state()  # the rows are there before the script that makes a choice submit the form
    expect(rows(page)).to_have_count(4)
    expect(row(page, "Kristiina Ojuland")).to_contain_text("Admin")
    page.get_by_label("Whose").select_option(label="Mine")
    expect(rows(page)).to_have_count(3)

    # Snooze Kelam's reply to next week: it leaves the queue, and shows under Snoozed with its day.
    next_week = today() + timedelta(days=7)
    kelam = row(page, "Tunne Kelam")
    kelam.get_by_label("Snooze until").fill(next_week.isoformat())
    kelam.get_by_role("button", name="Snooze").click()
    expect(page.get_by_role("alert")).to_contain_text("Snoozed until")
    expect(rows(page)).to_have_count(2)
    expect(row(page, "Tunne Kelam")).to_have_count(0)
    page.get_by_role("link", name="Snoozed").click()
    expect(rows(page)).to_have_count(1)
    expect(row(page, "Tunne Kelam").locator(".snoozed-until")).to_have_text(f"· snoozed until {next_week:%d %b %Y}")
    page.get_by_role("link", name="Back to the queue").click()

    # Mark the call's follow-up done from its row; undo puts it back.
    row(page, "Call the embassy back").get_by_role("button", name="Done").click()
    expect(page.get_by_role("alert").filter(has_text="Follow-up done")).to_be_visible()
    expect(rows(page)).to_have_count(1)
    page.locator(".queue-undo").get_by_role("button", name="Undo").click()
    expect(page.get_by_role("alert").filter(has_text="open again")).to_be_visible()
    expect(row(page, "Call the embassy back")).to_have_count(1)
    no_sideways_scroll(page)

    page.set_viewport_size({"width": PHONE, "height": 800})
    page.reload()
    no_sideways_scroll(page)
    page.screenshot(path=artifacts / "my_queue-390.png", full_page=True)
    page.goto("/")
    no_sideways_scroll(page)
    # On the phone too the page leads with mine: at the top of the screen, above the search.
    expect(page.locator("#mine")).to_contain_text("Call the embassy back")
    assert top(page.locator("#mine")) < top(page.get_by_role("heading", name="Find anyone"))
    assert page.evaluate("window.scrollY") == 0
    page.screenshot(path=artifacts / "start-390.png", full_page=True)
    assert script_errors == []


def right_edge(locator: Locator) -> float:
    locator.page.wait_for_load_state("load")
    box = locator.bounding_box()
    assert box is not None, "the element is not shown"
    return box["x"] + box["width"]


def test_recording_a_reply_from_the_queue_on_a_phone(page, sign_in, day, artifacts, script_errors):
    page.set_viewport_size({"width": PHONE, "height": 800})
    sign_in("editor")
    page.goto("/outreach/queue")
    no_sideways_scroll(page)
    kelam = row(page, "Tunne Kelam")
    for name in ("Record reply", "Stop waiting", "Snooze"):
        assert right_edge(kelam.get_by_role("button", name=name).or_(kelam.get_by_role("link", name=name))) <= PHONE
    kelam.get_by_role("link", name="Record reply").click()

    expect(page.get_by_role("heading", name="Record a reply")).to_be_visible()
    no_sideways_scroll(page)
    expect(page.get_by_label("Who answered")).to_contain_text("Tunne Kelam")
    for name in ("Save reply", "Save and log the action it reports"):
        assert right_edge(page.get_by_role("button", name=name)) <= PHONE, name
    page.get_by_label("Received on").fill(today().isoformat())
    page.get_by_label("Outcome").select_option(label="Committed to act")
    page.get_by_label("Summary").fill("He will raise the case at the next plenary.")
    page.screenshot(path=artifacts / "reply_form-390.png", full_page=True)
    page.get_by_role("button", name="Save reply").click()

    expect(page.get_by_role("alert")).to_contain_text("Recorded the reply of Tunne Kelam.")
    no_sideways_scroll(page)
    recipients = page.locator("table.recipients")
    expect(recipients).to_contain_text("replied")
    for link in recipients.get_by_role("link").all():
        assert right_edge(link) <= PHONE
    page.screenshot(path=artifacts / "outreach_detail-390.png", full_page=True)

    page.goto("/outreach/queue")
    expect(row(page, "Tunne Kelam")).to_have_count(0)
    no_sideways_scroll(page)

    # Paet will not answer: stop waiting for him from his row, the Undo fits the screen too.
    row(page, "Urmas Paet").get_by_role("button", name="Stop waiting").click()
    expect(page.get_by_role("alert")).to_contain_text("Stopped waiting for a reply from Urmas Paet to “Hearing")
    expect(row(page, "Urmas Paet")).to_have_count(0)
    no_sideways_scroll(page)
    assert right_edge(page.locator(".wait-again").get_by_role("button", name="Undo")) <= PHONE
    page.screenshot(path=artifacts / "my_queue_stopped-390.png", full_page=True)
    assert script_errors == []


def test_stop_waiting_for_a_reply_and_undo(page, sign_in, day, artifacts, script_errors):
    sign_in("editor")
    page.goto("/outreach/awaiting")
    expect(page.locator("table.awaiting-queue").get_by_role("button", name="Stop waiting")).to_have_count(3)
    no_sideways_scroll(page)
    page.screenshot(path=artifacts / "awaiting-1366.png", full_page=True)
    page.goto("/outreach/queue")
    expect(rows(page)).to_have_count(3)
    kelam = row(page, "Tunne Kelam")
    expect(kelam.get_by_role("button", name="Stop waiting")).to_have_accessible_name(
        "Stop waiting for a reply from Tunne Kelam"
    )
    kelam.get_by_role("button", name="Stop waiting").click()
    # One message says so, with its Undo.
    expect(page.get_by_role("alert")).to_have_count(1)
    expect(page.get_by_role("alert")).to_contain_text("Stopped waiting for a reply from Tunne Kelam to “Urgent appeal")
    expect(rows(page)).to_have_count(2)
    expect(row(page, "Tunne Kelam")).to_have_count(0)
    no_sideways_scroll(page)
    page.screenshot(path=artifacts / "my_queue_stopped-1366.png", full_page=True)
    page.locator(".wait-again").get_by_role("button", name="Undo").click()
    expect(page.get_by_role("alert")).to_contain_text("Waiting for a reply from Tunne Kelam again.")
    expect(row(page, "Tunne Kelam")).to_have_count(1)
    expect(page.locator(".wait-again")).to_have_count(0)

    # From the entry's page: the recipient's row and the history say so; Undo there too.
    row(page, "Tunne Kelam").get_by_role("link", name="Urgent appeal").click()
    recipients = page.locator("table.recipients")
    page.screenshot(path=artifacts / "outreach_awaiting-1366.png", full_page=True)
    recipients.get_by_role("button", name="Stop waiting").click()
    expect(page.locator(".wait-again")).to_contain_text("Stopped waiting for a reply from Tunne Kelam")
    expect(recipients).not_to_contain_text("awaiting reply")
    expect(recipients.locator(".stopped-waiting")).to_have_text(f"stopped waiting on {today():%d %b %Y}")
    expect(recipients.get_by_role("button", name="Stop waiting")).to_have_count(0)
    history = page.locator("#history")
    expect(history.locator("li").first).to_contain_text("Stopped waiting for a reply")
    expect(history.locator("li").first).to_contain_text("Tunne Kelam")
    no_sideways_scroll(page)
    page.screenshot(path=artifacts / "outreach_stopped-1366.png", full_page=True)
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.reload()  # the Undo was offered once: gone
    expect(page.locator(".wait-again")).to_have_count(0)
    no_sideways_scroll(page)
    page.screenshot(path=artifacts / "outreach_stopped-390.png", full_page=True)

    page.goto("/outreach/queue")
    expect(row(page, "Tunne Kelam")).to_have_count(0)
    assert script_errors == []
