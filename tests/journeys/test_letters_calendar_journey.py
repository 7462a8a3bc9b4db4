"""Issue 16, "Letters and the calendar", end to end in Chromium.

Letters: from the demo campaign's page an editor writes letters, uploads the shipped sample template,
previews the campaign's people (the 17 MEPs get a letter; two people with no postal address are left out),
merges, downloads the zip and the combined document through the browser and opens them (Kelam's letter
says "Dear Mr Kelam" above the EP's Brussels address), and logs the letters as one outreach entry whose
every recipient has their own letter.

The calendar: the editor makes their feed URL on the account page, a calendar app (plain HTTP, no cookies)
reads it, renewing it makes the old URL a 404; then an Outlook invitation dropped on the campaign's Log
outreach page fills a meeting with Urmas Paet, his assistant (not in the CRM yet) is added, and the month
view shows the meeting beside the campaign's milestone.

Every demo milestone is older than the year back a feed carries, so the feed is read as on 2 September
2019, a week before the parole appeal hearing (the outreach journey dates its letters in 2017 likewise);
only the feed's clock is moved. The demo's MEPs have no email addresses (the documents give none): the
setup gives Urmas Paet one, through the people service, as a staffer would on his page.
"""

from __future__ import annotations

import io
import re
import urllib.error
import urllib.request
import zipfile
from datetime import date, datetime
from pathlib import Path

import docx
import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect
from sqlalchemy import select

import crm.agenda.views
from crm.campaigns.models import Campaign
from crm.contacts.data import EmailData
from crm.contacts.models import EmailAddress, Person
from crm.contacts.people import update_person
from crm.demo.campaign import CAMPAIGN, MILESTONES
from crm.demo.loader import load_demo
from crm.demo.people import MEPS
from crm.extensions import db
from crm.imports.person_values import person_data_of
from crm.salutations.service import ensure_default_salutations
from tests.journeys.layout import no_sideways_scroll, top

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/letters-shots")
SAMPLE = Path(__file__).resolve().parents[2] / "crm" / "letters" / "samples" / "sample_letter.docx"
KELAM_BLOCK = [
    "Mr Tunne Kelam",
    "Parlement européen",
    "Bâtiment Altiero Spinelli",
    "Rue Wiertz 60",
    "1047 BRUXELLES",
    "BELGIUM",
]
NO_ADDRESS = ["Marc Behrendt", "Nursultan Abishevich Nazarbayev"]  # parties to the campaign's outreach
PAET_EMAIL = "urmas.paet@europarl.example.org"
ASSISTANT_EMAIL = "maarja.kask@europarl.example.org"
FEED_READ_AT = datetime(2019, 9, 2, 8, 0)  # naive UTC, as crm.timeutil.utcnow gives
# The feed carries a year back: of the demo's milestones, those from 2 September 2018 on.
IN_FEED = [m for m in MILESTONES if m.on >= date(2018, 9, 2)]
MEETING_SUBJECT = "Mukhtar Dzhakishev: before the Oskemen hearing"
MEETING_PLACE = "European Parliament, Altiero Spinelli building, Brussels"


@pytest.fixture
def demo(app) -> int:
    """The demo data as `crm demo` loads it, the salutations a new database has, and Paet's email."""
    load_demo()
    ensure_default_salutations()  # what migration 0016 puts in a new database (the tests empty the tables)
    paet = db.session.scalars(select(Person).where(Person.family_name == "Paet")).one()
    data = person_data_of(paet)
    data.emails = [EmailData(PAET_EMAIL, is_primary=True)]
    update_person(paet, data, actor=None, expected_version=paet.version)
    db.session.commit()
    return db.session.scalars(select(Campaign.id).where(Campaign.name == CAMPAIGN.name)).one()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}-{page.viewport_size['width']}.png", full_page=True)


