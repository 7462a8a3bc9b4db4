"""The result page of an import and what it leads to: the people it touched, every row it left out with
why, the roles it added in each person's history, a note it added under its own heading."""

from __future__ import annotations

import re

from sqlalchemy import select

from crm.contacts.models import Person
from crm.extensions import db
from crm.imports.models import ImportRun
from crm.imports.pipeline import ImportOptions, run_import
from crm.imports.undo import undo_import
from crm.timeutil import today
from tests.factories import make_organisation, make_person
from tests.imports.test_pipeline import HEADER, workbook
from tests.imports.test_wizard_views import upload
from tests.web import links

NOTES_HEADER = [*HEADER, "Notes"]


def _import(staff, path, **options) -> int:
    result = run_import(path, ImportOptions(**options), actor=staff["editor"])
    db.session.commit()
    return result.run_id


def _people_listed(page: str) -> list[str]:
    table = page[page.index("people-table") :]
    return sorted(set(re.findall(r"(Behrendt|Toregozhina|Tumenova|Zhovtis|Ward)", table)))


def test_people_opens_the_people_this_import_created_or_updated(client, auth, staff, tmp_path):
    make_person("Behrendt", "Marc", emails=("marc.behrendt@freedomhouse.org",))  # updated: a new country
    make_person("Zhovtis", "Evgeniy", emails=("zhovtis@example.kz",), country="KZ")  # in the file, already so
    make_person("Ward", "Rachel")  # not in the file
    earlier = _import(staff, workbook(tmp_path, [["Tumenova", "Bakhyt", "tumenova@example.kz", "KZ"]], name="a.xlsx"))
    rows = [
        ["Behrendt", "Marc", "marc.behrendt@freedomhouse.org", "US", None, None, None],
        ["Zhovtis", "Evgeniy", "zhovtis@example.kz", "KZ", None, None, None],
        ["Toregozhina", "Bakhytzhan", "toregozhina@example.kz", "KZ", None, None, None],
    ]
    run_id = _import(staff, workbook(tmp_path, rows), on_duplicate="fill")
    run = db.session.get(ImportRun, run_id)
    assert (run.created, run.updated, run.skipped) == (1, 1, 1)

    auth.login("viewer")
    everyone = client.get("/contacts/people").get_data(as_text=True)
    assert _people_listed(everyone) == ["Behrendt", "Toregozhina", "Tumenova", "Ward", "Zhovtis"]
    auth.logout()
    auth.login("editor")
    detail = client.get(f"/imports/{run_id}").get_data(as_text=True)
    found = links(detail, "/contacts/people?")
    [people_link] = found
    assert people_link == f"/contacts/people?import_run_id={run_id}"
    page = client.get(people_link).get_data(as_text=True)
    assert _people_listed(page) == ["Behrendt", "Toregozhina"]
    assert "1–2 of 2 people" in page and f"Only the people import #{run_id} created or updated" in page
    # The filter stays through a search and the sort, and into the actions on the list.
    assert f'name="import_run_id" value="{run_id}"' in page
    assert _people_listed(client.get(f"{people_link}&q=toregozhina").get_data(as_text=True)) == ["Toregozhina"]
    assert all(f"import_run_id%3D{run_id}" in link for link in links(page, "bulk="))
    earlier_page = client.get(f"/contacts/people?import_run_id={earlier}").get_data(as_text=True)
    assert _people_listed(earlier_page) == ["Tumenova"]


def test_a_person_who_only_gained_a_role_is_among_the_people_it_touched(client, auth, staff, tmp_path):
    make_person("Behrendt", "Marc", emails=("marc.behrendt@freedomhouse.org",))
    make_organisation("Freedom House")
    rows = [["Behrendt", "Marc", "marc.behrendt@freedomhouse.org", None, None, "Freedom House", None]]
    run_id = _import(staff, workbook(tmp_path, rows))
    auth.login("viewer")
    page = client.get(f"/contacts/people?import_run_id={run_id}").get_data(as_text=True)
    assert _people_listed(page) == ["Behrendt"]


def test_every_row_left_out_is_listed_with_why_the_totals_row_too(client, auth, staff, tmp_path):
    header_again = [HEADER] * 205  # a long printed list repeats its header on every page
    rows = [
        ["Behrendt", "Marc", "marc.behrendt@freedomhouse.org", "US", None, None, None],
        *header_again,
        ["Toregozhina", "Bakhytzhan", "toregozhina@example.kz", "KZ", None, None, None],
        ["Итого:", None, "2 человека", None, None, None, None],
    ]
    run_id = _import(staff, workbook(tmp_path, rows))
    run = db.session.get(ImportRun, run_id)
    assert (run.created, run.skipped) == (2, 206)
    totals_row = 1 + len(rows)  # the header is row 1

    auth.login("editor")
    first = client.get(f"/imports/{run_id}").get_data(as_text=True)
    assert "Rows not imported (206)" in first and "1–200 of 206, in sheet order" in first
    assert first.count("Not imported: the header again.") == 200
    [next_page] = links(first, "problems_page=2")
    second = client.get(next_page).get_data(as_text=True)
    assert second.count("Not imported: the header again.") == 5
    assert re.search(
        rf"<td>{totals_row}</td><td>skipped</td><td>Not imported: looks like a totals row.</td>", second
    ), re.findall(r"<tr.*totals.*</tr>", second)
    assert db.session.scalars(select(Person).where(Person.family_name.like("Итого%"))).first() is None


