"""Which salutation greets whom, the flag for a missing one, and the admins' editing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.errors import Conflict, InvalidInput
from crm.extensions import db
from crm.salutations.service import SalutationBook, SalutationData, salutation_for, save_salutation
from tests.factories import category_id, make_person


def test_language_and_honorific_pick_the_form():
    assert salutation_for(make_person("Kelam", "Tunne", honorific="Mr", languages=["et", "en"])).missing
    assert salutation_for(make_person("Kelam", "Tunne", honorific="Mr", languages=["en"])).text == "Dear Mr Kelam"
    delvaux = make_person("Delvaux-Stehres", "Mady", honorific="Ms.", languages=["en", "fr"])
    assert salutation_for(delvaux).text == "Dear Ms Delvaux-Stehres"
    assert salutation_for(make_person("Müller", "Hans", honorific="Herr", languages=["de"])).text == (
        "Sehr geehrter Herr Müller"
    )
    nobody = make_person("Ivanova", "Anna", languages=["ru"])  # no honorific recorded
    assert salutation_for(nobody).text == "Здравствуйте, Anna Ivanova"


def test_a_members_form_wins_for_members_of_a_parliament():
    mep = make_person("Schmidt", "Jan", honorific="Mr", languages=["de"], category_id=category_id("MEP"))
    deputy = make_person("Dupont", "Claire", honorific="Mme", languages=["fr"], category_id=category_id("PACE deputy"))
    journalist = make_person("Martin", "Paul", honorific="M.", languages=["fr"], category_id=category_id("Journalist"))
    assert salutation_for(mep).text == "Sehr geehrter Herr Abgeordneter Schmidt"
    assert salutation_for(deputy).text == "Madame la Députée"
    assert salutation_for(journalist).text == "Monsieur"


def test_no_language_means_english_and_a_missing_form_is_flagged_not_guessed():
    assert salutation_for(make_person("Kelam", "Tunne", honorific="Dr")).text == "Dear Dr Kelam"
    professor = salutation_for(make_person("Nowak", "Ewa", honorific="Prof.", languages=["pl"]))
    assert professor.missing and professor.text == ""
    assert (professor.language, professor.honorific, professor.describe) == ("pl", "prof", "pl, prof")


def test_an_admin_adds_a_form_and_it_is_used_and_audited(staff):
    person = make_person("Nowak", "Ewa", honorific="Prof.", languages=["pl"])
    saved = save_salutation(
        SalutationData("Polish", "prof.", "Szanowna Pani Profesor {{ family_name }}"), actor=staff["admin"]
    )
    db.session.commit()
    assert (saved.language, saved.honorific) == ("pl", "prof")
    assert SalutationBook().greeting(person).text == "Szanowna Pani Profesor Nowak"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "salutation"))
    assert entry.action == "create" and entry.actor_id == staff["admin"].id


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Dear {{ nickname }}", "Unknown merge field: {{ nickname }}"),
        ("Dear {{ family_name.__class__ }}", "unsafe"),
        ("Dear {{ family_name ", "cannot be read"),
    ],
)
def test_a_bad_form_is_refused(staff, text, message):
    with pytest.raises(InvalidInput) as refused:
        save_salutation(SalutationData("en", "Sir", text), actor=staff["admin"])
        salutation_for(make_person("Kelam", "Tunne", honorific="Sir"))
    assert message in str(refused.value)


def test_the_same_form_twice_is_a_conflict(staff):
    with pytest.raises(Conflict):
        save_salutation(SalutationData("en", "Mr", "Hello Mr {{ family_name }}"), actor=staff["admin"])


def test_only_admins_reach_the_salutation_pages(client, auth):
    auth.login("editor")
    assert client.get("/admin/salutations/").status_code == 403
    assert client.post("/admin/salutations/new", data={"language": "en", "text": "Hi"}).status_code == 403
    auth.logout()
    auth.login("admin")
    page = client.get("/admin/salutations/")
    assert page.status_code == 200 and "Sehr geehrter Herr Abgeordneter" in page.get_data(as_text=True)
    client.get("/admin/salutations/new")
    answer = client.post(
        "/admin/salutations/new",
        data={"language": "it", "honorific": "Mr", "category_id": "", "text": "Gentile Signor {{ family_name }}"},
    )
    assert answer.status_code == 302
    assert (
        salutation_for(make_person("Rossi", "Mario", honorific="Mr", languages=["it"])).text == "Gentile Signor Rossi"
    )
    refused = client.post("/admin/salutations/new", data={"language": "it", "honorific": "", "text": "{{ x }}"})
    assert refused.status_code == 422 and "Unknown merge field" in refused.get_data(as_text=True)
