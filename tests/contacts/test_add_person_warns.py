"""Adding a person by hand warns of the people they may already be (issue 12, fix 8).

The demo holds Mukhtar Dzhakishev; "Mukhtar Djakishev" typed into the new-person form is him,
spelt the French way, and must not be saved silently as a second record."""

from __future__ import annotations

from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from crm.contacts.data import EmailData, PersonData
from crm.contacts.models import Person
from crm.contacts.people import set_archived
from crm.duplicates.lookalikes import likely_matches
from crm.extensions import db
from tests.factories import category_id, make_person
from tests.web import csrf_token, form_with


def people_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Person))


def demo_dzhakishev():
    # As the demo enters him (crm/demo/people.py).
    return make_person("Dzhakishev", "Mukhtar", country="KZ", native_name="Мухтар Джакишев")


# --- Who a new person may be, without HTTP ---------------------------------------------------------------------


def test_a_respelt_name_is_a_likely_match(app):
    dzhakishev = demo_dzhakishev()
    make_person("Ablyazov", "Mukhtar", country="KZ")  # shares the given name only
    found = likely_matches(PersonData(family_name="Djakishev", given_name="Mukhtar", country="KZ"))
    assert [lookalike.person.id for lookalike in found] == [dzhakishev.id]
    assert "same name, spelt differently" in found[0].reasons
    assert (
        found[0].explanation
        == "Probably the same person (89%): same name, spelt differently; same country (Kazakhstan)."
    )


def test_the_name_in_native_script_finds_them_too(app):
    dzhakishev = make_person("Dzhakishev", "Mukhtar", country="KZ")  # no native name stored
    native_only = likely_matches(PersonData(family_name="", native_name="Мухтар Джакишев"))
    assert [lookalike.person.id for lookalike in native_only] == [dzhakishev.id]
    assert "same name in another script" in native_only[0].reasons
    typed_in_cyrillic = likely_matches(PersonData(family_name="Джакишев", given_name="Мухтар"))
    assert [lookalike.person.id for lookalike in typed_in_cyrillic] == [dzhakishev.id]


def test_a_misspelt_family_name_is_found_through_the_given_name(app):
    dzhakishev = demo_dzhakishev()
    for family_name in ("Dzhakishov", "Jakischew"):  # a typo; the German spelling, without its "D"
        found = likely_matches(PersonData(family_name=family_name, given_name="Mukhtar", country="KZ"))
        assert [lookalike.person.id for lookalike in found] == [dzhakishev.id], family_name


def test_a_clearly_different_person_has_no_lookalikes(app):
    demo_dzhakishev()
    assert likely_matches(PersonData(family_name="Ablyazov", given_name="Mukhtar", country="KZ")) == []
    assert likely_matches(PersonData(family_name="Dzhakishev", given_name="Askar", country="KZ")) == []
    assert likely_matches(PersonData(family_name="Zdechovský", given_name="Tomáš", country="CZ")) == []


def test_a_shared_email_counts_as_evidence(app):
    dzhakishev = make_person("Dzhakishev", "Mukhtar", emails=("m.dzhakishev@example.org",))
    found = likely_matches(
        PersonData(family_name="Djakishev", given_name="Mukhtar", emails=[EmailData(" M.Dzhakishev@Example.org ")])
    )
    assert [lookalike.person.id for lookalike in found] == [dzhakishev.id]
    assert found[0].explanation.startswith("Almost certainly the same person (92%): same email m.dzhakishev@")


def test_a_namesake_in_another_country_is_offered_as_the_import_holds_them_back(app):
    # The same name in another transliteration abroad: at least likely, as for the import (issue 12, point 6).
    namesake = make_person("Dzhakishev", "Mukhtar", country="RU", emails=("mukhtar@example.ru",))
    found = likely_matches(PersonData(family_name="Djakishev", given_name="Mukhtar", country="KZ"))
    assert [lookalike.person.id for lookalike in found] == [namesake.id]
    assert "different country (Kazakhstan / Russian Federation)" in found[0].explanation
    assert likely_matches(PersonData(family_name="Djakishev", given_name="Askar", country="KZ")) == []
    with_email = PersonData(
        family_name="Djakishev", given_name="Mukhtar", country="KZ", emails=[EmailData("mukhtar@example.ru")]
    )
    assert [lookalike.person.id for lookalike in likely_matches(with_email)] == [namesake.id]