def test_a_note_added_by_an_import_starts_on_its_own_line_with_the_import_named(client, auth, staff, tmp_path):
    make_person("Behrendt", "Marc", emails=("marc.behrendt@freedomhouse.org",), notes="Met in Strasbourg.  ")
    rows = [["Behrendt", "Marc", "marc.behrendt@freedomhouse.org", None, None, None, None, "Spoke at the hearing."]]
    path = workbook(tmp_path, rows, header=NOTES_HEADER, name="meps-2019.xlsx")
    _import(staff, path)
    _import(staff, path)  # the same file again adds the note no second time
    person = db.session.scalars(select(Person).where(Person.family_name == "Behrendt")).one()
    on = today()
    heading = f"From import “meps-2019.xlsx” on {on.day} {on:%b %Y}:"
    assert person.notes == f"Met in Strasbourg.\n\n{heading} Spoke at the hearing."

    new = [["Tumenova", "Bakhyt", None, "KZ", None, None, None, "Lawyer in Almaty."]]
    _import(staff, workbook(tmp_path, new, header=NOTES_HEADER, name="new.xlsx"))
    tumenova = db.session.scalars(select(Person).where(Person.family_name == "Tumenova")).one()
    assert tumenova.notes == "Lawyer in Almaty."  # a new person's note is all theirs: no heading

    auth.login("viewer")
    page = client.get(f"/contacts/people/{person.id}").get_data(as_text=True)
    assert f"Met in Strasbourg.\n\n{heading} Spoke at the hearing." in page.replace("&#34;", '"')


def test_roles_the_import_added_show_in_the_persons_history(client, auth, staff, tmp_path):
    behrendt = make_person("Behrendt", "Marc", emails=("marc.behrendt@freedomhouse.org",))
    make_organisation("Freedom House")
    rows = [
        ["Behrendt", "Marc", "marc.behrendt@freedomhouse.org", None, None, "Freedom House", None],
        ["Toregozhina", "Bakhytzhan", "toregozhina@example.kz", "KZ", None, "Freedom House", None],
    ]
    _import(staff, workbook(tmp_path, rows))
    toregozhina = db.session.scalars(select(Person).where(Person.family_name == "Toregozhina")).one()

    auth.login("viewer")
    history = _history(client.get(f"/contacts/people/{behrendt.id}").get_data(as_text=True))
    # As a role added by hand shows: who, "add role", and the role
    assert re.search(r"Editor ·\s*<strong[^>]*>Add role</strong>", history)
    assert "Freedom House (… – now)" in history
    created = _history(client.get(f"/contacts/people/{toregozhina.id}").get_data(as_text=True))
    assert '<strong class="text-body">Created</strong>' in created and "Freedom House (… – now)" in created


def test_the_preview_recounts_the_rows_to_import_as_decisions_are_saved(client, auth, tmp_path):
    """Without JavaScript: "Recount" keeps the decisions and the button counts them."""
    make_person("Dzhakishev", "Mukhtar", country="KZ")
    auth.login("editor")
    rows = [
        ["Djakishev", "Mukhtar", None, "KZ", None, None, None],  # maybe the same person: undecided
        ["Toregozhina", "Bakhytzhan", "toregozhina@example.kz", "KZ", None, None, None],
    ]
    upload(client, workbook(tmp_path, rows))
    run = db.session.scalars(select(ImportRun)).one()
    columns = ["family_name", "given_name", "email", "country", "political_group", "organisation", "tags"]
    client.post(f"/imports/{run.id}/mapping", data={f"columns-{i}": key for i, key in enumerate(columns)})
    preview = client.get(f"/imports/{run.id}/preview").get_data(as_text=True)
    assert "Import 1 row" in preview and 'name="recount"' in preview

    response = client.post(f"/imports/{run.id}/preview", data={"row-2": "create", "recount": "1"})
    assert response.status_code == 302 and response.location.endswith(f"/imports/{run.id}/preview#decisions")
    preview = client.get(f"/imports/{run.id}/preview").get_data(as_text=True)
    assert "Import 2 rows" in preview and '<option value="create" selected>' in preview
    assert db.session.get(ImportRun, run.id).status == "uploaded"  # recounting imports nothing


def _history(page: str) -> str:
    return page[page.index('id="history"') :]


def test_undo_takes_the_roles_it_removes_out_of_the_history_as_a_deletion(client, auth, staff, tmp_path):
    behrendt = make_person("Behrendt", "Marc", emails=("marc.behrendt@freedomhouse.org",))
    make_organisation("Freedom House")
    rows = [["Behrendt", "Marc", "marc.behrendt@freedomhouse.org", None, None, "Freedom House", None]]
    run = db.session.get(ImportRun, _import(staff, workbook(tmp_path, rows)))
    undo_import(run, actor=staff["admin"], keep_conflicting=False)
    db.session.commit()

    auth.login("viewer")
    history = _history(client.get(f"/contacts/people/{behrendt.id}").get_data(as_text=True))
    deleted, added = history.index(">Delete role<"), history.index(">Add role<")
    assert deleted < added  # newest first
    assert "Admin" in history[:deleted] and history.count("Freedom House (… – now)") == 2
