"""Issue 15, "Email in and out", end to end: an editor writes from the demo campaign's page to three of its
MEPs, previews one message and sends; the test SMTP server receives three messages, one per MEP; the email
is logged as outreach with three recipients awaiting a reply. Two weeks later one MEP answers: the reply
lands in the IMAP mailbox (Dovecot), the worker's polling chore files it on that MEP's participation, the
awaiting-reply queue shrinks by one and the campaign's timeline shows the reply. A second message, from
an address nobody has, waits on the triage list.

Everything is real but the clock: the live server sends through a Huey worker (a thread, as `make run`
has) to an aiosmtpd server, and reads the mailbox with the same function the worker's chore runs. The
awaiting-reply queue lists only overdue replies (14 days for an email), so the test moves the app's
calendar on 15 days before the reply arrives, as the outreach journey dates its letters in 2017.

The demo's MEPs have no email addresses (the public documents give none), so the setup gives three of
them one, through the people service, as a staffer would on their pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

import crm.timeutil
from crm import create_app
from crm.campaigns.models import Campaign
from crm.contacts.data import EmailData
from crm.contacts.models import Person
from crm.contacts.people import update_person
from crm.demo.campaign import CAMPAIGN
from crm.demo.loader import load_demo
from crm.extensions import db
from crm.imports.person_values import person_data_of
from crm.jobs import huey
from crm.salutations.service import ensure_default_salutations
from tests.journeys.conftest import serve
from tests.journeys.layout import no_sideways_scroll, top
from tests.mailbox.conftest import Mailbox, dovecot  # noqa: F401  (dovecot: the session's IMAP server fixture)
from tests.mailing import smtp_server
from tests.settings import app_config

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/email-shots")
SENDER = "campaigns@freedom.example.org"
# Three MEPs of the demo who asked written questions about the case; addresses under a reserved domain.
MEPS = {
    "Tunne Kelam": "tunne.kelam@europarl.example.org",
    "Urmas Paet": "urmas.paet@europarl.example.org",
    "Mady Delvaux-Stehres": "mady.delvaux@europarl.example.org",
}
SUBJECT = "{{ campaign_subject }}: please ask about his health at the next session"
RENDERED_SUBJECT = "Mukhtar Dzhakishev: please ask about his health at the next session"
BODY = (
    "{{ salutation }},\n\n"
    "Mukhtar Dzhakishev has been in prison since 2009 and is losing his sight. Would you ask "
    "the Commission what the EU is doing for his release on health grounds?\n\n"
    "Yours sincerely,\nThe {{ campaign }} team\n"
)
REPLY_TEXT = "Thank you. I will raise his case with the delegation to Kazakhstan next week and write to the EEAS."
DAYS_LATER = 15  # an email's reply is due after 14 days (Admin › lists): by then it is overdue


@dataclass
class Setting:
    smtp: smtp_server.Recorder
    mailbox: Mailbox
    live_app: Flask
    campaign_id: int


@pytest.fixture
def demo(app) -> int:
    """The demo data as `crm demo` loads it, the salutations a new database starts with, and three emails."""
    load_demo()
    ensure_default_salutations()  # what migration 0016 puts in a new database (the tests empty the tables)
    for name, address in MEPS.items():
        given_name, family_name = name.split(" ", 1)
        person = db.session.scalars(
            select(Person).where(Person.given_name == given_name, Person.family_name == family_name)
        ).one()
        data = person_data_of(person)
        data.emails = [EmailData(address, is_primary=True)]
        update_person(person, data, actor=None, expected_version=person.version)
    db.session.commit()
    return db.session.scalars(select(Campaign.id).where(Campaign.name == CAMPAIGN.name)).one()


@pytest.fixture
def smtp() -> Iterator[smtp_server.Recorder]:
    recorder = smtp_server.Recorder()
    controller = smtp_server.start(recorder)
    recorder.port = controller.port
    yield recorder
    controller.stop()


@pytest.fixture
def mailbox(dovecot) -> Mailbox:  # noqa: F811
    box = Mailbox(dovecot)
    box.empty()
    return box


@pytest.fixture
def live_app(app, database_dir, tmp_path, smtp, mailbox, dovecot):  # noqa: F811
    return create_app(
        app_config(
            database_dir,
            JOBS_IMMEDIATE=False,
            JOBS_URL=str(tmp_path / "jobs.sqlite3"),
            MAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
            MAIL_FROM=SENDER,
            MAIL_PER_MINUTE=600,  # the throttle still spaces them, by a tenth of a second
            IMAP_URL=dovecot,
        )
    )


@pytest.fixture
def live_server(live_app) -> Iterator[str]:
    # A worker as `crm worker` runs it, but without the periodic scheduler: the test runs the mailbox chore
    # itself, at the moment the story needs it, rather than whenever a five-minute mark comes round.
    consumer = huey(live_app).create_consumer(
        workers=1, worker_type="thread", periodic=False, check_worker_health=False
    )
    consumer.start()
    try:
        yield from serve(live_app)
    finally:
        consumer.stop(graceful=True)


@pytest.fixture
def setting(demo, smtp, mailbox, live_app) -> Setting:
    return Setting(smtp, mailbox, live_app, demo)


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)


def picked_label(name: str) -> str:
    given_name, family_name = name.split(" ", 1)
    return f"{family_name}, {given_name} — {MEPS[name]}"


def awaiting_total(page: Page) -> int:
    page.goto("/outreach/awaiting")
    return int(page.locator("h1 .badge").inner_text())


def test_email_out_and_the_reply_in(page, sign_in, setting, monkeypatch, script_errors):
    sign_in("editor")

    # 1. From the campaign page, write to three MEPs.
    page.locator("nav.navbar").get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name=CAMPAIGN.name).click()
    campaign_url = page.url
    page.get_by_role("link", name="Write an email").click()
    expect(page.get_by_role("heading", name="Write an email")).to_be_visible()
    expect(page.get_by_label("Campaign")).to_have_value(str(setting.campaign_id))
    expect(page.locator(".outbox-note")).to_have_count(0)  # a mail server is set up: the messages really go
    page.get_by_label("People picked by hand").select_option(label=[picked_label(name) for name in MEPS])
    page.get_by_label("Subject").fill(SUBJECT)
    page.get_by_label("Message").fill(BODY)

    # Preview one recipient's message: the merge fields are theirs.
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="3 recipients")).to_be_visible()
    preview_of = page.get_by_label("Preview the message of")
    preview_of.select_option(label=f"Urmas Paet <{MEPS['Urmas Paet']}>")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".preview .card-header")).to_contain_text(f"To: Urmas Paet <{MEPS['Urmas Paet']}>")
    expect(page.locator(".preview-subject")).to_have_text(RENDERED_SUBJECT)
    expect(page.locator(".preview-body")).to_contain_text("Dear Mr Paet,")
    expect(page.locator(".preview-body")).to_contain_text(f"The {CAMPAIGN.name} team")
    expect(page.locator(".preview-body")).not_to_contain_text("{{")
    expect(page.locator(".no-salutation")).to_have_count(0)
    shot(page, "1-compose-preview")
    page.get_by_role("button", name="Send to 3 people").click()

    # 2. The mailing's page follows the worker until all three are sent.
    expect(page.get_by_role("alert")).to_contain_text(f"Sending “{RENDERED_SUBJECT}” to 3 people.")
    expect(page.locator(".progress-summary")).to_contain_text("Done.", timeout=20_000)
    expect(page.locator(".progress-summary")).to_contain_text("3 sent")
    rows = page.locator("table.recipients tbody tr")
    expect(rows).to_have_count(3)
    for name, address in MEPS.items():
        expect(rows.filter(has_text=name)).to_contain_text(address)
        expect(rows.filter(has_text=name).locator("td").nth(1)).to_have_text("sent")
    mailing_url = page.url
    shot(page, "2-mailing-sent")

    received = setting.smtp.received
    assert len(received) == 3
    by_address = {}
    for item in received:
        assert len(item.rcpt_tos) == 1, item.rcpt_tos
        (address,) = item.rcpt_tos
        message = item.message
        assert parseaddr(str(message["To"]))[1] == address
        assert message["Cc"] is None and message["Bcc"] is None
        assert item.mail_from == SENDER
        assert str(message["Subject"]) == RENDERED_SUBJECT
        by_address[address] = message
    assert set(by_address) == set(MEPS.values())
    message_ids = {address: str(message["Message-ID"]) for address, message in by_address.items()}
    assert len(set(message_ids.values())) == 3 and all(
        re.fullmatch(r"<[^<>@\s]+@[^<>\s]+>", m) for m in message_ids.values()
    )
    assert "Dear Mr Kelam," in by_address[MEPS["Tunne Kelam"]].get_content()

    # 3. The email is logged as outreach: three recipients, each awaiting a reply.
    page.get_by_role("link", name=re.compile(r"^outreach #\d+$")).click()
    outreach_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(RENDERED_SUBJECT)
    expect(page.get_by_text("0 of 3 recipients replied")).to_be_visible()
    recipients = page.locator("table.recipients tbody tr")
    expect(recipients).to_have_count(3)
    for name in MEPS:
        expect(recipients.filter(has_text=name)).to_contain_text("awaiting reply")

    # 4. Two weeks and a day pass with no answer: the three are overdue and in the awaiting-reply queue.
    real_utcnow = crm.timeutil.utcnow
    monkeypatch.setattr(crm.timeutil, "utcnow", lambda: real_utcnow() + timedelta(days=DAYS_LATER))
    before = awaiting_total(page)
    queue = page.locator("table.awaiting-queue tbody tr").filter(has_text=RENDERED_SUBJECT)
    expect(queue).to_have_count(3)
    page.locator("nav.navbar").get_by_role("link", name="Advocacy CRM").click()
    expect(page.locator("#awaiting .card-header .badge")).to_have_text(str(before))

    # 5. Kelam answers from his mail program: a reply to the message he got, into our mailbox.
    kelam_message_id = message_ids[MEPS["Tunne Kelam"]]
    answered_on = datetime.now(UTC) + timedelta(days=DAYS_LATER)
    setting.mailbox.deliver(reply(kelam_message_id, answered_on))
    # And a journalist writes from an address nobody has: it waits on the triage list.
    setting.mailbox.deliver(stranger(answered_on))
    with setting.live_app.app_context():
        counts = setting.live_app.extensions["job_chores"]["mailbox-fetch"]()  # what the worker runs every 5 min
    assert counts == {"reply": 1, "outreach": 0, "triage": 1, "duplicate": 0, "failed": 0}
    assert setting.mailbox.subjects("INBOX") == []
    assert sorted(setting.mailbox.subjects("CRM.Filed")) == sorted([f"Re: {RENDERED_SUBJECT}", "Interview request"])

    # 6. The queue has shrunk by one: Kelam answered, Paet and Delvaux-Stehres still owe a reply.
    assert awaiting_total(page) == before - 1
    expect(queue).to_have_count(2)
    expect(queue.filter(has_text="Tunne Kelam")).to_have_count(0)
    page.locator("nav.navbar").get_by_role("link", name="Advocacy CRM").click()
    expect(page.locator("#awaiting .card-header .badge")).to_have_text(str(before - 1))

    # The outreach shows Kelam's reply, by email, with his text.
    page.goto(outreach_url)
    expect(page.get_by_text("1 of 3 recipients replied")).to_be_visible()
    kelam_row = recipients.filter(has_text="Tunne Kelam")
    expect(kelam_row).to_have_class(re.compile(r"\breply-replied\b"))
    expect(kelam_row.locator("td").nth(1)).to_have_text("replied")
    for name in ("Urmas Paet", "Mady Delvaux-Stehres"):
        expect(recipients.filter(has_text=name)).to_contain_text("awaiting reply")
    response = page.locator("#responses .response")
    expect(response).to_have_count(1)
    expect(response).to_contain_text("Tunne Kelam")
    expect(response).to_contain_text(re.compile(r"·\s*Email\b"))
    expect(response.locator(".notes")).to_contain_text(re.compile("^" + re.escape(REPLY_TEXT)))
    shot(page, "3-outreach-reply")

    # The campaign's timeline shows the reply to the email.
    page.goto(campaign_url)
    reply_row = page.locator("#timeline li.timeline-replies").filter(has_text=RENDERED_SUBJECT)
    expect(reply_row).to_have_count(1)
    expect(reply_row).to_contain_text("Tunne Kelam")
    expect(reply_row).to_contain_text(f"Tunne Kelam — {REPLY_TEXT}")  # what he wrote, first
    email_row = page.locator("#timeline li.timeline-outreach").filter(has_text=RENDERED_SUBJECT)
    expect(email_row).to_contain_text("1 of 3 recipients replied")
    reply_row.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "4-campaign-timeline-1366.png")  # the page is long: where the reply is

    # The journalist's message is on the triage list, with why.
    page.locator("nav.navbar").get_by_role("link", name="Outreach").click()
    page.locator(".email-menu").get_by_role("button", name="Email").click()
    page.get_by_role("link", name="Email triage").click()
    triage_url = page.url
    triage = page.locator("table.triage-list tbody tr")
    expect(triage).to_have_count(1)
    expect(triage).to_contain_text("Interview request")
    expect(triage).to_contain_text("No contact has the address anna.reporter@news.example.org.")
    shot(page, "5-triage")

    # 7. On a phone (390 px) the email pages fit the screen: compose with its preview, the mailing, triage.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(campaign_url)
    page.get_by_role("link", name="Write an email").click()
    page.get_by_label("People picked by hand").select_option(label=[picked_label(name) for name in MEPS])
    page.get_by_label("Subject").fill(SUBJECT)
    page.get_by_label("Message").fill(BODY)
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".preview-body")).to_contain_text("Dear Ms Delvaux-Stehres,")
    # The preview is what the button was pressed for: on a phone it comes first, not under the form.
    assert top(page.locator(".preview")) < top(page.get_by_label("Subject"))
    no_sideways_scroll(page)
    shot(page, "1-compose-preview")
    for url, name in ((mailing_url, "2-mailing-sent"), (triage_url, "5-triage")):
        page.goto(url)
        no_sideways_scroll(page)
        shot(page, name)
    page.goto(outreach_url)  # the outreach page is not the email feature's: looked at, not measured
    shot(page, "3-outreach-reply")

    assert script_errors == []


def reply(in_reply_to: str, on: datetime) -> bytes:
    """Kelam's answer as his mail program writes it: a reply to our message, quoting it below."""
    message = EmailMessage()
    message["From"] = f"Tunne Kelam <{MEPS['Tunne Kelam']}>"
    message["To"] = f"Free Mukhtar Dzhakishev <{SENDER}>"
    message["Subject"] = f"Re: {RENDERED_SUBJECT}"
    message["Date"] = format_datetime(on)
    message["Message-ID"] = "<kelam-reply-1@europarl.example.org>"
    message["In-Reply-To"] = in_reply_to
    message["References"] = in_reply_to
    message.set_content(
        f"{REPLY_TEXT}\n\nTunne Kelam\n\n> Dear Tunne Kelam,\n>\n> Mukhtar Dzhakishev has been in prison\n"
    )
    return message.as_bytes()


def stranger(on: datetime) -> bytes:
    message = EmailMessage()
    message["From"] = "Anna Reporter <anna.reporter@news.example.org>"
    message["To"] = SENDER
    message["Subject"] = "Interview request"
    message["Date"] = format_datetime(on)
    message["Message-ID"] = "<interview-1@news.example.org>"
    message.set_content("Could someone from the campaign speak to us about Mukhtar Dzhakishev this week?")
    return message.as_bytes()
