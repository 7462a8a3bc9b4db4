"""The person page reads what it shows in a fixed number of statements, however much a person has, and
its template loads nothing."""

from datetime import date

from flask import before_render_template
from sqlalchemy import event

from crm.auth.service import create_user
from crm.campaigns.members import add_members
from crm.contacts.data import AddressData, EmailData, PersonData, PhoneData
from crm.contacts.people import create_person, set_archived
from crm.extensions import db
from tests.conftest import PASSWORD
from tests.factories import category_id, make_campaign, make_organisation, make_outreach, make_response, make_role

# The person with their category and who added and last changed them; emails; phones; addresses; tags;
# roles with their organisations and types; the audit trail with its actors; the outreach history's
# entries, replies and reply rate; the campaigns they are a target or supporter of; the bulk actions that
# changed them; and the signed-in user with their sign-in, as every request loads. A lazy load from the
# template adds to these.
PERSON_PAGE_STATEMENTS = 13
TYPES = ("parliament", "political_group", "committee")


def _person(staff, name: str, count: int):
    """A person with `count` of each thing the page lists, and changed by `count` staff members."""
    actors = [staff["editor"], staff["admin"], create_user(f"{name}@example.org", PASSWORD, role="editor")]
    data = PersonData(
        family_name=name,
        given_name="Tunne",
        category_id=category_id("MEP"),
        tags=[f"{name} tag {n}" for n in range(count)],
        emails=[EmailData(f"{name.lower()}{n}@example.org") for n in range(count)],
        phones=[PhoneData(f"+32 2 284 21 0{n}") for n in range(count)],
        addresses=[AddressData(street=f"Rue Wiertz {60 + n}", city="Brussels") for n in range(count)],
    )
    person = create_person(data, actor=actors[0])
    for n in range(1, count):  # the first and last actors are also who added and last changed the person
        set_archived(person, n % 2 == 1, actor=actors[n])
    db.session.commit()
    for n in range(count):
        organisation = make_organisation(f"{name} body {n}", type_code=TYPES[n % len(TYPES)])
        ended = date(2019, 7, 1) if n % 2 else None
        make_role(person, organisation, f"Member {n}", starts_on=date(2014, 7, 1), ends_on=ended)
        letter = make_outreach(f"{name} letter {n}", to=[person])
        make_response(letter, person, outcome="acted")
        add_members(make_campaign(f"{name} campaign {n}"), [person.id], "target" if n % 2 else "supporter", actor=None)
    db.session.commit()
    return person.id


def _page(client, person_id: int) -> tuple[str, int]:
    """The page and the statements it ran, starting from an empty session as a request does; none of them
    may come from rendering the template (a lazy load)."""
    db.session.expunge_all()
    statements, rendering = [], []

    def count(*_):
        statements.append("rendering" if rendering else "view")

    def render_starts(*_, **__):
        rendering.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        with before_render_template.connected_to(render_starts):
            response = client.get(f"/contacts/people/{person_id}")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    assert rendering, "the page was rendered from a template"
    assert "rendering" not in statements, f"the template ran {statements.count('rendering')} statements"
    return response.get_data(as_text=True), len(statements)


def test_the_person_page_loads_nothing_from_the_template(client, auth, staff):
    one, three = _person(staff, "Kelam", 1), _person(staff, "Paet", 3)
    auth.login("viewer")
    page, few = _page(client, one)
    assert "kelam0@example.org" in page and "Parliament or assembly" in page
    page, many = _page(client, three)
    for n in range(3):
        assert f"paet{n}@example.org" in page and f"+32 2 284 21 0{n}" in page and f"Rue Wiertz {60 + n}" in page
        assert f"Paet tag {n}" in page and f"Paet body {n}" in page and f"Paet letter {n}" in page
        assert f"Paet campaign {n}" in page
    assert "MEP" in page and "Political group" in page and "Committee" in page
    assert "by Editor" in page and "paet@example.org" in page and "Admin" in page and "replied to 3 of 3 asks" in page
    assert many == few <= PERSON_PAGE_STATEMENTS
