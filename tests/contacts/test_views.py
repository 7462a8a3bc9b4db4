"""The contact screens through the test client: status codes, messages, redirects."""

from crm.audit.service import history
from crm.contacts.people import get_person
from crm.extensions import db
from tests.factories import make_organisation, make_person, make_role


def person_form(**fields) -> dict:
    data = {"family_name": "Dzhakishev", "given_name": "Mukhtar", "lawful_basis": "legitimate_interests", "country": ""}
    data.update(fields)
    return data


def test_add_a_person(client, auth):
    auth.login("editor")
    response = client.post(
        "/contacts/people/new", data=person_form(native_name="Мухтар Джакишев", **{"emails-0-address": "m@example.org"})
    )
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Мухтар Джакишев" in page and "m@example.org" in page and "History" in page


def test_save_and_add_another(client, auth):
    auth.login("editor")
    response = client.post("/contacts/people/new", data=person_form(next_action="another"))
    assert response.location == "/contacts/people/new"


def test_field_errors_are_shown_and_nothing_saved(client, auth):
    auth.login("editor")
    response = client.post(
        "/contacts/people/new",
        data=person_form(country="Narnia", **{"emails-0-address": "bad@", "phones-0-number": "x"}),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing was saved" in page and "is not a known country" in page and "is not a valid email address" in page
    assert "does not look like a phone number" in page
    assert client.get("/contacts/people").get_data(as_text=True).count("Dzhakishev") == 0


def test_shared_email_needs_confirmation(client, auth):
    make_person("Savchenko", "Igor", emails=("info@odfoundation.eu",))
    auth.login("editor")
    data = person_form(family_name="Kozlovska", given_name="Lyudmyla", **{"emails-0-address": "info@odfoundation.eu"})
    response = client.post("/contacts/people/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "already belongs to Igor Savchenko" in page and "Save anyway" in page
    response = client.post("/contacts/people/new", data={**data, "allow_shared_email": "y"})
    assert response.status_code == 302


def test_edit_conflict_shows_what_changed(client, auth, staff):
    person = make_person("Tarand", "Indrek", country="EE")
    opened = person.version
    auth.login("editor")
    assert (
        client.post(
            f"/contacts/people/{person.id}/edit",
            data=person_form(
                family_name="Tarand", given_name="Indrek", country="EE", notes="Greens/EFA", version=opened
            ),
        ).status_code
        == 302
    )

    # A second form opened at the same version now arrives.
    response = client.post(
        f"/contacts/people/{person.id}/edit",
        data=person_form(family_name="Tarand", given_name="I.", country="EE", version=opened),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else changed this record" in page and "Greens/EFA" in page
    db.session.expire_all()
    assert get_person(person.id).given_name == "Indrek"
    # The form now carries the current version, so saving again is a conscious overwrite.
    current = get_person(person.id).version
    assert f'value="{current}"' in page
    assert (
        client.post(
            f"/contacts/people/{person.id}/edit",
            data=person_form(family_name="Tarand", given_name="I.", country="EE", version=current),
        ).status_code
        == 302
    )


def test_archive_asks_first_then_restore(client, auth):
    person = make_person("Spinelli", "Barbara")
    auth.login("editor")
    confirm = client.get(f"/contacts/people/{person.id}/archive")
    assert confirm.status_code == 200 and "Archive Barbara Spinelli?" in confirm.get_data(as_text=True)
    assert client.post(f"/contacts/people/{person.id}/archive").status_code == 302
    assert "No people match" in client.get("/contacts/people?q=spinelli").get_data(as_text=True)
    assert "Spinelli" in client.get("/contacts/people?q=spinelli&archived=archived").get_data(as_text=True)
    assert client.post(f"/contacts/people/{person.id}/restore").status_code == 302
    db.session.expire_all()
    assert [e.action for e in history("person", person.id)][:2] == ["restore", "archive"]


def test_roles_through_the_screens(client, auth):
    person, org = (
        make_person("Paet", "Urmas"),
        make_organisation("Alliance of Liberals and Democrats for Europe", short_name="ALDE"),
    )
    auth.login("editor")
    bad = client.post(
        f"/contacts/people/{person.id}/roles/new",
        data={
            "organisation_id": org.id,
            "organisation_label": "ALDE",
            "starts_on": "2019-07-01",
            "ends_on": "2014-07-01",
        },
    )
    assert bad.status_code == 422 and "before the start date" in bad.get_data(as_text=True)
    missing = client.post(f"/contacts/people/{person.id}/roles/new", data={"organisation_label": "Nothing chosen"})
    assert missing.status_code == 422 and "Choose an organisation" in missing.get_data(as_text=True)
    good = client.post(
        f"/contacts/people/{person.id}/roles/new",
        data={"organisation_id": org.id, "organisation_label": "ALDE", "title": "Member", "starts_on": "2014-07-01"},
    )
    assert good.status_code == 302
    page = client.get(f"/contacts/organisations/{org.id}").get_data(as_text=True)
    assert "Urmas Paet" in page


def test_lookups_for_type_ahead(client, auth):
    make_person("Dzhakishev", "Mukhtar", native_name="Мухтар Джакишев")
    make_organisation("Freedom House")
    auth.login("viewer")
    people = client.get("/contacts/people/lookup?q=Djakish").get_json()
    assert [p["label"] for p in people] == ["Mukhtar Dzhakishev (Мухтар Джакишев)"]
    assert client.get("/contacts/organisations/lookup?q=freedom").get_json()[0]["label"] == "Freedom House"
    assert client.get("/contacts/people/lookup?q=").get_json() == []


def test_people_list_filters_and_pages_through_the_screen(client, auth, app):
    for index in range(55):
        make_person(f"Deputy{index:02d}", "PACE")
    auth.login("viewer")
    page = client.get("/contacts/people?q=pace").get_data(as_text=True)
    assert "1–50 of 55 people" in page and "Next" in page
    second = client.get("/contacts/people?q=pace&page=2").get_data(as_text=True)
    assert "51–55 of 55 people" in second and "Deputy54" in second


def test_organisation_screens(client, auth):
    parent = make_organisation("Council of Europe", short_name="CoE")
    auth.login("editor")
    bad = client.post("/contacts/organisations/new", data={"name": "", "country": "Utopia"})
    assert bad.status_code == 422 and "A name is required" in bad.get_data(as_text=True)
    response = client.post(
        "/contacts/organisations/new",
        data={
            "name": "Parliamentary Assembly",
            "short_name": "PACE",
            "parent_id": parent.id,
            "parent_label": "Council of Europe",
            "website": "pace.coe.int",
        },
    )
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "https://pace.coe.int" in page and "part of" in page

    organisation_id = int(response.location.rsplit("/", 1)[1])
    stale = client.post(f"/contacts/organisations/{organisation_id}/edit", data={"name": "PACE", "version": 0})
    assert stale.status_code == 409 and "Someone else changed this record" in stale.get_data(as_text=True)
    assert client.post(f"/contacts/organisations/{organisation_id}/archive").status_code == 302
    assert "archived" in client.get(f"/contacts/organisations/{organisation_id}").get_data(as_text=True)


def test_people_list_organisation_filter_shows_its_name(client, auth):
    person, org = make_person("Behrendt", "Marc"), make_organisation("Freedom House")
    make_person("Roth", "Kenneth")
    make_role(person, org, "Director")
    auth.login("viewer")
    page = client.get(f"/contacts/people?organisation_id={org.id}").get_data(as_text=True)
    assert "People at Freedom House" in page and "Behrendt" in page and "Roth" not in page
