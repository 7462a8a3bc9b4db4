"""The selection bar through the real pages, CSRF on: viewers select and export, editors act and undo."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from crm.audit import service as audit
from crm.contacts.models import Person
from crm.extensions import db
from crm.outreach.models import Outreach
from crm.selections import service as selection
from crm.selections.models import BulkAction
from tests.exports.conftest import read_xlsx
from tests.factories import make_person
from tests.web import csrf_token, form_with, links


@pytest.fixture
def people(app):
    made = [make_person(f"Family{n:02d}", "Given", country="EE" if n < 6 else "LV") for n in range(8)]
    make_person('=HYPERLINK("http://evil")', "Formula", country="EE")
    return made


def _ticked(html: str) -> set[int]:
    return {int(i) for i in re.findall(r'name="selected" value="(\d+)"[^>]*checked', html)}


def _tick(client, ids, shown, *, json=False):
    """What the page's script sends for a box ticked or unticked: the rows and the page's CSRF token."""
    token = csrf_token(client.get("/contacts/people").get_data(as_text=True))
    data = MultiDict([("csrf_token", token), *(("shown", str(i)) for i in shown), *(("selected", str(i)) for i in ids)])
    headers = {"Accept": "application/json"} if json else {}
    return client.post("/selections/people/update", data=data, headers=headers)


def test_a_viewer_ticks_rows_page_after_page_and_exports_just_those(client, auth, people, staff):
    auth.login("viewer")
    page = client.get("/contacts/people?country=EE").get_data(as_text=True)
    assert "0 selected" in page and "Select all 7 that match" in page
    assert "/selections/people/tag" not in page  # a viewer changes nothing: no bulk action is offered
    answer = _tick(client, [people[0].id, people[2].id], [people[0].id, people[1].id, people[2].id], json=True)
    assert answer.get_json() == {"count": 2, "label": "2 selected"}
    # The ticks stay on the page, and in another filter's list too.
    assert _ticked(client.get("/contacts/people?country=EE").get_data(as_text=True)) == {people[0].id, people[2].id}
    assert "2 selected" in client.get("/contacts/people?country=LV").get_data(as_text=True)
    # Unticking one of the shown rows takes it out; a redirect back to the list without the script.
    back = _tick(client, [people[2].id], [people[0].id, people[2].id])
    assert back.status_code == 302
    assert selection.count(staff["viewer"].id, "people") == 1

    formula = db.session.scalar(select(Person.id).where(Person.given_name == "Formula"))
    _tick(client, [people[2].id, formula], [formula])
    export = client.get("/selections/people/export.xlsx")
    assert export.status_code == 200 and "attachment" in export.headers["Content-Disposition"]
    _, header, rows = read_xlsx(export.get_data())
    assert sorted(row["Family name"].value for row in rows) == ['\'=HYPERLINK("http://evil")', "Family02"]
    [entry] = audit.history("export", 0)
    assert entry.changes["selection"] == [None, 2] and entry.actor_id == staff["viewer"].id

    assert client.get("/selections/people/tag").status_code == 403
    assert client.post("/selections/people/tag", data={"tag": "Nope"}).status_code == 403
    assert client.post("/selections/people/archive", data={}).status_code == 403


def test_ticks_need_the_pages_csrf_token(client, auth, people, staff):
    auth.login("editor")
    forged = client.post(
        "/selections/people/update", data={"shown": str(people[0].id), "selected": str(people[0].id)}, csrf=False
    )
    assert forged.status_code == 400
    assert selection.count(staff["editor"].id, "people") == 0


def test_select_all_that_match_then_tag_and_undo_from_the_result_page(client, auth, people, staff):
    auth.login("editor")
    page = client.get("/contacts/people?country=LV").get_data(as_text=True)
    bar = form_with(page, "shown", "back", button="Select all")
    assert bar.data()["back"] == "country=LV"
    client.post("/selections/people/all", data=bar.data())
    assert "2 selected" in client.get("/contacts/people?country=LV").get_data(as_text=True)

    [tag_link] = links(client.get("/contacts/people?country=LV").get_data(as_text=True), "/selections/people/tag")
    tag_page = client.get(tag_link).get_data(as_text=True)
    assert "2 people selected" in tag_page
    done = client.post(tag_link, data=form_with(tag_page, "tag").data(tag="Wrote back"))
    assert done.status_code == 302
    result = client.get(done.location).get_data(as_text=True)
    assert "Tagged 2 people “Wrote back”" in result
    assert {p.family_name: [t.name for t in p.tags] for p in people[6:]} == {
        "Family06": ["Wrote back"],
        "Family07": ["Wrote back"],
    }
    [back_link] = [url for url in links(result, "/contacts/people") if "country=LV" in url]
    assert back_link == "/contacts/people?country=LV"

    undo = form_with(result, "back", button="Undo")
    action = db.session.scalar(select(BulkAction))
    assert client.post(f"/selections/actions/{action.id}/undo", data=undo.data()).status_code == 302
    db.session.expire_all()
    assert [p.tags for p in people[6:]] == [[], []]
    after = client.get(f"/selections/actions/{action.id}").get_data(as_text=True)
    assert "Undone" in after and ">Undo<" not in after


def test_archive_asks_first_and_a_blank_tag_is_a_form_error(client, auth, people, staff):
    selection.select_items(staff["editor"].id, "people", [people[0].id])
    db.session.commit()
    auth.login("editor")
    tag_page = client.get("/selections/people/tag").get_data(as_text=True)
    blank = client.post("/selections/people/tag", data=form_with(tag_page, "tag").data(tag="  "))
    assert blank.status_code == 422 and "Type the tag to add." in blank.get_data(as_text=True)
    confirm = client.get("/selections/people/archive").get_data(as_text=True)
    assert "Archive 1 person" in confirm
    client.post("/selections/people/archive", data=form_with(confirm, "back").data())
    db.session.expire_all()
    assert db.session.get(Person, people[0].id).archived


def test_log_outreach_to_the_selection_after_leaving_some_out(client, auth, people, staff):
    selection.select_items(staff["editor"].id, "people", [p.id for p in people[:5]])
    db.session.commit()
    auth.login("editor")
    page = client.get("/outreach/new?selection=people").get_data(as_text=True)
    assert "5 people</strong> from your selection on the people list" in page
    form = form_with(page, "keep", "subject")
    kept = [str(p.id) for p in people[:5] if p not in (people[1], people[3])]
    response = client.post("/outreach/new", data=form.data(subject="Letter on the verdict", keep=kept))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    outreach = db.session.scalar(select(Outreach))
    assert sorted(p.person.family_name for p in outreach.participants) == [
        "Family00",
        "Family02",
        "Family04",
    ]


def test_organisations_and_outreach_lists_select_and_export_their_own_selection(client, auth, staff):
    from tests.factories import make_organisation, make_outreach

    organisations = [make_organisation(name) for name in ("Kazatomprom", "Open Dialog", "Amnesty")]
    person = make_person("Kelam", "Tunne")
    letters = [make_outreach(f"Letter {n}", to=[person]) for n in range(3)]
    auth.login("editor")
    page = client.get("/contacts/organisations?q=open").get_data(as_text=True)
    assert "/selections/organisations/tag" in page and "Select all 1 that match" in page
    client.post("/selections/organisations/all", data=form_with(page, "shown", "back", button="Select all").data())
    organisation_page = client.get("/contacts/organisations").get_data(as_text=True)
    assert _ticked(organisation_page) == {organisations[1].id}
    _, _, rows = read_xlsx(client.get("/selections/organisations/export.xlsx").get_data())
    assert [row["Name"].value for row in rows] == ["Open Dialog"]

    page = client.get("/outreach/?q=letter").get_data(as_text=True)
    assert "Select all 3 that match" in page and "/selections/outreach/tag" not in page  # export only
    client.post("/selections/outreach/all", data=form_with(page, "shown", "back", button="Select all").data())
    assert selection.count(staff["editor"].id, "outreach") == 3
    csv_answer = client.get("/selections/outreach/export.csv")
    assert csv_answer.status_code == 200
    assert all(letter.subject in csv_answer.get_data(as_text=True) for letter in letters)
    assert selection.count(staff["editor"].id, "people") == 0  # each list has its own selection


def test_email_and_letters_start_from_the_selection_and_say_who_is_left_out(client, auth, staff):
    reachable = make_person("Kelam", "Tunne", emails=("kelam@example.org",))
    unreachable = make_person("Paet", "Urmas")  # no email, no postal address
    selection.select_items(staff["editor"].id, "people", [reachable.id, unreachable.id])
    db.session.commit()
    auth.login("editor")
    people_page = client.get("/contacts/people").get_data(as_text=True)
    assert links(people_page, "selection=people") == [
        "/outreach/new?selection=people",
        "/email/compose?selection=people",
        "/letters/write?selection=people",
    ]
    for address in ("/email/compose?selection=people", "/letters/write?selection=people"):
        page = client.get(address).get_data(as_text=True)
        chosen = set(re.findall(r'<option selected value="(\d+)">', page))
        assert chosen == {str(reachable.id), str(unreachable.id)}, address
    compose = client.get("/email/compose?selection=people").get_data(as_text=True)
    form = form_with(compose, "subject", "body", "person_ids")
    # Both options come selected (above); tests.web submits one option of a select, a browser all selected.
    chosen = [str(reachable.id), str(unreachable.id)]
    preview = client.post("/email/compose", data=form.data(subject="Hello", body="Dear colleague", person_ids=chosen))
    text = preview.get_data(as_text=True)
    assert "Left out (1)" in text and "Paet" in text


def test_the_audit_log_links_a_bulk_action_to_its_page_with_the_undo(client, auth, people, staff):
    from crm.selections import bulk

    selection.select_items(staff["editor"].id, "people", [people[0].id])
    action = bulk.tag_selection(staff["editor"], "people", "Audited")
    db.session.commit()
    auth.login("admin")
    log = client.get("/admin/audit?entity_type=bulk_action").get_data(as_text=True)
    assert f"/selections/actions/{action.id}" in links(log, "/selections/actions/")
    page = client.get(f"/selections/actions/{action.id}").get_data(as_text=True)
    assert "Tagged 1 person “Audited”" in page and ">Undo<" in page


def test_the_selection_joins_a_campaign_as_its_supporters(client, auth, people, staff):
    from crm.campaigns.service import get_campaign
    from crm.outreach.campaign_overview import campaign_overview
    from tests.factories import make_campaign

    campaign = make_campaign()
    selection.select_items(staff["editor"].id, "people", [p.id for p in people[:3]])
    db.session.commit()
    auth.login("editor")
    page = client.get("/outreach/new?selection=people").get_data(as_text=True)
    form = form_with(page, "keep", "bulk_role")
    data = form.data(
        subject="Joint declaration",
        campaign_id=str(campaign.id),
        bulk_role=form.option_value("bulk_role", "Signatories: supporters who signed"),
    )
    assert client.post("/outreach/new", data=data).status_code == 302
    outreach = db.session.scalar(select(Outreach))
    assert {p.role for p in outreach.participants} == {"signatory"} and len(outreach.participants) == 3
    supporters = campaign_overview(get_campaign(campaign.id)).supporters
    assert sorted(s.person.family_name for s in supporters) == ["Family00", "Family01", "Family02"]


def test_a_person_page_names_the_bulk_actions_that_changed_them(client, auth, people, staff):
    """One audit entry for the whole action, and each person's page says it changed them."""
    auth.login("editor")
    family06, family00 = people[6], people[0]
    page = client.get("/contacts/people?country=LV").get_data(as_text=True)
    client.post("/selections/people/all", data=form_with(page, "shown", "back", button="Select all").data())
    [tag_link] = links(client.get("/contacts/people?country=LV").get_data(as_text=True), "/selections/people/tag")
    done = client.post(tag_link, data=form_with(client.get(tag_link).get_data(as_text=True), "tag").data(tag="Urgent"))
    action = db.session.scalar(select(BulkAction))
    result = client.get(done.location).get_data(as_text=True)
    client.post(f"/selections/actions/{action.id}/undo", data=form_with(result, "back", button="Undo").data())

    tagged = client.get(f"/contacts/people/{family06.id}").get_data(as_text=True)
    assert "Changed with others at once" in tagged
    assert f'href="/selections/actions/{action.id}">Tagged 2 people “Urgent”</a>' in tagged and "— undone" in tagged
    untouched = client.get(f"/contacts/people/{family00.id}").get_data(as_text=True)
    assert "Changed with others at once" not in untouched
