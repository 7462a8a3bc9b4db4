import pytest

from crm.audit.service import history
from crm.errors import Conflict, InvalidInput
from crm.extensions import db
from crm.taxonomy import service
from tests.factories import category_id, make_person


def test_defaults_are_added_once(app):
    before = len(service.categories())
    service.ensure_defaults()
    assert len(service.categories()) == before and "PACE deputy" in [c.name for c in service.categories()]
    assert service.type_by_code("political_group").name == "Political group"


def test_rename_a_category_and_records_follow(app, staff):
    person = make_person("Kelam", "Tunne", category_id=category_id("MEP"))
    service.save_item(
        "categories", "Member of the European Parliament", item_id=category_id("MEP"), actor=staff["admin"]
    )
    db.session.commit()
    db.session.refresh(person)
    assert person.category.name == "Member of the European Parliament"
    assert history("categories", person.category_id)[0].changes == {
        "name": ["MEP", "Member of the European Parliament"]
    }


def test_names_are_unique_regardless_of_case(app, staff):
    with pytest.raises(Conflict):
        service.save_item("categories", "mep", actor=staff["admin"])
    with pytest.raises(InvalidInput):
        service.save_item("organisation-types", "   ", actor=staff["admin"])


def test_entries_in_use_cannot_be_deleted(app, staff):
    make_person("Kelam", "Tunne", category_id=category_id("MEP"), tags=["Urgent"])
    with pytest.raises(Conflict) as caught:
        service.delete_item("categories", category_id("MEP"), actor=staff["admin"])
    assert "used by 1 record" in str(caught.value)
    unused = service.save_item("categories", "Rapporteur", actor=staff["admin"])
    service.delete_item("categories", unused.id, actor=staff["admin"])
    db.session.commit()
    assert "Rapporteur" not in [c.name for c in service.categories()]
    assert [e.action for e in history("categories", unused.id)] == ["delete", "create"]


def test_tags_are_case_insensitive(app):
    first = make_person("Kelam", "Tunne", tags=["Dzhakishev case"])
    second = make_person("Paet", "Urmas", tags=["dzhakishev CASE"])
    assert first.tags[0].id == second.tags[0].id


def test_admin_screens(client, auth):
    auth.login("admin")
    assert "PACE deputy" in client.get("/admin/lists/").get_data(as_text=True)
    response = client.post("/admin/lists/categories/new", data={"name": "Rapporteur"})
    assert response.status_code == 302
    assert client.get("/admin/lists/nonsense/new").status_code == 404


def test_outreach_kinds_and_outcomes_are_editable(app, staff):
    letter = service.kind_by_code("letter")
    service.save_item("outreach-kinds", "Letter", item_id=letter.id, reply_after_days=30, actor=staff["admin"])
    assert letter.reply_after_days == 30
    with pytest.raises(InvalidInput):
        service.save_item("outreach-kinds", "Fax", reply_after_days=0, actor=staff["admin"])
    outcome = service.save_item("outcomes", "Promised a visit", effect="committed", actor=staff["admin"])
    assert outcome.effect == "committed"
    with pytest.raises(InvalidInput):
        service.save_item("outcomes", "Shrugged", effect="meh", actor=staff["admin"])
    db.session.commit()
    assert history("outreach-kinds", letter.id)[0].changes == {"reply_after_days": [21, 30]}