def test_the_very_same_name_in_another_country_is_offered_as_the_import_holds_it_back(app):
    namesake = make_person("Dzhakishev", "Mukhtar", country="RU")
    found = likely_matches(PersonData(family_name="DZHAKISHEV", given_name="Mukhtar", country="KZ"))
    assert [lookalike.person.id for lookalike in found] == [namesake.id]
    assert "different country (Kazakhstan / Russian Federation)" in found[0].explanation


def test_people_ruled_out_and_archived_people_are_left_out(app, staff):
    dzhakishev = demo_dzhakishev()
    other = make_person("Jakishev", "Muhtar")  # the same name again, a third spelling
    data = PersonData(family_name="Djakishev", given_name="Mukhtar")
    assert {lookalike.person.id for lookalike in likely_matches(data)} == {dzhakishev.id, other.id}
    assert [lookalike.person.id for lookalike in likely_matches(data, ruled_out={dzhakishev.id})] == [other.id]
    set_archived(other, True, actor=staff["editor"])
    db.session.commit()
    assert [lookalike.person.id for lookalike in likely_matches(data)] == [dzhakishev.id]


# --- The new-person form -----------------------------------------------------------------------------------------

TYPED = {
    "honorific": "Mr",
    "given_name": "Mukhtar",
    "patronymic": "",
    "family_name": "Djakishev",
    "native_name": "",
    "country": "KZ",
    "languages": "ru, kk",
    "tags": "Dzhakishev case, Political prisoner",
    "notes": "Former head of Kazatomprom.\nMet his lawyer in Brussels.",
    "source": "Open Dialog Foundation report, 2018",
    "lawful_basis": "public_task",
    "emails-0-address": "mukhtar@example.kz",
    "emails-0-label": "private",
    "phones-0-number": "+7 727 123 45 67",
    "phones-0-label": "lawyer",
    "addresses-0-street": "Dolinka colony AK 159/6",
    "addresses-0-postcode": "100000",
    "addresses-0-city": "Karaganda",
    "addresses-0-country": "KZ",
    "addresses-0-label": "prison",
}
TICKED = [("emails-0-is_primary", "y"), ("addresses-0-is_primary", "y")]  # checkboxes: sent only when ticked


def new_person_form(client):
    page = client.get("/contacts/people/new").get_data(as_text=True)
    return form_with(page, "family_name", "given_name")


def submit(client, url: str, sent, *clicked: tuple[str, str]):
    """Post what a page's form sends (its CSRF token included) and the pairs `clicked` (a button,
    ticked boxes), as a browser would."""
    data = MultiDict(sent)
    for name, value in clicked:
        data.add(name, value)
    return client.post(url, data=data)


def test_the_form_warns_keeps_everything_typed_and_saves_once_confirmed(client, auth):
    dzhakishev = demo_dzhakishev()
    auth.login("editor")
    typed = {**TYPED, "category_id": str(category_id("Political prisoner"))}
    form = new_person_form(client)
    response = submit(client, "/contacts/people/new", form.data(**typed), *TICKED, ("next_action", "view"))
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert people_count() == 1, "nothing is saved before the user says who this is"
    assert "Mukhtar Dzhakishev" in page and f'href="/contacts/people/{dzhakishev.id}"' in page
    assert likely_matches(PersonData("Djakishev", "Mukhtar", country="KZ"))[0].explanation in page
    assert "Open Mukhtar Dzhakishev instead" in page

    # Every value typed is in the form shown again, and the page has a fresh CSRF token.
    warned = form_with(page, "family_name", "given_name")
    assert ("csrf_token", csrf_token(page)) in warned.fields
    shown = dict(warned.fields)
    # WTForms opens a textarea with "\r\n", which a browser drops (tests/web.py drops only "\n").
    shown["notes"] = shown["notes"].removeprefix("\r\n")
    for name, value in typed.items():
        assert shown.get(name, "") == value, name
    assert set(TICKED) <= set(warned.fields)
    confirm = next(button for button in warned.buttons if button.text == "This is someone else")

    saved = submit(client, "/contacts/people/new", warned.data(), (confirm.name, confirm.value))
    assert saved.status_code == 302
    assert people_count() == 2
    person = db.session.get(Person, int(saved.location.rsplit("/", 1)[1]))
    assert (person.display_name, person.honorific, person.country, person.notes) == (
        "Mukhtar Djakishev",
        "Mr",
        "KZ",
        typed["notes"],
    )
    assert [e.address for e in person.emails] == ["mukhtar@example.kz"]
    assert [p.number for p in person.phones] == ["+7 727 123 45 67"]
    assert [a.city for a in person.addresses] == ["Karaganda"]


