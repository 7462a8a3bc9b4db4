"""Every page and download, as each kind of user reaches it in production: CSRF on, signed in through the
real form, the demo data loaded by the real loader.

The crawl walks app.url_map, so a new route is crawled without anyone adding it here. For anonymous
visitors, viewers, editors and admins it GETs every rule that answers GET (ids filled with real records of
the right table) and checks:

- nobody ever gets a 5xx, and every download reads to its end and opens (.xlsx in openpyxl, .csv as UTF-8);
- an anonymous visitor is sent to sign in, except on PUBLIC pages;
- a signed-in user is never sent back to sign in, an admin is never refused, and a 404 only comes from a
  URL whose id had to be guessed (no record of that table);
- a viewer gets no write form: every page that takes a POST (new, edit, delete, close …) answers 403, and
  the pages a viewer reads hold no form that posts anywhere but VIEWER_FORMS.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import traceback
import urllib.parse
from datetime import date, datetime
from pathlib import Path

import pytest
from flask import got_request_exception
from openpyxl import load_workbook
from sqlalchemy import select
from werkzeug.exceptions import HTTPException
from werkzeug.routing import AnyConverter, IntegerConverter

from crm.agenda.feed_tokens import issue_token
from crm.auth.models import User
from crm.campaigns.members import add_members
from crm.campaigns.models import Campaign
from crm.contacts.models import Person
from crm.contacts.organisations import set_archived as set_organisation_archived
from crm.contacts.people import set_archived as set_person_archived
from crm.contacts.saved_lists import create_list
from crm.contacts.search import PeopleFilter
from crm.demo.loader import load_demo
from crm.duplicates.distinct import mark_distinct
from crm.extensions import db
from crm.imports.pipeline import ImportOptions, run_import
from crm.letters.audience import LetterSource
from crm.letters.service import MergeRequest, MergeTemplate, start_merge
from crm.letters.templates import add_sample_template
from crm.outreach.attachments import store
from crm.salutations.service import ensure_default_salutations
from crm.selections.bulk import add_selection_to_campaign, tag_selection
from crm.selections.service import select_items
from crm.taxonomy.service import KINDS
from tests.conftest import PASSWORD
from tests.factories import make_organisation, make_outreach, make_person, make_response
from tests.readable import raw_values
from tests.web import form_with, forms

ROLES = ("anonymous", "viewer", "editor", "admin")
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}

# Endpoints an anonymous visitor may read. Everything else sends them to sign in. A calendar feed's secret URL
# is its credential: anyone holding it reads the feed.
PUBLIC = {"auth.login", "agenda.feed"}
# Rules the crawl leaves out, and why.
NOT_CRAWLED = {"static": "files on disk (CSS, scripts), no view code"}
# The only forms a viewer may be shown: signing in and out, and the viewer's own password; no data.
# A list's selection bar too: ticking rows changes only the viewer's own selection (crm.selections).
VIEWER_FORMS = {
    "auth.login",
    "auth.logout",
    "auth.change_password",
    "auth.email_reminders",
    "auth.time_zone",
    "agenda.feed_settings",
    "selections.update",
    "selections.select_all",
    "selections.clear",
}
# Arguments that are not record ids, and the values the crawl tries: every one of them. A rule with a new
# such argument fails the crawl until its values are listed here.
# A calendar feed's token: the one _add_what_the_demo_lacks issues (a real feed, so a 404 would be a finding).
FEED_TOKENS: list[str] = []
TEXT_ARGUMENTS = {"kind": tuple(KINDS), "token": FEED_TOKENS}
# Id arguments not named after their table ("person_id" is a row of "person").
ID_TABLES = {
    "run_id": lambda values: "import_run",
    "item_id": lambda values: KINDS[values["kind"]][1].__tablename__,
    "action_id": lambda values: "bulk_action",
    "member_id": lambda values: "campaign_member",
}


@pytest.fixture
def demo(app, staff, tmp_path):
    """The demo loaded as `flask --app wsgi crm demo` loads it, and the staff accounts."""
    load_demo()
    db.session.commit()
    _add_what_the_demo_lacks(tmp_path)
    return staff


def _add_what_the_demo_lacks(tmp_path: Path) -> None:
    """States the demo never reaches, made through the services, so the crawl reads the pages that show them
    (it visits the first and the last record of each table): an import with a rejected row (its result page,
    undo and error file), an outreach with an attachment and a follow-up due, a reply with one, a likely
    duplicate, a pair marked as different people, an archived person and organisation, a meeting with a time,
    a staff member's calendar feed, saved lists and a campaign's targets and supporters."""
    sheet = tmp_path / "partners.csv"
    sheet.write_text("Family name,Given name,Email\nKhalilova,Aida,aida@example.org\nTumenova,Bakhyt,not an email\n")
    run_import(sheet, ImportOptions(), actor=None)

    mukhtar = db.session.scalars(select(Person).where(Person.family_name == "Dzhakishev")).first()
    make_person("Djakishev", "Mukhtar")  # a likely duplicate of the demo's Dzhakishev
    first = db.session.scalars(select(Person).order_by(Person.id)).first()
    namesake = make_person(first.family_name, first.given_name)
    mark_distinct(first.id, namesake.id, actor=None)
    outreach = make_outreach("Parole hearing: our observers", to=[mukhtar], follow_up_on=date(2020, 1, 15))
    store([("letter.pdf", io.BytesIO(b"%PDF-1.4 a letter"))], actor=None, outreach=outreach)
    make_response(outreach, mukhtar, follow_up_on=date(2020, 2, 1))
    set_person_archived(make_person("Archived", "Someone"), True, actor=None)
    # A letter template and a merge of it for the demo campaign's MEPs, logged (their letters on the entry).
    ensure_default_salutations()
    template = add_sample_template(actor=None)
    campaign = db.session.scalars(select(Campaign)).first()
    start_merge(
        MergeRequest(LetterSource(), campaign_id=campaign.id, log=True), MergeTemplate.stored(template), actor=None
    )
    set_organisation_archived(make_organisation("A closed office"), True, actor=None)
    make_outreach(
        "Meeting with the rapporteur",
        kind="meeting",
        to=[mukhtar],
        starts_at=datetime(2020, 1, 15, 9),
        ends_at=datetime(2020, 1, 15, 10),
        location="ASP 5G, Brussels",
    )
    editor = db.session.scalars(select(User).where(User.email == "editor@example.org")).one()
    FEED_TOKENS[:] = [issue_token(editor, all_campaigns=True, actor=None)]
    # A bulk action on a selection: its page, with the undo.
    select_items(editor.id, "people", [mukhtar.id, namesake.id])
    tag_selection(editor, "people", "Observers")
    # The campaign's targets (one added from the selection, its result page too) and a supporter named by hand.
    add_selection_to_campaign(editor, campaign.id, "target")
    add_members(campaign, [first.id], "supporter", actor=editor, note="Spoke at the hearing")
    # Saved lists, live and frozen (the crawl reads the first and the last), a frozen one with someone archived.
    create_list("MEPs", "live", PeopleFilter(q="MEP"), actor=editor)
    create_list("Everyone in 2018", "frozen", PeopleFilter(archived="all"), actor=editor)
    db.session.commit()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_and_download(app, client, demo, role):
    # As in production: CSRF on, and a failing view answers 500 instead of raising into the test.
    assert app.config.get("WTF_CSRF_ENABLED", True) and not app.testing, "the crawl needs the production configuration"
    if role != "anonymous":
        _sign_in(client, f"{role}@example.org")
    raised: list[str] = []

    def note(sender, exception, **extra):
        raised.append(_where(exception))

    problems: list[str] = []
    urls = _urls(app, problems)
    with got_request_exception.connected_to(note, app):
        for rule, url, guessed in urls:
            raised.clear()
            problems.extend(_check(app, role, rule, url, guessed, client.get(url), raised))

    assert not problems, f"{len(problems)} problems crawling as {role}:\n" + "\n".join(problems)
    every_get = {r.rule for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint not in NOT_CRAWLED}
    assert every_get <= {rule.rule for rule, _, _ in urls}, "the crawl left rules out"


def _sign_in(client, email: str) -> None:
    """Through the real sign-in form: its fields, its CSRF token, its action."""
    page = client.get("/login").get_data(as_text=True)
    form = form_with(page, "email", "password")
    answer = client.post(form.action or "/login", data=form.data(email=email, password=PASSWORD))
    assert answer.status_code == 302, f"signing in as {email}: {answer.status_code}"
    assert client.get("/").status_code == 200, f"signed in as {email} but the start page is refused"


def _where(exception: BaseException) -> str:
    frame = traceback.extract_tb(exception.__traceback__)[-1]
    return f"{type(exception).__name__}: {exception} (at {Path(frame.filename).name}:{frame.lineno} in {frame.name})"


# --- Which URLs -----------------------------------------------------------------------------------------------


def _urls(app, problems: list[str]) -> list[tuple]:
    """(rule, url, guessed) for every GET rule: `guessed` when an id had no record to come from."""
    urls, seen = [], set()
    with app.app_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in rule.methods or rule.endpoint in NOT_CRAWLED:
                continue
            texts = {}
            for name in _arguments(rule):
                converter = rule._converters[name]
                if isinstance(converter, AnyConverter):
                    texts[name] = sorted(converter.items)
                elif not isinstance(converter, IntegerConverter):
                    if name not in TEXT_ARGUMENTS:
                        problems.append(
                            f"{rule.rule}: the crawl has no values for <{name}>; list them in TEXT_ARGUMENTS"
                        )
                        break
                    texts[name] = TEXT_ARGUMENTS[name]
            else:
                for combination in itertools.product(*texts.values()):
                    for end in (min, max):
                        values = dict(zip(texts, combination, strict=True))
                        guessed = _fill_ids(rule, values, end)
                        url = rule.build(values, append_unknown=False)[1]
                        if url not in seen:
                            seen.add(url)
                            urls.append((rule, url, guessed))
    return urls


def _arguments(rule) -> list[str]:
    """The rule's arguments in the order of its path: parents first."""
    return re.findall(r"<(?:[^:<>]+:)?([^<>]+)>", rule.rule)


