"""Saved lists through the screens, as staff use them: save from the people list, find them on the Saved
lists page, rename, delete (asked first, audited); viewers use them and change none. And the people
list's new filter controls."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.contacts import saved_lists
from crm.contacts.models import SavedList
from crm.contacts.search import PeopleFilter
from crm.extensions import db
from tests.exports.conftest import read_xlsx
from tests.factories import category_id, make_organisation, make_person, make_role
from tests.web import form_with, links


@pytest.fixture
def droi(app):
    droi = make_organisation("Subcommittee on Human Rights", short_name="DROI", type_code="committee")
    dcas = make_organisation("Delegation for relations with Central Asia", short_name="D-CAS", type_code="delegation")
    panzeri = make_person("Panzeri", "Pier Antonio", country="IT", category_id=category_id("MEP"))
    make_role(panzeri, droi, "Chair", date(2017, 1, 1), date(2019, 7, 1))
    tarand = make_person("Tarand", "Indrek", country="EE", category_id=category_id("MEP"))
    make_role(tarand, dcas, "Member", date(2014, 7, 1), date(2019, 7, 1))
    make_person("Kelam", "Tunne", country="EE")
    return {"droi": droi, "dcas": dcas, "panzeri": panzeri, "tarand": tarand}


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_an_editor_saves_the_list_from_the_people_list(client, auth, droi):
    auth.login("editor")
    query = f"organisation_id={droi['droi'].id}&organisation_id={droi['dcas'].id}&on=2018-06-01&page=1"
    people = _page(client, f"/contacts/people?{query}")
    assert "Panzeri" in people and "Tarand" in people and "Kelam" not in people
    assert ">DROI</label>" in people and ">D-CAS</label>" in people  # the chosen organisations, ticked
    [save] = links(people, "/contacts/lists/new")

    form_page = _page(client, save)
    assert "members of DROI or D-CAS on 1 June 2018" in form_page and "2 people match now" in form_page
    form = form_with(form_page, "name", "kind")
    answer = client.post(form.action, data=form.data(name="Committees 2018", kind="frozen"))
    assert answer.status_code == 302

    saved = db.session.scalar(select(SavedList))
    assert (saved.name, saved.kind, saved.person_count) == ("Committees 2018", "frozen", 2)
    assert "page" not in saved.query and parse_qs(saved.query)["on"] == ["2018-06-01"]
    detail = _page(client, answer.location)
    assert "Saved “Committees 2018” (frozen): 2 people." in detail
    index = _page(client, "/contacts/lists")
    assert "Committees 2018" in index and "members of DROI or D-CAS on 1 June 2018" in index
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "saved_list"))
    assert entry.action == "create" and entry.actor.email == "editor@example.org"


def test_a_name_taken_in_another_case_is_refused_and_nothing_saved(client, auth, droi):
    saved_lists.create_list("DROI members", "live", PeopleFilter(), actor=None)
    db.session.commit()
    auth.login("editor")
    form = form_with(_page(client, "/contacts/lists/new?country=EE"), "name")
    answer = client.post(form.action, data=form.data(name="droi MEMBERS"))
    assert answer.status_code == 422
    assert "There is a saved list “DROI members” already" in answer.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(SavedList)) == 1


def test_the_list_opens_on_its_people_and_exports_them(client, auth, droi):
    saved = saved_lists.create_list(
        "DROI members", "live", PeopleFilter(organisation_id=droi["droi"].id, on=date(2018, 6, 1)), actor=None
    )
    db.session.commit()
    auth.login("viewer")
    detail = _page(client, f"/contacts/lists/{saved.id}")
    [people_url] = [url for url in links(detail, "/contacts/people?") if "archived" not in url]
    people = _page(client, people_url)
    assert "People in “DROI members”" in people and "Panzeri" in people and "Tarand" not in people
    [xlsx] = links(detail, "/export/people.xlsx")
    assert parse_qs(urlsplit(xlsx).query) == {"list_id": [str(saved.id)]}
    _, _, rows = read_xlsx(client.get(xlsx).get_data())
    assert [row["Family name"].value for row in rows] == ["Panzeri"]


def test_outreach_email_and_letters_are_offered_with_the_list(client, auth, droi):
    saved = saved_lists.create_list("Estonians", "frozen", PeopleFilter(country="EE"), actor=None)
    db.session.commit()
    auth.login("editor")
    detail = _page(client, f"/contacts/lists/{saved.id}")
    [outreach] = links(detail, "/outreach/new?")
    form = _page(client, outreach)
    # Described, and each of its people listed to review (untick to leave out) before saving.
    assert "the saved list “Estonians”" in form and "Tarand, Indrek</label>" in form
    for medium in ("/email/compose?", "/letters/write?"):
        [url] = links(detail, medium)
        assert "To: people list: the saved list “Estonians”" in _page(client, url), medium


def test_rename(client, auth, droi):
    saved = saved_lists.create_list("DROI", "live", PeopleFilter(), actor=None)
    db.session.commit()
    auth.login("editor")
    form = form_with(_page(client, f"/contacts/lists/{saved.id}/rename"), "name")
    answer = client.post(form.action or f"/contacts/lists/{saved.id}/rename", data=form.data(name="DROI members"))
    assert answer.status_code == 302
    assert "Renamed “DROI” to “DROI members”." in _page(client, answer.location)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "rename"))
    assert entry.changes == {"name": ["DROI", "DROI members"]}


def test_delete_asks_first_and_is_audited(client, auth, droi):
    saved = saved_lists.create_list("Estonians", "frozen", PeopleFilter(country="EE"), actor=None)
    saved_lists.create_list("Estonian MEPs", "live", PeopleFilter(list_id=saved.id, q="tarand"), actor=None)
    db.session.commit()
    auth.login("editor")
    confirm = _page(client, f"/contacts/lists/{saved.id}/delete")
    assert "Delete the saved list “Estonians”?" in confirm
    assert "“Estonian MEPs”, made from it, will then match nobody" in confirm
    assert db.session.get(SavedList, saved.id) is not None  # asking deleted nothing
    form = form_with(confirm, button="Delete the list")
    answer = client.post(form.action or f"/contacts/lists/{saved.id}/delete", data=form.data())
    assert answer.status_code == 302 and answer.location == "/contacts/lists"
    assert "Deleted the saved list “Estonians”" in _page(client, answer.location)
    db.session.expire_all()
    assert db.session.get(SavedList, saved.id) is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "delete"))
    assert entry.entity_type == "saved_list" and entry.changes["people"] == [2, None]
    assert entry.actor.email == "editor@example.org"


def test_viewers_use_lists_and_change_none(client, auth, droi):
    saved = saved_lists.create_list("Estonians", "frozen", PeopleFilter(country="EE"), actor=None)
    db.session.commit()
    auth.login("viewer")
    for url in ("/contacts/lists", f"/contacts/lists/{saved.id}", f"/contacts/people?list_id={saved.id}"):
        page = _page(client, url)
        assert "/contacts/lists/new" not in page and "/rename" not in page and "/delete" not in page, url
    for url in ("/contacts/lists/new", f"/contacts/lists/{saved.id}/rename", f"/contacts/lists/{saved.id}/delete"):
        assert client.get(url).status_code == 403
        assert client.post(url, data={"name": "x"}).status_code == 403
    assert db.session.get(SavedList, saved.id).name == "Estonians"


def test_a_frozen_list_says_who_was_archived_since(client, auth, droi):
    from crm.contacts.people import set_archived

    saved = saved_lists.create_list("Estonians", "frozen", PeopleFilter(country="EE"), actor=None)
    set_archived(droi["tarand"], True, actor=None)
    db.session.commit()
    auth.login("viewer")
    detail = _page(client, f"/contacts/lists/{saved.id}")
    assert "1 of the 2 saved" in detail and "1 archived" in detail and "Indrek Tarand" in detail


def test_an_invalid_date_is_shown_and_ignored(client, auth, droi):
    auth.login("viewer")
    page = _page(client, f"/contacts/people?organisation_id={droi['droi'].id}&on=2018-13-45")
    assert "“2018-13-45” is not a date (write it as 2018-06-01): showing the roles held today." in page
    assert "No people match." in page  # nobody holds a DROI role today


def test_the_scorecard_offers_the_lists(client, auth, droi):
    saved = saved_lists.create_list("Estonians", "frozen", PeopleFilter(country="EE"), actor=None)
    db.session.commit()
    auth.login("viewer")
    page = _page(client, f"/reports/scorecard?list_id={saved.id}")
    assert f'<option value="{saved.id}" selected>Estonians</option>' in page


def test_role_titles_are_suggested_as_typed(client, auth, droi):
    make_role(droi["tarand"], droi["droi"], "Vice-Chair", date(2014, 7, 1), date(2019, 7, 1))
    auth.login("viewer")
    assert client.get("/contacts/people/role-titles?q=ch").get_json() == [
        {"id": "Chair", "label": "Chair"},
        {"id": "Vice-Chair", "label": "Vice-Chair"},
    ]
    assert client.get("/contacts/people/role-titles?q=mem").get_json() == [{"id": "Member", "label": "Member"}]
    assert client.get("/contacts/people/role-titles?q=%25").get_json() == []
    assert client.get("/contacts/people/role-titles").get_json() == []


def test_a_name_given_at_the_same_moment_is_refused_by_the_database(client, auth, droi, monkeypatch):
    saved_lists.create_list("DROI members", "live", PeopleFilter(), actor=None)
    db.session.commit()
    auth.login("editor")
    form = form_with(_page(client, "/contacts/lists/new?country=EE"), "name")
    # As if the colleague's list was saved between our check and our insert.
    monkeypatch.setattr(saved_lists, "_check_name", lambda name, own_id=None: saved_lists.clean_name(name))
    answer = client.post(form.action, data=form.data(name="DROI Members"))
    assert answer.status_code == 422
    assert "A colleague saved a list of that name a moment ago" in answer.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(SavedList)) == 1


def test_the_list_shows_the_roles_held_on_the_day_filtered(client, auth, droi):
    """Filtered by roles held on a day, the roles column says what they held that day, not today."""
    auth.login("viewer")
    then = _page(client, f"/contacts/people?organisation_id={droi['droi'].id}&on=2018-06-01")
    assert "Roles on 01 Jun 2018" in then and "Chair, DROI" in then and "formerly" not in then
    today = _page(client, "/contacts/people?country=IT")
    assert "Current roles" in today and "formerly Chair, DROI (until 2019)" in today
