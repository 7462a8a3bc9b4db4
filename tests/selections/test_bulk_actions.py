"""Tag, untag and archive a selection as one audited operation; undo reverts exactly what it changed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm.audit import service as audit
from crm.contacts.models import Organisation, Person
from crm.errors import Conflict, InvalidInput
from crm.extensions import db
from crm.selections import bulk
from crm.selections import service as selection
from crm.taxonomy.models import Tag
from tests.factories import make_organisation, make_person


@pytest.fixture
def people(app):
    return [make_person(f"Family{n:02d}", "Given", tags=["Urgent"] if n < 2 else []) for n in range(6)]


def _tags(person_id: int) -> list[str]:
    return [tag.name for tag in db.session.get(Person, person_id).tags]


def _version(person_id: int) -> int:
    return db.session.scalar(select(Person.version).where(Person.id == person_id))


def test_tagging_a_selection_changes_only_those_without_the_tag_and_undo_takes_back_only_those(people, staff):
    editor = staff["editor"]
    ids = [p.id for p in people]
    selection.select_items(editor.id, "people", ids[:4])  # two of them have the tag already
    versions = {i: _version(i) for i in ids}
    action = bulk.tag_selection(editor, "people", "urgent")  # the existing tag, whatever its case
    db.session.commit()
    assert (action.selected, action.changed, action.tag_name) == (4, 2, "Urgent")
    assert bulk.describe(action) == "Tagged 2 people “Urgent”"
    assert [bool(_tags(i)) for i in ids] == [True, True, True, True, False, False]
    # Those it changed have a new version (an edit form opened before now conflicts); the others do not.
    assert [_version(i) - versions[i] for i in ids] == [0, 0, 1, 1, 0, 0]
    [entry] = audit.history("bulk_action", action.id)
    assert (entry.action, entry.actor_id, entry.changes["changed"], entry.changes["tag"]) == (
        "tag",
        editor.id,
        [None, 2],
        [None, "Urgent"],
    )

    assert bulk.undo(action, actor=editor) == 2
    db.session.commit()
    # The two who had "Urgent" before keep it.
    assert [bool(_tags(i)) for i in ids] == [True, True, False, False, False, False]
    assert [e.action for e in audit.history("bulk_action", action.id)] == ["undo", "tag"]
    with pytest.raises(Conflict):
        bulk.undo(action, actor=editor)


def test_a_new_tag_is_created_for_the_whole_selection(people, staff):
    editor = staff["editor"]
    selection.select_matching(editor.id, "people", {})
    action = bulk.tag_selection(editor, "people", "  Letter   sent 2026 ")
    db.session.commit()
    assert action.changed == 6
    assert all("Letter sent 2026" in _tags(p.id) for p in people)
    assert db.session.scalar(select(Tag.name).where(Tag.key == "letter sent 2026")) == "Letter sent 2026"


def test_untag_then_undo_puts_the_tag_back_on_exactly_those_who_had_it(people, staff):
    editor = staff["editor"]
    selection.select_items(editor.id, "people", [p.id for p in people])
    urgent = db.session.scalar(select(Tag.id).where(Tag.key == "urgent"))
    assert bulk.tags_in_selection(editor, "people") == [(urgent, "Urgent", 2)]
    action = bulk.untag_selection(editor, "people", urgent)
    db.session.commit()
    assert (action.selected, action.changed) == (6, 2)
    assert not any(_tags(p.id) for p in people)
    assert bulk.undo(action, actor=editor) == 2
    db.session.commit()
    assert [bool(_tags(p.id)) for p in people] == [True, True, False, False, False, False]


def test_archive_then_undo_restores_only_those_it_archived(people, staff):
    editor = staff["editor"]
    already = people[5]
    db.session.execute(Person.__table__.update().where(Person.__table__.c.id == already.id).values(archived=True))
    selection.select_items(editor.id, "people", [p.id for p in people[3:]])
    action = bulk.archive_selection(editor, "people")
    db.session.commit()
    assert (action.selected, action.changed) == (3, 2)
    archived = lambda: [db.session.get(Person, p.id).archived for p in people]  # noqa: E731
    assert archived() == [False, False, False, True, True, True]
    # Someone restores one of them by hand meanwhile: the undo leaves them alone and counts one.
    db.session.get(Person, people[3].id).archived = False
    db.session.commit()
    assert bulk.undo(action, actor=editor) == 1
    db.session.commit()
    assert archived() == [False, False, False, False, False, True]


def test_organisations_are_tagged_and_archived_too(app, staff):
    editor = staff["editor"]
    organisations = [make_organisation(name) for name in ("Kazatomprom", "Open Dialog", "Amnesty")]
    selection.select_items(editor.id, "organisations", [o.id for o in organisations[:2]])
    tagged = bulk.tag_selection(editor, "organisations", "Partners")
    archived = bulk.archive_selection(editor, "organisations")
    db.session.commit()
    assert (tagged.changed, archived.changed) == (2, 2)
    assert [[t.name for t in db.session.get(Organisation, o.id).tags] for o in organisations] == [
        ["Partners"],
        ["Partners"],
        [],
    ]
    assert [db.session.get(Organisation, o.id).archived for o in organisations] == [True, True, False]


def test_nothing_selected_or_nothing_to_tag_is_refused(people, staff):
    editor = staff["editor"]
    with pytest.raises(InvalidInput):
        bulk.tag_selection(editor, "people", "Urgent")
    selection.select_items(editor.id, "people", [people[0].id])
    with pytest.raises(InvalidInput):
        bulk.tag_selection(editor, "people", "   ")
    with pytest.raises(InvalidInput):
        bulk.archive_selection(editor, "outreach")


def test_undo_after_the_tag_was_deleted_says_so(people, staff):
    editor = staff["editor"]
    selection.select_items(editor.id, "people", [people[4].id])
    action = bulk.tag_selection(editor, "people", "Short-lived")
    db.session.commit()
    db.session.delete(db.session.get(Tag, action.tag_id))
    db.session.commit()
    db.session.refresh(action)
    with pytest.raises(Conflict, match="deleted"):
        bulk.undo(action, actor=editor)