def _fill_ids(rule, values: dict, end) -> bool:
    """Fill each id argument with a real record, the first (end=min) or the last (end=max) of its table, deepest
    argument first, so a role's person is the person it belongs to. True when some id had no record to come
    from and was guessed as 1."""
    guessed = False
    ids = [name for name in _arguments(rule) if isinstance(rule._converters[name], IntegerConverter)]
    for name in reversed(ids):
        if name in values:
            continue
        table = _table(name, values)
        row = None
        if table is not None:
            known = [table.c[column] == value for column, value in values.items() if column in table.c]
            order = table.c.id if end is min else table.c.id.desc()
            row = db.session.execute(select(table).where(*known).order_by(order).limit(1)).mappings().first()
        if row is None:
            values[name] = 1
            guessed = True
            continue
        values[name] = row["id"]
        for parent in ids:  # a parent id the record names (role.person_id), unless already chosen
            if parent not in values and parent in row:
                values[parent] = row[parent]
    return guessed


def _table(name: str, values: dict):
    table_name = ID_TABLES[name](values) if name in ID_TABLES else name.removesuffix("_id")
    return db.metadata.tables.get(table_name)


# --- What each answer must be ---------------------------------------------------------------------------------


def _check(app, role, rule, url, guessed, response, raised) -> list[str]:
    said = f"{role} GET {url} ({rule.endpoint})"
    try:
        body = response.get_data()  # a download streams: its errors come while it is read
    except Exception as error:  # any error while streaming is the finding
        return [f"{said}: the download broke off: {_where(error)}"]
    status = response.status_code
    if status >= 500:
        return [f"{said} → {status}: {'; '.join(raised) if raised else repr(body[:300])}"]
    if raised:
        return [f"{said} → {status} but the view raised {'; '.join(raised)}"]
    location = urllib.parse.urlsplit(response.headers.get("Location", "")).path
    to_sign_in = status in (301, 302, 303) and location == app.url_map.bind("localhost").build("auth.login")
    if role == "anonymous":
        if rule.endpoint in PUBLIC:
            return [] if status == 200 else [f"{said} → {status}, a public page"]
        return [] if to_sign_in else [f"{said} → {status} {location}, not sent to sign in"]
    if to_sign_in:
        return [f"{said} → sent back to sign in"]
    if status == 404 and not guessed:
        return [f"{said} → 404 although every id is a real record"]
    if role == "admin" and status == 403:
        return [f"{said} → 403 for an admin"]
    problems = _check_download(said, response, body)
    if role == "admin" and status == 200 and response.mimetype == "text/html":  # the admin sees every page
        problems += [f"{said} shows {raw}" for raw in raw_values(body.decode())]
    if role == "viewer":
        problems += _check_viewer(app, rule, url, said, status, response, body)
    return problems