def test_save_and_add_another_still_leads_to_a_blank_form(client, auth):
    demo_dzhakishev()
    auth.login("editor")
    form = new_person_form(client)
    typed = form.data(given_name="Mukhtar", family_name="Djakishev")
    warned_page = submit(client, "/contacts/people/new", typed, ("next_action", "another")).get_data(as_text=True)
    warned = form_with(warned_page, "family_name", "given_name")
    confirm = next(button for button in warned.buttons if button.text == "This is someone else")
    saved = submit(client, "/contacts/people/new", warned.data(), (confirm.name, confirm.value))
    assert saved.location == "/contacts/people/new" and people_count() == 2


def test_a_clearly_different_name_is_saved_at_once(client, auth):
    demo_dzhakishev()
    auth.login("editor")
    form = new_person_form(client)
    response = submit(
        client, "/contacts/people/new", form.data(given_name="Mukhtar", family_name="Ablyazov", country="KZ")
    )
    assert response.status_code == 302 and people_count() == 2


def test_the_native_script_alone_warns_too(client, auth):
    demo_dzhakishev()
    auth.login("editor")
    form = new_person_form(client)
    response = submit(client, "/contacts/people/new", form.data(native_name="Мухтар Джакишев"))
    assert response.status_code == 200 and "Open Mukhtar Dzhakishev instead" in response.get_data(as_text=True)
    assert people_count() == 1


def test_field_errors_come_before_the_warning(client, auth):
    demo_dzhakishev()
    auth.login("editor")
    form = new_person_form(client)
    response = submit(
        client, "/contacts/people/new", form.data(given_name="Mukhtar", family_name="Djakishev", country="Narnia")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "is not a known country" in page and "This is someone else" not in page


def test_confirming_survives_the_shared_email_question(client, auth):
    dzhakishev = make_person("Dzhakishev", "Mukhtar", emails=("office@odfoundation.eu",))
    auth.login("editor")
    form = new_person_form(client)
    typed = {"given_name": "Mukhtar", "family_name": "Djakishev", "emails-0-address": "office@odfoundation.eu"}
    warned_page = submit(client, "/contacts/people/new", form.data(**typed)).get_data(as_text=True)
    assert "same email office@odfoundation.eu" in warned_page
    warned = form_with(warned_page, "family_name")
    confirm = next(button for button in warned.buttons if button.text == "This is someone else")
    assert confirm.value == str(dzhakishev.id)

    # Someone else, but the address is his too: that is its own question, and the answer to the
    # first one is kept while the user answers it.
    shared = submit(client, "/contacts/people/new", warned.data(), (confirm.name, confirm.value))
    shared_page = shared.get_data(as_text=True)
    assert shared.status_code == 422 and "already belongs to Mukhtar Dzhakishev" in shared_page
    assert "This is someone else" not in shared_page
    asked = form_with(shared_page, "family_name", "someone_else")
    assert ("someone_else", str(dzhakishev.id)) in asked.fields and 'name="allow_shared_email"' in shared_page
    saved = submit(client, "/contacts/people/new", asked.data(), ("allow_shared_email", "y"))
    assert saved.status_code == 302 and people_count() == 2


def test_editing_a_person_does_not_warn(client, auth):
    demo_dzhakishev()
    other = make_person("Ablyazov", "Mukhtar", country="KZ")
    auth.login("editor")
    page = client.get(f"/contacts/people/{other.id}/edit").get_data(as_text=True)
    form = form_with(page, "family_name", "version")
    response = submit(client, f"/contacts/people/{other.id}/edit", form.data(family_name="Djakishev"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Person, other.id).family_name == "Djakishev"
