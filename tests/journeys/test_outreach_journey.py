"""A staffer logs a letter to three MEPs, records the reply of one, logs the written question that reply
reports, records the Commission's answer to it, and watches the awaiting-reply queue shrink and the chain
appear on the campaign page; and a reply dated before its outreach is refused with nothing saved.

The dates are those of the real case (2017-2018), not "some days ago": Federica Mogherini answers for
the Commission only because she held her role there on the day of the reply (2014-11 to 2019-11), and
a reply cannot be dated in the future. Every reply is long overdue by now, so the queue holds them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import func, select

from crm.extensions import db
from crm.outreach.models import Response
from tests.factories import category_id, make_campaign, make_organisation, make_outreach, make_person, make_role

pytestmark = pytest.mark.browser

LETTER = "Urgent appeal: release Mukhtar Dzhakishev on health grounds"
KELAM_ACTION = "Written question to the Commission"
QUESTION = "Written question E-007094/2017: the detention of Mukhtar Dzhakishev"
COMMISSION_ANSWER = "The EU raised the case at the EU-Kazakhstan Human Rights Dialogue and follows it closely."


@dataclass
class Cast:
    campaign_id: int
    kelam_id: int


@pytest.fixture
def cast(app) -> Cast:
    """The people and bodies of the journey, committed before the browser starts (the factories commit)."""
    mep = category_id("MEP")
    parliament = make_organisation("European Parliament", short_name="EP", type_code="eu_institution")
    commission = make_organisation("European Commission", type_code="eu_institution")
    make_organisation("Open Dialog Foundation", short_name="ODF", type_code="ngo")
    kelam = make_person("Kelam", "Tunne", country="EE", category_id=mep)
    for person in (
        kelam,
        make_person("Paet", "Urmas", country="EE", category_id=mep),
        make_person("Delvaux-Stehres", "Mady", country="LU", category_id=mep),
    ):
        make_role(person, parliament, "Member", date(2014, 7, 1), date(2019, 7, 1))
    mogherini = make_person("Mogherini", "Federica", country="IT", category_id=category_id("Official"))
    make_role(mogherini, commission, "High Representative / Vice-President", date(2014, 11, 1), date(2019, 11, 30))
    subject = make_person("Dzhakishev", "Mukhtar", native_name="Мухтар Джакишев", country="KZ")
    campaign = make_campaign("Free Mukhtar Dzhakishev", subject_person_id=subject.id)
    return Cast(campaign_id=campaign.id, kelam_id=kelam.id)


def pick(page: Page, box: Locator, typed: str, name: str, *, keyboard: bool) -> None:
    """Type part of a name into a type-ahead and choose the suggestion, by keyboard or by a click."""
    box.click()
    # Wait for the answer to the whole query, so no earlier, shorter one can redraw the list after.
    with page.expect_response(lambda response: response.url.endswith("?q=" + quote(typed))):
        box.press_sequentially(typed, delay=30)
    # The label comes first in an option; the detail line after it may name the same organisation.
    menu = page.locator(".lookup-menu:not(.d-none)")
    option = menu.get_by_role("option", name=re.compile("^" + re.escape(name)))
    expect(option).to_be_visible()
    if keyboard:
        # Arrow down to it: it need not be the first suggestion.
        labels = menu.get_by_role("option").all_inner_texts()
        position = next(i for i, label in enumerate(labels) if label.startswith(name))
        for _ in range(position + 1):
            box.press("ArrowDown")
        expect(option).to_have_class(re.compile(r"\bactive\b"))
        box.press("Enter")
    else:
        option.click()
    expect(box).to_have_value(name)
    expect(option).to_be_hidden()


def recipient_row(page: Page, name: str) -> Locator:
    return page.locator("table.recipients tbody tr", has_text=name)


def queue_rows(page: Page) -> Locator:
    return page.locator("table.awaiting-queue tbody tr")


def test_letter_reply_question_answer_chain(page, sign_in, cast, artifacts, script_errors):
    sign_in("editor")

    # 1. From the campaign page, log the letter: it starts with the campaign chosen.
    page.locator("nav.navbar").get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="Free Mukhtar Dzhakishev").click()
    expect(page.locator("#threads")).to_contain_text("No chains yet.")
    page.get_by_role("link", name="Log outreach", exact=True).click()
    expect(page.get_by_role("heading", name="Log outreach")).to_be_visible()
    expect(page.get_by_label("Campaign")).to_have_value(str(cast.campaign_id))
    page.get_by_label("Kind").select_option(label="Letter")
    page.get_by_label("Date", exact=True).fill("2017-10-11")
    page.get_by_label("Subject").fill(LETTER)

    rows = page.locator(".participant-row")
    expect(rows).to_have_count(3)
    for index, (typed, name, keyboard) in enumerate(
        [("kelam", "Tunne Kelam", True), ("paet", "Urmas Paet", False), ("delvaux", "Mady Delvaux-Stehres", True)]
    ):
        row = rows.nth(index)
        pick(page, row.get_by_label("Person or organisation"), typed, name, keyboard=keyboard)
        expect(row.locator("input[type=hidden]")).to_have_value(re.compile(r"^p:\d+$"))
        row.get_by_label("Role").select_option(label="To / recipient")
    # The rows ran out: a fourth one for the NGO that signs the letter.
    page.get_by_role("button", name="+ another participant").click()
    expect(rows).to_have_count(4)
    author = rows.nth(3)
    expect(author.get_by_label("Person or organisation")).to_be_focused()
    expect(author.get_by_label("Person or organisation")).to_have_value("")
    pick(
        page,
        author.get_by_label("Person or organisation"),
        "open dialog",
        "Open Dialog Foundation (ODF)",
        keyboard=False,
    )
    expect(author.locator("input[type=hidden]")).to_have_value(re.compile(r"^o:\d+$"))
    author.get_by_label("Role").select_option(label="From / author")
    page.screenshot(path=artifacts / "outreach_form.png", full_page=True)
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text(f"Logged “{LETTER}” with 4 participants.")
    expect(page.get_by_role("heading", level=1)).to_have_text(LETTER)
    letter_url = page.url
    expect(page.get_by_text("0 of 3 recipients replied")).to_be_visible()
    expect(page.locator("table.recipients tbody tr.reply-awaiting")).to_have_count(3)
    for name in ("Tunne Kelam", "Urmas Paet", "Mady Delvaux-Stehres"):
        expect(recipient_row(page, name)).to_contain_text("awaiting reply")
    expect(page.locator("dl")).to_contain_text("Open Dialog Foundation")
    page.screenshot(path=artifacts / "outreach_detail.png", full_page=True)

    # 2. The dashboard counts the three as overdue; the full queue lists them.
    page.locator("nav.navbar").get_by_role("link", name="Advocacy CRM").click()
    awaiting_card = page.locator("#awaiting")
    expect(awaiting_card.locator(".card-header .badge")).to_have_text("3")
    awaiting_card.get_by_role("link", name="Full queue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Awaiting reply")
    expect(page.locator("h1 .badge")).to_have_text("3")
    expect(queue_rows(page)).to_have_count(3)
    for name in ("Tunne Kelam", "Urmas Paet", "Mady Delvaux-Stehres"):
        expect(queue_rows(page).filter(has_text=name)).to_contain_text(LETTER)
    page.screenshot(path=artifacts / "awaiting_queue.png", full_page=True)

    # 3. Kelam answers that he acted; the action he reports becomes the next outreach in the chain.
    page.goto(letter_url)
    recipient_row(page, "Tunne Kelam").get_by_role("link", name="Record reply").click()
    expect(page.get_by_role("heading", name="Record a reply")).to_be_visible()
    expect(page.get_by_label("Who answered")).to_have_value(f"p:{cast.kelam_id}")
    page.get_by_label("Received on").fill("2017-11-06")
    page.get_by_label("Channel").select_option(label="Email")
    page.get_by_label("Outcome").select_option(label="Acted")
    page.get_by_label("What they did").fill(KELAM_ACTION)
    page.get_by_role("button", name="Save and log the action it reports").click()

    expect(page.get_by_role("alert").filter(has_text="Recorded")).to_contain_text("Recorded the reply of Tunne Kelam.")
    expect(page.get_by_role("heading", name="Log outreach")).to_be_visible()
    expect(page.locator(".outreach-form")).to_contain_text("This is the action a reply reported")
    expect(page.get_by_label("Campaign")).to_have_value(str(cast.campaign_id))
    expect(page.get_by_label("Subject")).to_have_value(KELAM_ACTION)
    expect(page.get_by_label("Date", exact=True)).to_have_value("2017-11-06")
    author = rows.nth(0)
    expect(author.get_by_label("Person or organisation")).to_have_value("Tunne Kelam")
    expect(author.locator("input[type=hidden]")).to_have_value(f"p:{cast.kelam_id}")
    expect(author.get_by_label("Role")).to_have_value("from")
    page.get_by_label("Kind").select_option(label="Written question")
    page.get_by_label("Date", exact=True).fill("2017-11-08")
    page.get_by_label("Subject").fill(QUESTION)
    page.get_by_label("Reference").fill("E-007094/2017")
    commission = rows.nth(1)
    pick(page, commission.get_by_label("Person or organisation"), "commission", "European Commission", keyboard=True)
    commission.get_by_label("Role").select_option(label="To / recipient")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text(f"Logged “{QUESTION}” with 2 participants.")
    expect(page.get_by_role("heading", level=1)).to_have_text(QUESTION)
    expect(page.locator(".chain-note")).to_contain_text(f"reply of Tunne Kelam to {LETTER}")
    expect(recipient_row(page, "European Commission")).to_contain_text("awaiting reply")

    # 4. The answer comes from Mogherini, who answers for the Commission: its recipient row turns "replied".
    page.get_by_role("link", name="Record a reply").click()
    pick(page, page.get_by_label("Or someone else"), "mogherini", "Federica Mogherini", keyboard=False)
    page.get_by_label("Received on").fill("2018-01-15")
    page.get_by_label("Channel").select_option(label="Written answer")
    page.get_by_label("Outcome").select_option(label="Acknowledged only")
    page.get_by_label("Summary").fill(COMMISSION_ANSWER)
    page.get_by_role("button", name="Save reply").click()

    expect(page.get_by_role("alert")).to_contain_text("Recorded the reply of Federica Mogherini.")
    expect(page.get_by_role("heading", level=1)).to_have_text(QUESTION)
    commission_row = recipient_row(page, "European Commission")
    expect(commission_row).to_have_class(re.compile(r"\breply-replied\b"))
    expect(commission_row.locator("td").nth(1)).to_have_text("replied")
    expect(commission_row).to_contain_text("15 Jan 2018")
    expect(page.get_by_text("1 of 1 recipient replied")).to_be_visible()
    expect(page.locator("#responses .response")).to_contain_text("Federica Mogherini")

    # 5. The queue has shrunk: Kelam and the Commission answered, Paet and Delvaux-Stehres still owe one.
    page.goto("/outreach/awaiting")
    expect(page.locator("h1 .badge")).to_have_text("2")
    expect(queue_rows(page)).to_have_count(2)
    expect(queue_rows(page).filter(has_text="Tunne Kelam")).to_have_count(0)
    expect(queue_rows(page).filter(has_text="European Commission")).to_have_count(0)
    expect(queue_rows(page).filter(has_text="Urmas Paet")).to_have_count(1)
    expect(queue_rows(page).filter(has_text="Mady Delvaux-Stehres")).to_have_count(1)

    page.locator("nav.navbar").get_by_role("link", name="Advocacy CRM").click()
    expect(page.locator("#awaiting .card-header .badge")).to_have_text("2")
    expect(page.locator("#responses")).to_contain_text("Federica Mogherini")
    expect(page.locator("#responses")).to_contain_text("Tunne Kelam")
    page.screenshot(path=artifacts / "dashboard.png", full_page=True)

    # The campaign page: letter → Kelam's reply → the written question → Mogherini's reply, each nested in the last.
    page.locator("nav.navbar").get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="Free Mukhtar Dzhakishev").click()
    chains = page.locator("#threads ul.threads > li")
    expect(chains).to_have_count(1)
    letter = chains.first
    expect(letter.locator(":scope > div").get_by_role("link")).to_have_text(LETTER)
    kelam_reply = letter.locator(":scope > ul > li")
    expect(kelam_reply).to_have_count(1)
    expect(kelam_reply).to_contain_text(re.compile(r"reply from\s+Tunne Kelam · Acted"))
    expect(kelam_reply).to_contain_text(KELAM_ACTION)
    question = kelam_reply.locator(":scope > ul > li")
    expect(question).to_have_count(1)
    expect(question.locator(":scope > div").get_by_role("link")).to_have_text(QUESTION)
    expect(question.locator(":scope > div")).to_contain_text("Written question")
    expect(question.locator(":scope > div")).to_contain_text("(E-007094/2017)")
    answer = question.locator(":scope > ul > li")
    expect(answer).to_have_count(1)
    expect(answer).to_contain_text(re.compile(r"reply from\s+Federica Mogherini · Acknowledged only"))
    expect(answer).to_contain_text(COMMISSION_ANSWER)
    # The key figures agree: 2 of 4 recipients replied, 2 overdue.
    expect(page.locator(".key-figures")).to_contain_text("2 of 4 recipients replied")
    page.locator("#threads").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "campaign_chain.png", full_page=True)

    assert script_errors == []


def test_a_reply_dated_before_its_outreach_is_refused(app, page, sign_in, artifacts, script_errors):
    paet = make_person("Paet", "Urmas", country="EE", category_id=category_id("MEP"))
    outreach = make_outreach(LETTER, sent_on=date(2017, 10, 11), to=[paet])
    outreach_url = f"/outreach/{outreach.id}"
    sign_in("editor")

    page.goto(outreach_url)
    recipient_row(page, "Urmas Paet").get_by_role("link", name="Record reply").click()
    page.get_by_label("Received on").fill("2017-10-01")
    page.get_by_label("Outcome").select_option(label="Committed to act")
    page.get_by_label("Summary").fill("Will raise it with the delegation.")
    page.get_by_role("button", name="Save reply").click()

    expect(page.get_by_role("alert")).to_have_text("Nothing was saved: please correct the fields marked below.")
    received_on = page.get_by_label("Received on")
    expect(received_on).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator(".invalid-feedback")).to_have_text(
        "The reply is dated 01 Oct 2017, before the outreach itself (11 Oct 2017)."
    )
    # What was typed is kept, to correct rather than retype.
    expect(page.get_by_label("Summary")).to_have_value("Will raise it with the delegation.")
    page.screenshot(path=artifacts / "reply_before_outreach.png", full_page=True)

    page.goto(outreach_url)
    expect(page.locator("#responses")).to_contain_text("No replies yet.")
    expect(recipient_row(page, "Urmas Paet")).to_contain_text("awaiting reply")
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    assert script_errors == []