def _check_download(said: str, response, body: bytes) -> list[str]:
    if response.status_code != 200 or "attachment" not in response.headers.get("Content-Disposition", ""):
        return []
    name = response.headers["Content-Disposition"].rsplit("=", 1)[-1].strip('"')
    try:
        if name.endswith(".xlsx"):
            load_workbook(io.BytesIO(body), read_only=True).close()
        elif name.endswith(".csv"):
            list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    except Exception as error:
        return [f"{said}: {name} does not open: {type(error).__name__}: {error}"]
    return []


def _check_viewer(app, rule, url, said, status, response, body) -> list[str]:
    if rule.methods & STATE_CHANGING and rule.endpoint not in VIEWER_FORMS:
        return [] if status == 403 else [f"{said} → {status}: a write form, must be 403 for a viewer"]
    if status != 200 or response.mimetype != "text/html":
        return []
    problems = []
    adapter = app.url_map.bind("localhost")
    for form in forms(body.decode()):
        targets = {(form.method, form.action)} | {
            (button.formmethod or form.method, button.formaction or form.action)
            for button in form.buttons
            if button.formmethod or button.formaction
        }
        for method, action in sorted(targets):
            if method.lower() != "post":
                continue
            path = urllib.parse.urlsplit(urllib.parse.urljoin(url, action or url)).path
            try:
                endpoint, _ = adapter.match(path, method="POST")
            except HTTPException as error:
                problems.append(f"{said}: a form posts to {path}, which answers {error.code}")
                continue
            if endpoint not in VIEWER_FORMS:
                problems.append(f"{said}: the page shows a viewer a form posting to {path} ({endpoint})")
    return problems