def at_phone_width(page: Page, urls: dict[str, str]) -> None:
    """Each page at 390 px: no sideways scroll, and a screenshot; then back to the desktop width."""
    page.set_viewport_size({"width": 390, "height": 844})
    for name, url in urls.items():
        page.goto(url)
        no_sideways_scroll(page)
        shot(page, name)
    page.set_viewport_size({"width": 1366, "height": 900})


def download(page: Page, link_name: str, within=None) -> bytes:
    with page.expect_download() as info:
        (within or page).get_by_role("link", name=link_name).click()
    return Path(info.value.path()).read_bytes()


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def fetch(url: str) -> tuple[int, bytes]:
    """As a calendar app fetches a subscription: a plain GET, no cookies, no session."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_letters_to_the_campaigns_meps(page, sign_in, demo, script_errors):
    sign_in("editor")
    page.locator("nav.navbar").get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name=CAMPAIGN.name).click()
    campaign_url = page.url
    page.get_by_role("link", name="Write letters").click()
    expect(page.get_by_role("heading", name="Write letters")).to_be_visible()

    # No template yet: the page says where to get one. Upload the shipped sample through the file input.
    page.get_by_role("link", name="upload one or add the sample letter").click()
    upload = page.locator("form.template-upload")
    upload.get_by_label("Name").fill("Letter to MEPs")
    upload.get_by_label("For").select_option(label=CAMPAIGN.name)
    upload.get_by_label("Word template (.docx)").set_input_files(SAMPLE)
    upload.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("alert")).to_contain_text("Template “Letter to MEPs” added.")
    template_row = page.locator("table.letter-templates tbody tr").filter(has_text="Letter to MEPs")
    expect(template_row).to_contain_text(CAMPAIGN.name)
    expect(template_row).to_contain_text("salutation")
    letters_url = page.url
    shot(page, "1-letters")

    # Back on the campaign: nobody picked by hand, so the campaign's people get a letter.
    page.goto(campaign_url)
    page.get_by_role("link", name="Write letters").click()
    expect(page.get_by_label("Template")).to_have_value(re.compile(r"^\d+$"))
    expect(page.get_by_label("Campaign")).to_have_value(str(demo))
    expect(page.locator("form.write-letters")).to_contain_text("To: the campaign's people")
    page.get_by_role("button", name="Preview the recipients").click()
    expect(page.get_by_role("heading", name=f"{len(MEPS)} letters")).to_be_visible()
    recipients = page.locator("ul.recipients > li")
    expect(recipients).to_have_count(len(MEPS))
    kelam = recipients.filter(has_text="Tunne Kelam")
    for line in KELAM_BLOCK:
        expect(kelam.locator(".address-block")).to_contain_text(line)
    left_out = page.locator(".excluded li")
    expect(left_out).to_have_count(len(NO_ADDRESS))
    for name in NO_ADDRESS:
        expect(left_out.filter(has_text=name)).to_contain_text("no postal address")
    # Who is left out comes before the 17 address blocks, not under them.
    assert top(page.locator(".excluded")) < top(recipients.first)
    write_url = page.url
    shot(page, "2-write-preview")
    page.get_by_role("button", name="Merge the letters").click()

    # The merge: the zip of one letter each, the document to print, and who was left out.
    expect(page.get_by_role("heading", name="Letters: Letter to MEPs")).to_be_visible()
    expect(page.locator(".excluded li")).to_have_count(len(NO_ADDRESS))
    merge_url = page.url
    with zipfile.ZipFile(io.BytesIO(download(page, f"Download the {len(MEPS)} letters (zip)"))) as archive:
        names = archive.namelist()
        letters = {name: archive.read(name) for name in names if re.fullmatch(r"\d{3} .+\.docx", name)}
        combined_in_zip = archive.read("All letters.docx")
    # One .docx per letter, the document to print, and its PDF when LibreOffice is installed.
    assert len(letters) == len(MEPS)
    assert set(names) - set(letters) <= {"All letters.docx", "All letters.pdf"}
    # Named in the order of the preview (by family name), so they print in that order.
    assert list(letters) == sorted(letters) and re.fullmatch(r"\d{3} Brando Benifei\.docx", next(iter(letters)))
    [kelam_name] = [name for name in letters if name.endswith(" Tunne Kelam.docx")]
    kelam_letter = docx_text(letters[kelam_name])
    assert "Dear Mr Kelam," in kelam_letter
    assert "\n".join(KELAM_BLOCK) in kelam_letter  # the address block, line by line, in the EP's order
    assert f"Re: {CAMPAIGN.name}" in kelam_letter
    assert "{{" not in kelam_letter and "{%" not in kelam_letter
    combined = docx_text(download(page, "All letters in one document to print"))
    assert combined == docx_text(combined_in_zip)
    for mep in MEPS:
        greeting = f"Dear {mep.honorific} {mep.family_name},"
        assert combined.count(greeting) == 1, greeting
        assert any(greeting in docx_text(data) for data in letters.values()), greeting
    if "All letters.pdf" in names:
        assert download(page, "PDF").startswith(b"%PDF-")
    else:
        expect(page.locator(".pdf-note")).to_contain_text("PDF needs LibreOffice")
    shot(page, "3-merge")

    # Logged as one letter outreach: every MEP a recipient, with their own letter to download.
    page.get_by_role("button", name="Log as an outreach entry (kind Letter)").click()
    expect(page.get_by_role("alert")).to_contain_text("each recipient with their letter")
    page.get_by_role("link", name=re.compile(r"^outreach #\d+$")).click()
    outreach_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Letter to MEPs")
    expect(page.locator(".text-muted").first).to_contain_text("Letter")
    rows = page.locator("table.recipients tbody tr")
    expect(rows).to_have_count(len(MEPS))
    for mep in MEPS:
        row = rows.filter(has_text=f"{mep.given_name} {mep.family_name}")
        expect(row).to_contain_text("awaiting reply")
        expect(row.get_by_role("link", name=re.compile(r"\.docx$"))).to_have_count(1)
    kelam_row = rows.filter(has_text="Tunne Kelam")
    assert "Dear Mr Kelam," in docx_text(download(page, "Tunne Kelam.docx", within=kelam_row))
    shot(page, "4-letter-outreach")

    at_phone_width(page, {"1-letters": letters_url, "3-merge": merge_url, "4-letter-outreach": outreach_url})
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(write_url)
    page.get_by_role("button", name="Preview the recipients").click()
    expect(page.locator("ul.recipients > li")).to_have_count(len(MEPS))
    no_sideways_scroll(page)
    shot(page, "2-write-preview")
    assert script_errors == []


def test_calendar_feed_and_a_meeting_from_an_invitation(page, sign_in, demo, monkeypatch, tmp_path, script_errors):
    monkeypatch.setattr(crm.agenda.views, "utcnow", lambda: FEED_READ_AT)
    sign_in("editor")

    # 1. The feed URL, made on the account page and shown once.
    page.locator("nav.navbar").get_by_role("button", name=re.compile("Editor")).click()
    page.get_by_role("link", name="Your account").click()
    account_url = page.url
    page.get_by_label("Milestones of every campaign, not only of the campaigns I own").check()
    page.get_by_role("button", name="Make my calendar URL").click()
    feed_url = page.get_by_label("Calendar URL").input_value()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/calendar/[A-Za-z0-9_-]{40,}\.ics", feed_url)
    shot(page, "5-account-calendar")

    # A calendar app reads it: the campaign's milestones of the past year and ahead, with stable UIDs.
    status, body = fetch(feed_url)
    assert status == 200
    feed = Calendar.from_ical(body)
    events = {str(event["summary"]): event for event in feed.walk("VEVENT")}
    expected = {f"{CAMPAIGN.name}: {milestone.title}": milestone for milestone in IN_FEED}
    assert set(events) == set(expected) and len(expected) == 2
    for summary, milestone in expected.items():
        assert events[summary].decoded("dtstart") == milestone.on
        assert re.fullmatch(r"milestone-\d+@127\.0\.0\.1", str(events[summary]["uid"]))
    uids = {str(event["uid"]) for event in feed.walk("VEVENT")}
    assert {str(event["uid"]) for event in Calendar.from_ical(fetch(feed_url)[1]).walk("VEVENT")} == uids
    nothing_personal(body)

    # Renewed in the browser: the new URL is shown once, and the old one answers 404.
    page.get_by_role("button", name="Renew the URL").click()
    renewed_url = page.get_by_label("Calendar URL").input_value()
    assert renewed_url != feed_url
    assert fetch(feed_url)[0] == 404
    assert fetch(renewed_url)[0] == 200

    # 2. An Outlook invitation dropped on the campaign's Log outreach page fills a meeting.
    page.locator("nav.navbar").get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name=CAMPAIGN.name).click()
    page.get_by_role("link", name="Log outreach", exact=True).click()
    log_outreach_url = page.url
    invite_path = tmp_path / "Invitation.ics"
    invite_path.write_bytes(outlook_invitation())
    page.get_by_label("A meeting invitation?").set_input_files(invite_path)
    page.get_by_role("button", name="Fill the form from it").click()
    expect(page.locator(".invite-notes")).to_contain_text(f"Filled from the invitation “{MEETING_SUBJECT}”")
    expect(page.locator(".invite-notes")).to_contain_text("Left off as staff: editor@example.org.")
    expect(page.get_by_label("Kind")).to_have_value(re.compile(r"^\d+$"))
    expect(page.get_by_label("Kind").locator("option:checked")).to_have_text("Meeting")
    expect(page.get_by_label("Subject")).to_have_value(MEETING_SUBJECT)
    expect(page.get_by_label("Starts")).to_have_value("2019-09-05T10:00")  # 10:00 in Brussels, as Outlook said
    expect(page.get_by_label("Ends")).to_have_value("2019-09-05T11:00")
    expect(page.get_by_label("Place")).to_have_value(MEETING_PLACE)
    expect(page.get_by_label("Person or organisation").first).to_have_value("Urmas Paet")
    expect(page.get_by_label("Role").first.locator("option:checked")).to_have_text(re.compile("From", re.I))
    expect(page.get_by_label("Campaign")).to_have_value(str(demo))  # the page was opened from the campaign
    page.get_by_label(f"Kask, Maarja <{ASSISTANT_EMAIL}>").check()  # as Outlook names her
    shot(page, "6-invite-filled")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text(f"Logged the meeting “{MEETING_SUBJECT}”")
    expect(page.get_by_role("alert")).to_contain_text("added 1 new people")
    expect(page.get_by_role("heading", level=1)).to_have_text(MEETING_SUBJECT)
    details = page.locator(".card").filter(has_text="Details")
    expect(details).to_contain_text("05 Sep 2019 10:00–11:00 (Europe/Brussels)")
    expect(details).to_contain_text(MEETING_PLACE)
    expect(details.locator(".notes")).to_have_text(
        "Ahead of the parole appeal hearing in Oskemen on 10 September: what the delegation to Kazakhstan can ask."
    )
    participants = page.locator("main")
    expect(participants).to_contain_text("Urmas Paet")
    expect(participants).to_contain_text("Maarja Kask")
    meeting_url = page.url
    shot(page, "7-meeting")
    assert db.session.scalars(select(EmailAddress.person_id).where(EmailAddress.address == ASSISTANT_EMAIL)).all()

    # 3. The month view: the meeting and, in the same month, the hearing's milestone.
    page.locator("nav.navbar").get_by_role("button", name=re.compile("Editor")).click()
    page.get_by_role("link", name="Calendar").click()
    page.goto(page.url.split("?")[0] + "?month=2019-09")
    expect(page.get_by_role("heading", level=1)).to_have_text("September 2019")
    grid = page.locator("table.agenda-grid")
    day_5 = grid.locator("td").filter(has=page.locator(".agenda-day", has_text=re.compile(r"^5$")))
    expect(day_5.locator(".agenda-meeting")).to_contain_text(f"10:00 Meeting: {MEETING_SUBJECT}")
    day_10 = grid.locator("td").filter(has=page.locator(".agenda-day", has_text=re.compile(r"^10$")))
    expect(day_10.locator(".agenda-milestone")).to_contain_text("Parole appeal hearing at Oskemen Oblast City Court")
    month_url = page.url
    shot(page, "8-month")
    page.goto(page.url.split("?")[0] + "?month=2017-10")
    expect(grid.locator(".agenda-milestone")).to_have_count(2)  # the PACE declaration and the eye surgery

    # The renewed feed now carries the meeting too (the editor owns it), still with no one's name or address.
    status, body = fetch(renewed_url)
    meetings = [e for e in Calendar.from_ical(body).walk("VEVENT") if str(e["uid"]).startswith("meeting-")]
    assert [(str(e["summary"]), str(e["location"])) for e in meetings] == [
        (f"Meeting: {MEETING_SUBJECT}", MEETING_PLACE)
    ]
    nothing_personal(body)

    at_phone_width(page, {"5-account-calendar": account_url, "7-meeting": meeting_url, "8-month": month_url})
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(log_outreach_url)
    page.get_by_label("A meeting invitation?").set_input_files(invite_path)
    page.get_by_role("button", name="Fill the form from it").click()
    expect(page.get_by_label("Subject")).to_have_value(MEETING_SUBJECT)
    no_sideways_scroll(page)
    shot(page, "6-invite-filled")
    assert script_errors == []


def nothing_personal(body: bytes) -> None:
    text = body.decode()
    assert "ATTENDEE" not in text and "ORGANIZER" not in text and "mailto:" not in text
    for address in db.session.scalars(select(EmailAddress.address)):
        assert address not in text, address
    for name in ("Paet", "Kask", "Kelam"):
        assert name not in text, name


def outlook_invitation() -> bytes:
    """An invitation as Exchange sends it: a Windows time zone, ORGANIZER, attendees with CN, CRLF lines."""
    lines = [
        "BEGIN:VCALENDAR",
        "METHOD:REQUEST",
        "PRODID:Microsoft Exchange Server 2010",
        "VERSION:2.0",
        "BEGIN:VTIMEZONE",
        "TZID:W. Europe Standard Time",
        "BEGIN:STANDARD",
        "DTSTART:16010101T030000",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10",
        "END:STANDARD",
        "BEGIN:DAYLIGHT",
        "DTSTART:16010101T020000",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3",
        "END:DAYLIGHT",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        f"ORGANIZER;CN=Urmas Paet:mailto:{PAET_EMAIL}",
        "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Editor:mailto:editor@example.org",
        f'ATTENDEE;ROLE=OPT-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN="Kask, Maarja":mailto:{ASSISTANT_EMAIL}',
        "DESCRIPTION;LANGUAGE=en-US:Ahead of the parole appeal hearing in Oskemen on 10 September: what the ",
        " delegation to Kazakhstan can ask.\\n",  # folded: the fold's leading space is not content
        "UID:040000008200E00074C5B7101A82E00800000000A0B1C2D3E4F5A6B7C8D9E0F1A2B3C4D5",
        f"SUMMARY;LANGUAGE=en-US:{MEETING_SUBJECT}",
        "DTSTART;TZID=W. Europe Standard Time:20190905T100000",
        "DTEND;TZID=W. Europe Standard Time:20190905T110000",
        "CLASS:PUBLIC",
        "PRIORITY:5",
        "DTSTAMP:20190902T081500Z",
        "TRANSP:OPAQUE",
        "STATUS:CONFIRMED",
        "SEQUENCE:0",
        f"LOCATION;LANGUAGE=en-US:{MEETING_PLACE}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()
