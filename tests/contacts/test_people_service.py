"""Person services, called without HTTP."""

import pytest
from sqlalchemy import func, select

from crm.audit.models import AuditEntry
from crm.audit.service import history
from crm.contacts.data import AddressData, EmailData, PersonData, PhoneData
from crm.contacts.models import EmailAddress, Person
from crm.contacts.people import SharedEmail, create_person, get_person, set_archived, update_person
from crm.errors import EditConflict, InvalidInput
from crm.extensions import db
from crm.taxonomy.models import Tag
from tests.factories import category_id, make_person


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_create_normalises_and_audits(app, staff):
    data = PersonData(
        family_name="  Zdechovský ",
        given_name="Tomáš",
        country="Czech Republic",
        languages=["cs", "English"],
        category_id=category_id("MEP"),
        tags=["MEP", "mep", " Urgent "],
        emails=[EmailData(" Tomas.Zdechovsky@EXAMPLE.org ", "office"), EmailData("t.z@example.org", "private", True)],
        phones=[PhoneData("+32 2 284 57 41", "Brussels")],
        addresses=[AddressData("Rue Wiertz 60", "1047", "Brussels", "BE")],
    )
    person = create_person(data, actor=staff["editor"])
    db.session.commit()

    person = get_person(person.id)
    assert person.family_name == "Zdechovský"
    assert person.country == "CZ"
    assert person.languages == "cs,en"
    assert [t.name for t in person.tags] == ["MEP", "Urgent"]
    assert [e.address for e in person.emails] == ["tomas.zdechovsky@example.org", "t.z@example.org"]
    assert person.primary_email == "t.z@example.org"  # the one marked primary, only one
    assert sum(e.is_primary for e in person.emails) == 1
    assert person.phones[0].is_primary and person.addresses[0].is_primary
    assert person.created_by_id == staff["editor"].id
    [entry] = history("person", person.id)
    assert entry.action == "create" and entry.actor_id == staff["editor"].id
    assert entry.changes["family_name"] == [None, "Zdechovský"]
    assert "patronymic" not in entry.changes  # blank fields are not noise in the log


def test_every_bad_field_is_named_and_nothing_is_saved(app, staff):
    data = PersonData(
        family_name="Kelam",
        country="Narnia",
        languages=["Elvish"],
        lawful_basis="because",
        tags=["new-tag"],
        emails=[EmailData("tunne.kelam@example.org"), EmailData("not-an-email")],
        phones=[PhoneData("call me")],
    )
    with pytest.raises(InvalidInput) as caught:
        create_person(data, actor=staff["editor"])
    db.session.rollback()
    errors = caught.value.errors
    assert "Narnia" in errors["country"][0]
    assert "Elvish" in errors["languages"][0]
    assert "lawful_basis" in errors
    assert "not-an-email" in errors["emails-1-address"][0]
    assert "phones-0-number" in errors
    assert _count(Person) == 0 and _count(EmailAddress) == 0 and _count(Tag) == 0


def test_a_name_is_required(app):
    with pytest.raises(InvalidInput) as caught:
        create_person(PersonData(family_name=" ", given_name="Mukhtar"), actor=None)
    assert "family_name" in caught.value.errors


def test_native_script_name_alone_is_enough(app):
    person = create_person(PersonData(family_name="", native_name="Мухтар Джакишев"), actor=None)
    assert person.id and person.native_name == "Мухтар Джакишев"


def test_second_person_with_same_email_is_flagged_not_accepted(app, staff):
    first = make_person("Paet", "Urmas", emails=("urmas.paet@example.org",))
    with pytest.raises(SharedEmail) as caught:
        create_person(
            PersonData(family_name="Paet", given_name="U.", emails=[EmailData("URMAS.PAET@example.org")]), actor=None
        )
    db.session.rollback()
    assert caught.value.owners["urmas.paet@example.org"][0].id == first.id
    assert _count(Person) == 1
    # Confirmed by the user: a shared office address is allowed on purpose.
    create_person(
        PersonData(family_name="Assistant", emails=[EmailData("urmas.paet@example.org")]),
        actor=None,
        allow_shared_email=True,
    )
    db.session.commit()
    assert _count(Person) == 2


def test_same_email_twice_on_one_person_is_refused(app):
    with pytest.raises(InvalidInput) as caught:
        create_person(
            PersonData(family_name="Ward", emails=[EmailData("a@example.org"), EmailData("A@example.org ")]), actor=None
        )
    assert "twice" in caught.value.errors["emails-1-address"][0]


def test_update_records_field_by_field_changes(app, staff):
    person = make_person("Gomes", "Ana", emails=("ana@example.org",), country="PT")
    data = PersonData(
        family_name="Gomes", given_name="Ana Maria", country="PT", emails=[EmailData("ana.gomes@example.org")]
    )
    update_person(person, data, actor=staff["editor"], expected_version=person.version)
    db.session.commit()

    [latest, created] = history("person", person.id)
    assert latest.action == "update" and latest.actor_id == staff["editor"].id
    assert latest.changes == {
        "given_name": ["Ana", "Ana Maria"],
        "emails": [["ana@example.org"], ["ana.gomes@example.org"]],
    }
    assert latest.version == get_person(person.id).version


def test_saving_unchanged_data_writes_nothing(app, staff):
    person = make_person("Ward", "Julie", country="GB")
    version = person.version
    update_person(
        person,
        PersonData(family_name="Ward", given_name="Julie", country="GB"),
        actor=staff["editor"],
        expected_version=version,
    )
    db.session.commit()
    assert get_person(person.id).version == version
    assert len(history("person", person.id)) == 1


def test_stale_version_is_a_conflict_not_an_overwrite(app, staff):
    person = make_person("Vautmans", "Hilde", country="BE")
    opened_at = person.version
    update_person(
        person,
        PersonData(family_name="Vautmans", given_name="Hilde", country="BE", notes="Met in Strasbourg"),
        actor=staff["admin"],
        expected_version=opened_at,
    )
    db.session.commit()

    with pytest.raises(EditConflict) as caught:
        update_person(
            person,
            PersonData(family_name="Vautmans", given_name="H."),
            actor=staff["editor"],
            expected_version=opened_at,
        )
    db.session.rollback()
    assert caught.value.expected_version == opened_at
    person = get_person(person.id)
    assert person.given_name == "Hilde" and person.notes == "Met in Strasbourg"
    [change] = history("person", person.id, since_version=opened_at)
    assert change.changes == {"notes": ["", "Met in Strasbourg"]}


def test_archive_and_restore_are_audited(app, staff):
    person = make_person("Staes", "Bart")
    set_archived(person, True, actor=staff["editor"])
    db.session.commit()
    assert get_person(person.id).archived
    set_archived(person, False, actor=staff["editor"])
    db.session.commit()
    actions = [e.action for e in history("person", person.id)]
    assert actions == ["restore", "archive", "create"]
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "archive")) == 1
