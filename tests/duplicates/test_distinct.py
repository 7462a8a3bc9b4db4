"""Two people marked as different people are not offered as duplicates again, until the marking is undone."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from crm.audit.service import history
from crm.duplicates.distinct import distinct_pairs, mark_distinct, unmark_distinct
from crm.duplicates.finder import find_duplicates
from crm.duplicates.models import DistinctPair
from crm.errors import InvalidInput, NotFound
from crm.extensions import db
from crm.imports.pipeline import ImportOptions, run_import
from crm.imports.runs import get_run
from crm.imports.undo import undo_import
from tests.duplicates.test_scan import _pairs_of_namesakes, big  # noqa: F401  (a fixture)
from tests.factories import make_person
from tests.imports.test_pipeline import workbook


def _found() -> set[tuple[int, int]]:
    return {(pair.a_id, pair.b_id) for pair in find_duplicates(db.session)}


def test_a_pair_marked_as_different_people_is_left_out_until_the_marking_is_undone(app, staff):
    first, second, third, fourth = _pairs_of_namesakes()
    assert _found() == {(first.id, second.id), (third.id, fourth.id)}

    assert mark_distinct(second.id, first.id, actor=staff["editor"]) is True  # either order
    assert mark_distinct(first.id, second.id, actor=staff["editor"]) is False  # once is enough
    db.session.commit()
    assert _found() == {(third.id, fourth.id)}
    assert distinct_pairs(db.session) == {(first.id, second.id)}
    assert distinct_pairs(db.session, {third.id}) == set()

    assert unmark_distinct(first.id, second.id, actor=staff["admin"]) is True
    assert unmark_distinct(first.id, second.id, actor=staff["admin"]) is False
    db.session.commit()
    assert _found() == {(first.id, second.id), (third.id, fourth.id)}

    actions = [(entry.action, entry.changes, entry.actor_id) for entry in history("person", first.id)]
    assert ("marked distinct", {"not the same as": [None, f"#{second.id} Mukhtar Djakishev"]}, staff["editor"].id) in (
        actions
    )
    assert ("unmarked distinct", {"not the same as": [f"#{second.id} Mukhtar Djakishev", None]}, staff["admin"].id) in (
        actions
    )
    assert any(entry.action == "marked distinct" for entry in history("person", second.id))


def test_bad_pairs_are_refused_and_write_nothing(app):
    person = make_person("Dzhakishev", "Mukhtar")
    with pytest.raises(InvalidInput, match="different from themselves"):
        mark_distinct(person.id, person.id, actor=None)
    with pytest.raises(NotFound):
        mark_distinct(person.id, person.id + 1000, actor=None)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(DistinctPair)) == 0


def test_the_cli_leaves_marked_pairs_out(app, runner):
    first, second, third, fourth = _pairs_of_namesakes()
    mark_distinct(third.id, fourth.id, actor=None)
    db.session.commit()

    result = runner.invoke(args=["crm", "duplicates", "--json"])

    assert result.exit_code == 0
    assert [(pair["a"], pair["b"]) for pair in json.loads(result.output)] == [(first.id, second.id)]


def test_the_kept_background_list_leaves_out_pairs_marked_since(big, client, auth):  # noqa: F811
    first, second, third, fourth = _pairs_of_namesakes()
    auth.login("editor")
    client.get("/duplicates/")
    mark_distinct(first.id, second.id, actor=None)
    db.session.commit()

    page = client.get("/duplicates/").get_data(as_text=True)

    assert f'/contacts/people/{fourth.id}"' in page and f'/contacts/people/{second.id}"' not in page


def test_an_editor_marks_a_pair_from_the_list_and_undoes_it(app, client, auth, staff, database_dir):
    first, second, *_ = _pairs_of_namesakes()
    auth.login("editor")
    page = client.get("/duplicates/").get_data(as_text=True)
    assert "Not the same person" in page

    marked = client.post("/duplicates/different", data={"a": first.id, "b": second.id}, follow_redirects=True)
    listing = client.get("/duplicates/different").get_data(as_text=True)
    undone = client.post("/duplicates/different/undo", data={"a": first.id, "b": second.id}, follow_redirects=True)

    assert "are marked as different people" in marked.get_data(as_text=True)
    assert f'/contacts/people/{second.id}"' not in marked.get_data(as_text=True).split("</h1>")[1]
    assert "Mukhtar Djakishev" in listing and staff["editor"].name in listing
    assert "may be offered as duplicates again" in undone.get_data(as_text=True)
    assert distinct_pairs(db.session) == set()


def test_viewers_see_the_marked_pairs_but_may_not_mark_or_undo(app, client, auth):
    first, second, *_ = _pairs_of_namesakes()
    mark_distinct(first.id, second.id, actor=None)
    db.session.commit()
    auth.login("viewer")

    assert "Not the same person" not in client.get("/duplicates/").get_data(as_text=True)
    listing = client.get("/duplicates/different").get_data(as_text=True)
    assert "Mukhtar Djakishev" in listing and ">Undo<" not in listing
    assert client.post("/duplicates/different", data={"a": first.id, "b": second.id}).status_code == 403
    assert client.post("/duplicates/different/undo", data={"a": first.id, "b": second.id}).status_code == 403
    assert distinct_pairs(db.session) == {(first.id, second.id)}


def test_an_unknown_person_gets_a_clear_message(app, client, auth):
    person = make_person("Dzhakishev", "Mukhtar")
    auth.login("editor")

    page = client.post(
        "/duplicates/different", data={"a": person.id, "b": person.id + 99}, follow_redirects=True
    ).get_data(as_text=True)

    assert f"There is no person with id {person.id + 99}." in page
    assert distinct_pairs(db.session) == set()


def test_undoing_an_import_drops_the_markings_of_the_people_it_removes(app, tmp_path):
    here = make_person("Tumenova", "Bakhyt", country="KZ")
    rows = [["Behrendt", "Marc", "marc.behrendt@freedomhouse.org", "US", None, "Freedom House", "ngo"]]
    result = run_import(workbook(tmp_path, rows), ImportOptions(), actor=None)
    created = result.rows[0].id
    mark_distinct(here.id, created, actor=None)
    db.session.commit()

    undo_import(get_run(result.run_id), actor=None)
    db.session.commit()

    assert distinct_pairs(db.session) == set()
