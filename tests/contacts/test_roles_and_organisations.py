from datetime import date, timedelta

import pytest

from crm.audit.service import history
from crm.contacts.data import OrganisationData, RoleData
from crm.contacts.organisations import get_organisation, members, set_archived, update_organisation
from crm.contacts.people import get_person
from crm.contacts.roles import add_role, delete_role, end_role
from crm.contacts.search import PeopleFilter, search_people
from crm.errors import EditConflict, InvalidInput
from crm.extensions import db
from tests.factories import make_organisation, make_person, make_role


def test_end_date_before_start_is_refused(app):
    person, pace = make_person("Kelam", "Tunne"), make_organisation("PACE")
    with pytest.raises(InvalidInput) as caught:
        add_role(person, RoleData(pace.id, "Member", date(2019, 7, 1), date(2014, 7, 1)), actor=None)
    assert "before the start date" in caught.value.errors["ends_on"][0]


def test_role_needs_an_existing_active_organisation(app):
    person = make_person("Kelam", "Tunne")
    with pytest.raises(InvalidInput):
        add_role(person, RoleData(9999, "Member"), actor=None)
    closed = make_organisation("Old committee")
    set_archived(closed, True, actor=None)
    with pytest.raises(InvalidInput) as caught:
        add_role(person, RoleData(closed.id, "Member"), actor=None)
    assert "archived" in caught.value.errors["organisation_id"][0]


def test_history_survives_when_a_deputy_leaves(app, staff):
    deputy, pace = (
        make_person("Štětina", "Jaromír"),
        make_organisation("Parliamentary Assembly of the Council of Europe", short_name="PACE"),
    )
    role = make_role(deputy, pace, "Member of the Czech delegation", date(2016, 1, 25))
    end_role(deputy, role, date(2018, 1, 21), actor=staff["editor"])
    db.session.commit()

    deputy = get_person(deputy.id)
    assert deputy.current_roles == [] and [r.title for r in deputy.past_roles] == ["Member of the Czech delegation"]
    current, past = members(get_organisation(pace.id))
    assert current == [] and [r.person.family_name for r in past] == ["Štětina"]
    entry = history("person", deputy.id)[0]
    assert entry.action == "edit role" and "2018-01-21" in entry.changes["role"][1]


def test_a_role_ending_today_is_still_current(app):
    person, org = make_person("Ward", "Julie"), make_organisation("S&D")
    make_role(person, org, "Member", date(2014, 7, 1), date.today())
    make_role(person, make_organisation("Old group"), "Member", date(2009, 7, 1), date.today() - timedelta(days=1))
    person = get_person(person.id)
    assert [r.organisation.name for r in person.current_roles] == ["S&D"]
    assert [r.organisation.name for r in person.past_roles] == ["Old group"]


def test_role_changes_keep_the_person_editable(app):
    # A colleague adding a role must not turn someone's open edit form into a conflict.
    person, org = make_person("Scholz", "Helmut"), make_organisation("GUE/NGL")
    version = person.version
    role = make_role(person, org)
    delete_role(person, role, actor=None)
    db.session.commit()
    assert get_person(person.id).version == version
    assert [e.action for e in history("person", person.id)][:2] == ["delete role", "add role"]


def test_people_are_found_by_their_organisation_and_follow_its_renames(app):
    person, org = make_person("Behrendt", "Marc"), make_organisation("Freedom House")
    make_role(person, org, "Director for Europe and Eurasia programs")
    assert [p.id for p in search_people(PeopleFilter(q="freedom house")).items] == [person.id]

    data = OrganisationData(name="Freedom House Europe", short_name="FH")
    update_organisation(org, data, actor=None, expected_version=org.version)
    db.session.commit()
    assert [p.id for p in search_people(PeopleFilter(q="FH")).items] == [person.id]
    assert history("organisation", org.id)[0].changes["name"] == ["Freedom House", "Freedom House Europe"]


def test_organisation_validation(app):
    parent = make_organisation("Council of Europe")
    child = make_organisation("PACE", parent_id=parent.id)
    with pytest.raises(InvalidInput) as caught:
        update_organisation(
            parent,
            OrganisationData(name="Council of Europe", parent_id=child.id, country="Atlantis", website="ftp://coe.int"),
            actor=None,
            expected_version=parent.version,
        )
    errors = caught.value.errors
    assert "itself" in errors["parent_id"][0] and "Atlantis" in errors["country"][0] and "website" in errors


def test_organisation_stale_edit_is_a_conflict(app):
    org = make_organisation("Human Rights Watch")
    opened = org.version
    update_organisation(
        org, OrganisationData(name="Human Rights Watch", short_name="HRW"), actor=None, expected_version=opened
    )
    db.session.commit()
    with pytest.raises(EditConflict):
        update_organisation(org, OrganisationData(name="HRW"), actor=None, expected_version=opened)
