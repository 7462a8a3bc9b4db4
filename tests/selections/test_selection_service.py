"""A user's selection: ticks kept per user and list, "select all that match" on every page, clear."""

from __future__ import annotations

import pytest

from crm.errors import NotFound
from crm.extensions import db
from crm.selections import service as selection
from tests.factories import make_organisation, make_person


@pytest.fixture
def people(app):
    return [make_person(f"Family{n:02d}", "Given", country="EE" if n % 2 else "LV") for n in range(12)]


def test_ticks_are_kept_per_user_and_list(people, staff):
    editor, viewer = staff["editor"].id, staff["viewer"].id
    assert selection.select_items(editor, "people", [people[0].id, people[1].id, people[1].id]) == 2
    assert selection.select_items(editor, "people", [people[1].id, people[2].id]) == 1  # one was ticked already
    assert selection.select_items(viewer, "people", [people[5].id]) == 1
    db.session.commit()
    assert selection.count(editor, "people") == 3
    assert selection.count(viewer, "people") == 1
    assert selection.count(editor, "organisations") == 0
    assert selection.selected_among(editor, "people", [p.id for p in people[:4]]) == {people[i].id for i in range(3)}
    selection.unselect_items(editor, "people", [people[1].id])
    assert selection.count(editor, "people") == 2


def test_select_all_that_match_takes_every_page_of_the_filter(people, staff):
    user = staff["editor"].id
    selection.select_items(user, "people", [people[1].id])  # already ticked, and matching
    assert selection.select_matching(user, "people", {"country": "EE"}) == 5
    assert selection.count(user, "people") == 6
    assert set(selection.selected_in_order(user, "people", 100)) == {p.id for p in people if p.country == "EE"}
    selection.select_matching(user, "people", {"q": "Family03"})  # already in: nothing added
    assert selection.count(user, "people") == 6
    selection.clear(user, "people")
    assert selection.count(user, "people") == 0


def test_ids_that_do_not_exist_are_not_selected(people, staff):
    user = staff["editor"].id
    assert selection.select_items(user, "people", [people[0].id, 999_999]) == 1
    organisation = make_organisation("Kazatomprom")
    assert selection.select_items(user, "organisations", [organisation.id]) == 1
    assert selection.count(user, "organisations") == 1


def test_an_unknown_list_is_not_found(app, staff):
    with pytest.raises(NotFound):
        selection.select_items(staff["editor"].id, "users", [1])
