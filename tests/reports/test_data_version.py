"""Every write path that changes what a report reads moves the report data version on, once, at its commit.

Nothing watches SQL for the reports (crm.data_version): each service says so itself. So each
write path below runs for real, the SQL it sends is recorded (by the test, not the app), and a path
that writes a table a report reads must have moved the version; one that writes none must not have.
A service that forgets to say so fails here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import event, select

from crm.audit.service import record
from crm.campaigns.models import Ask, Campaign
from crm.campaigns.service import AskData, CampaignData, save_ask, update_campaign
from crm.contacts import organisations, people, roles
from crm.contacts.data import OrganisationData, PersonData, RoleData
from crm.contacts.models import Organisation, Person
from crm.data_version import ReportDataVersion
from crm.demo.loader import load_demo
from crm.duplicates.distinct import mark_distinct
from crm.duplicates.merge import merge_people
from crm.extensions import db
from crm.imports.pipeline import ImportOptions, run_import
from crm.imports.runs import get_run
from crm.imports.undo import undo_import
from crm.outreach import responses
from crm.outreach import service as outreach
from crm.outreach.data import OutreachData, ParticipantData, ResponseData
from crm.outreach.models import Outreach, Response
from crm.reports.service import build_report
from crm.taxonomy import service as taxonomy
from crm.taxonomy.models import Category, OutreachKind, ResponseOutcome
from tests.factories import category_id, make_campaign, make_outreach, make_person, make_role

# Every table crm.reports.service reads for a campaign report (checked below).
READ_TABLES = frozenset(
    {
        "ask",
        "campaign",
        "campaign_member",
        "category",
        "organisation",
        "organisation_type",
        "outreach",
        "outreach_kind",
        "participant",
        "person",
        "response",
        "response_outcome",
        "role",
    }
)
_WRITE = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.I)
_READ = re.compile(r'\b(?:FROM|JOIN)\s+"?(\w+)', re.I)


def _version() -> int:
    return db.session.scalar(select(ReportDataVersion.value))


@contextmanager
def _recorded(pattern: re.Pattern):
    """The tables the statements sent meanwhile name where `pattern` finds them."""
    tables: set[str] = set()

    def record_statement(_conn, _cursor, statement, *_args):
        tables.update(name.lower() for name in pattern.findall(statement))

    event.listen(db.engine, "before_cursor_execute", record_statement)
    try:
        yield tables
    finally:
        event.remove(db.engine, "before_cursor_execute", record_statement)


def _person(known, key: str = "A") -> Person:
    return db.session.get(Person, known["people"][key])


def _parliament() -> Organisation:
    return db.session.scalars(select(Organisation).where(Organisation.short_name == "EP")).one()


def _outreach(subject: str = "Email to D and E") -> Outreach:
    return db.session.scalars(select(Outreach).where(Outreach.subject == subject)).one()


def _workbook(tmp_path, *rows) -> str:
    book = Workbook()
    book.active.append(["Family name", "Given name", "Country", "Email"])
    for row in rows:
        book.active.append(list(row))
    book.save(tmp_path / "list.xlsx")
    return str(tmp_path / "list.xlsx")


def _edit_person(known, tmp_path):
    person = _person(known)
    data = PersonData(family_name=person.family_name, given_name=person.given_name, country="AT")
    return lambda: people.update_person(person, data, actor=None, expected_version=person.version)


def _edit_organisation(known, tmp_path):
    parliament = _parliament()
    data = OrganisationData(name="European Parliament (Brussels)", short_name="EP")
    return lambda: organisations.update_organisation(parliament, data, actor=None, expected_version=parliament.version)


def _role_of(known):
    person = _person(known)
    return person, next(role for role in person.roles if role.organisation.short_name == "EP")


def _edit_role(known, tmp_path):
    person, role = _role_of(known)
    data = RoleData(role.organisation_id, "Vice-President", role.starts_on, None)
    return lambda: roles.update_role(person, role, data, actor=None)


def _end_role(known, tmp_path):
    person, role = _role_of(known)
    return lambda: roles.end_role(person, role, date(2019, 7, 1), actor=None)


def _delete_role(known, tmp_path):
    person, role = _role_of(known)
    return lambda: roles.delete_role(person, role, actor=None)


def _edit_campaign(known, tmp_path):
    campaign = db.session.get(Campaign, known["campaign_id"])
    data = CampaignData(name="Free Mukhtar Dzhakishev now", subject_person_id=None)
    return lambda: update_campaign(campaign, data, actor=None, expected_version=campaign.version)


def _edit_ask(known, tmp_path):
    campaign = db.session.get(Campaign, known["campaign_id"])
    ask = db.session.scalars(select(Ask).where(Ask.status == "open")).first()
    return lambda: save_ask(campaign, AskData(ask.title, status="achieved"), actor=None, ask=ask)


def _outreach_data(known, subject: str) -> OutreachData:
    kind_id = db.session.scalar(select(OutreachKind.id).where(OutreachKind.code == "letter"))
    to = [ParticipantData("to", person_id=known["people"][key]) for key in "AB"]
    return OutreachData(kind_id, subject, date(2018, 2, 1), campaign_id=known["campaign_id"], participants=to)


def _edit_outreach(known, tmp_path):
    entry = _outreach("Letter to F")
    data = _outreach_data(known, "Letter to F and to A, B")
    return lambda: outreach.update_outreach(entry, data, actor=None, expected_version=entry.version)


def _add_participants(known, tmp_path):
    entry = _outreach("Letter to F")
    return lambda: outreach.add_participants(entry, [ParticipantData("to", person_id=known["people"]["C"])], actor=None)


def _follow_up_done(known, tmp_path):
    entry = make_outreach("Chase the Commission", follow_up_on=date(2018, 3, 1), to=[_person(known)])
    return lambda: outreach.follow_up_done(entry, actor=None)


def _stop_waiting(known, tmp_path):
    from crm.outreach.waiting import stop_waiting

    entry = make_outreach("Appeal nobody answers", sent_on=date(2018, 1, 2), to=[_person(known)])
    return lambda: stop_waiting(entry.participants[0], actor=None)


def _wait_again(known, tmp_path):
    from crm.outreach.waiting import resume_waiting, stop_waiting

    entry = make_outreach("Appeal answered after all", sent_on=date(2018, 1, 2), to=[_person(known)])
    stop_waiting(entry.participants[0], actor=None)
    return lambda: resume_waiting(entry.participants[0], actor=None)


def _record_response(known, tmp_path):
    entry = _outreach()
    return lambda: responses.record_response(entry, ResponseData(date(2017, 11, 21), person_id=known["people"]["E"]), actor=None)  # fmt: skip


def _delete_response(known, tmp_path):
    response = db.session.scalars(select(Response).where(Response.person_id == known["people"]["D"])).one()
    return lambda: responses.delete_response(response, actor=None)


def _rename_list_entry(known, tmp_path):
    kind = db.session.scalars(select(OutreachKind).where(OutreachKind.code == "letter")).one()
    return lambda: taxonomy.save_item("outreach-kinds", "Paper letter", actor=None, item_id=kind.id, reply_after_days=30)  # fmt: skip


def _rename_outcome(known, tmp_path):
    outcome = db.session.scalars(select(ResponseOutcome).order_by(ResponseOutcome.id)).first()
    return lambda: taxonomy.save_item("outcomes", "Did as asked", actor=None, item_id=outcome.id, effect=outcome.effect)


def _delete_list_entry(known, tmp_path):
    unused = taxonomy.save_item("categories", "Ambassador", actor=None)
    return lambda: taxonomy.delete_item("categories", unused.id, actor=None)


def _default_lists(known, tmp_path):
    expert = db.session.scalars(select(Category).where(Category.code == "expert")).one()
    taxonomy.delete_item("categories", expert.id, actor=None)  # the defaults add it again
    return taxonomy.ensure_defaults


def _merge(known, tmp_path):
    twin = make_person("Adler", "A.", country="DE", category_id=category_id("MEP"))
    make_role(twin, _parliament(), "Member")
    keep = _person(known)
    return lambda: merge_people(keep, db.session.get(Person, twin.id), {}, actor=None)


def _undo_import(known, tmp_path):
    result = run_import(_workbook(tmp_path, ("Zdechovský", "Tomáš", "CZ")), ImportOptions(), actor=None)
    return lambda: undo_import(get_run(result.run_id), actor=None)


def _import_updating(known, tmp_path):
    email = "tomas.zdechovsky@example.eu"
    run_import(_workbook(tmp_path, ("Zdechovský", "Tomáš", "CZ", email)), ImportOptions(), actor=None)

    def update() -> None:  # through the contact services, with no new rows for the bulk writer
        path = _workbook(tmp_path, ("Zdechovský", "Tomáš", "SK", email))
        assert run_import(path, ImportOptions(on_duplicate="update"), actor=None).counts["updated"] == 1

    return update


def _selected(known):
    """A staff member with people A and B selected on the people list."""
    from crm.auth.service import create_user
    from crm.selections.service import select_items

    user = create_user("bulk@example.org", "correct horse battery", role="editor")
    select_items(user.id, "people", [known["people"]["A"], known["people"]["B"]])
    return user


def _bulk_tag(known, tmp_path):
    from crm.selections.bulk import tag_selection

    user = _selected(known)
    return lambda: tag_selection(user, "people", "Petition")


def _bulk_archive(known, tmp_path):
    from crm.selections.bulk import archive_selection

    user = _selected(known)
    return lambda: archive_selection(user, "people")


def _undo_bulk(known, tmp_path):
    from crm.selections.bulk import archive_selection, undo

    user = _selected(known)
    action = archive_selection(user, "people")
    return lambda: undo(action, actor=user)


def _add_members(known, tmp_path):
    from crm.campaigns.members import add_members

    campaign = db.session.get(Campaign, known["campaign_id"])
    return lambda: add_members(campaign, [known["people"]["A"]], "target", actor=None)


def _remove_member(known, tmp_path):
    from crm.campaigns.members import add_members, remove_member

    campaign = db.session.get(Campaign, known["campaign_id"])
    [member] = add_members(campaign, [known["people"]["B"]], "supporter", actor=None)
    return lambda: remove_member(campaign, member, actor=None)


def _bulk_add_to_campaign(known, tmp_path):
    from crm.selections.bulk import add_selection_to_campaign

    user = _selected(known)
    return lambda: add_selection_to_campaign(user, known["campaign_id"], "target")


def _undo_bulk_add_to_campaign(known, tmp_path):
    from crm.selections.bulk import add_selection_to_campaign, undo

    user = _selected(known)
    action = add_selection_to_campaign(user, known["campaign_id"], "supporter")
    return lambda: undo(action, actor=user)


WRITE_PATHS: dict[str, Callable] = {
    "create person": lambda known, tmp_path: lambda: make_person("Zdechovský", "Tomáš", country="CZ"),
    "edit person": _edit_person,
    "archive person": lambda known, tmp_path: lambda: people.set_archived(_person(known), True, actor=None),
    "create organisation": lambda known, tmp_path: (
        lambda: organisations.create_organisation(OrganisationData(name="Council of Europe"), actor=None)
    ),
    "edit organisation": _edit_organisation,
    "archive organisation": lambda known, tmp_path: lambda: organisations.set_archived(_parliament(), True, actor=None),
    "add role": lambda known, tmp_path: (
        lambda: roles.add_role(_person(known, "E"), RoleData(_parliament().id, "Observer"), actor=None)
    ),
    "edit role": _edit_role,
    "end role": _end_role,
    "delete role": _delete_role,
    "create campaign": lambda known, tmp_path: lambda: make_campaign("Free Max Bokayev"),
    "edit campaign": _edit_campaign,
    "add ask": lambda known, tmp_path: (
        lambda: save_ask(db.session.get(Campaign, known["campaign_id"]), AskData("A hearing in PACE"), actor=None)
    ),
    "edit ask": _edit_ask,
    "create outreach": lambda known, tmp_path: (
        lambda: outreach.create_outreach(_outreach_data(known, "Letter to A and B"), actor=None)
    ),
    "edit outreach": _edit_outreach,
    "add participants": _add_participants,
    "close outreach": lambda known, tmp_path: lambda: outreach.close_outreach(_outreach(), actor=None),
    "follow-up done": _follow_up_done,
    "stop waiting": _stop_waiting,
    "wait again": _wait_again,
    "record response": _record_response,
    "delete response": _delete_response,
    "add list entry": lambda known, tmp_path: lambda: taxonomy.save_item("categories", "Ambassador", actor=None),
    "add organisation type": lambda known, tmp_path: (
        lambda: taxonomy.save_item("organisation-types", "Think tank", actor=None)
    ),
    "rename outcome": _rename_outcome,
    "rename list entry": _rename_list_entry,
    "delete list entry": _delete_list_entry,
    "default lists": _default_lists,
    "merge": _merge,
    "import new people": lambda known, tmp_path: (
        lambda: run_import(_workbook(tmp_path, ("Zdechovský", "Tomáš", "CZ")), ImportOptions(), actor=None)
    ),
    "import updating people": _import_updating,
    "undo import": _undo_import,
    "tag a selection": _bulk_tag,
    "archive a selection": _bulk_archive,
    "undo a bulk action": _undo_bulk,
    "add campaign members": _add_members,
    "remove a campaign member": _remove_member,
    "add a selection to a campaign": _bulk_add_to_campaign,
    "undo adding a selection to a campaign": _undo_bulk_add_to_campaign,
    "demo": lambda known, tmp_path: load_demo,
}
ran: dict[str, set[str]] = {}  # path -> the tables it wrote


@pytest.mark.parametrize("path", WRITE_PATHS)
def test_a_write_path_moves_the_version_once_at_its_commit(known, tmp_path, path):
    write = WRITE_PATHS[path](known, tmp_path)
    db.session.commit()
    before = _version()

    with _recorded(_WRITE) as written:
        write()
        db.session.commit()

    ran[path] = written
    if db.engine.dialect.name == "sqlite":  # on PostgreSQL the import writes by COPY, which no engine event sees
        assert written & READ_TABLES, f"{path} writes no report data: {written}"
    assert _version() == before + 1, f"{path} wrote {sorted(written & READ_TABLES)} without moving the version"


def test_the_write_paths_cover_every_table_a_report_reads():
    # After the paths above, in the file's order. On PostgreSQL the import's rows go by COPY,
    # which no engine event sees, so the other paths must cover those tables.
    if set(ran) != set(WRITE_PATHS):
        pytest.skip("needs every write path above to have run first")
    assert set().union(*ran.values()) >= READ_TABLES


def test_the_read_tables_are_every_table_the_report_reads(known):
    with _recorded(_READ) as read:
        build_report(None, date(2018, 6, 1), None)
        build_report(known["campaign_id"], date(2018, 6, 1), 1)

    tables = {table.name for table in db.metadata.sorted_tables}
    assert read & tables <= READ_TABLES
    assert {"participant", "role", "person", "response"} <= read


def test_writes_no_report_reads_and_rollbacks_leave_the_version_alone(known, tmp_path):
    before = _version()
    mark_distinct(known["people"]["A"], known["people"]["B"], actor=None)
    record("export", 1, "campaign report", {}, actor=None)
    db.session.commit()
    people.set_archived(_person(known), True, actor=None)
    db.session.rollback()
    run_import(_workbook(tmp_path, ("Zdechovský", "Tomáš", "CZ")), ImportOptions(dry_run=True), actor=None)

    assert _version() == before


def test_a_refresh_that_only_ends_roles_moves_the_version(app, tmp_path):
    run_import(_ep_list(tmp_path / "before.xml", "124713", "129073"), ImportOptions(preset="ep_meps"), actor=None)
    before = _version()
    after = _ep_list(tmp_path / "after.xml", "124713")  # 129073 left: their roles end, nothing else changes
    result = run_import(after, ImportOptions(preset="ep_meps"), actor=None)

    assert result.ended_roles >= 3
    assert _version() != before


def _ep_list(path, *ids: str):
    """The EP's list of MEPs (tests/imports/test_refresh.py), one MEP per id."""
    mep = (
        "<mep><fullName>Member {id} TESTER</fullName><country>Czechia</country><id>{id}</id>"
        "<politicalGroup>Renew Europe Group</politicalGroup><nationalPoliticalGroup>ANO</nationalPoliticalGroup></mep>"
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<meps>' + "".join(mep.format(id=i) for i in ids) + "</meps>"
    )
    return path
