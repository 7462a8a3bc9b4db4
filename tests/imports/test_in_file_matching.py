"""A row is matched against the rows before it exactly as against the database (issue 12, fix 5)."""

from __future__ import annotations

from sqlalchemy import select

from crm.contacts.models import Person
from crm.extensions import db
from crm.imports.matching import Matcher
from crm.imports.pipeline import ImportOptions, run_import
from tests.factories import make_person
from tests.imports.test_pipeline import workbook


def row(family: str, given: str, **values) -> dict:
    return {"family_name": family, "given_name": given, **values}


DZHAKISHEV = row("Dzhakishev", "Mukhtar", country="KZ", organisation="Kazatomprom")
DJAKISHEV = row("Djakishev", "Mukhtar", country="KZ", organisation="Kazatomprom")
CYRILLIC = row("Джакишев", "Мухтар", native_name="Мухтар Джакишев", country="KZ", organisation="Kazatomprom")


def matcher_with(*rows: dict) -> Matcher:
    """A matcher that has created `rows` as rows 2, 3, … of the file ("create anyway": they may be alike)."""
    matcher = Matcher.load()
    for number, values in enumerate(rows, start=2):
        assert matcher.decide(values, number, "create").action == "create"
        matcher.remember(values, number)
    return matcher


def test_a_certain_earlier_row_is_filled_or_updated_as_requested(app):
    matcher = matcher_with(DZHAKISHEV)
    for action in ("fill", "update"):
        decision = matcher.decide(DJAKISHEV, 3, action)
        assert (decision.action, decision.person, decision.earlier_row) == (action, None, 2)
        assert [(c.person_id, c.row_number) for c in decision.candidates] == [(None, 2)]
    skipped = matcher.decide(CYRILLIC, 3, "skip")
    assert skipped.action == "skip" and "row 2" in skipped.reason
    assert matcher.decide(CYRILLIC, 3, "create").action == "create"


def test_a_likely_earlier_row_is_held_back_naming_it_unless_a_person_chose(app):
    matcher = matcher_with(row("Dzhakishev", "Mukhtar", country="KZ"))
    later = row("Djakishev", "Mukhtar", country="KZ")  # the same name, nothing to back it: likely, not certain
    held = matcher.decide(later, 3, "fill")
    assert held.action == "skip" and held.earlier_row is None
    assert [(c.row_number, c.name) for c in held.candidates] == [(2, "Mukhtar Dzhakishev")]
    assert "row 2" in held.reason and "Mukhtar Dzhakishev" in held.reason
    chosen = matcher.decide(later, 3, "fill", chosen=True)
    assert (chosen.action, chosen.earlier_row) == ("fill", 2)


def test_several_earlier_rows_or_a_row_and_a_person_are_never_guessed_between(app):
    matcher = matcher_with(row("Dzhakishev", "Mukhtar", country="KZ"), row("Djakishev", "Mukhtar", country="KZ"))
    ambiguous = matcher.decide(row("Dschakischew", "Muchtar", country="KZ"), 4, "fill")
    assert ambiguous.action == "skip" and ambiguous.earlier_row is None
    assert {c.row_number for c in ambiguous.candidates} == {2, 3}
    assert "row 2" in ambiguous.reason and "row 3" in ambiguous.reason

    person = make_person("Tumenova", "Bakhyt", country="KZ")
    matcher = Matcher.load()
    # Created anyway (a person's choice): row 2 is now someone else than the person here.
    assert matcher.decide(row("Tumenova", "Bakhyt", country="KZ"), 2, "create").action == "create"
    matcher.remember(row("Tumenova", "Bakhyt", country="KZ"), 2)
    both = matcher.decide(row("Toumenova", "Bakhyt", country="KZ"), 3, "fill")
    assert both.action == "skip" and both.person is None and both.earlier_row is None
    assert {(c.person_id, c.row_number) for c in both.candidates} == {(person.id, None), (None, 2)}
    assert f"#{person.id}" in both.reason and "row 2" in both.reason


def test_a_filled_row_is_found_by_what_the_later_row_added(app):
    matcher = matcher_with(DZHAKISHEV)
    later = dict(CYRILLIC, email=["mukhtar@kazatomprom.kz"])
    assert matcher.decide(later, 3, "fill").earlier_row == 2
    matcher.remember_more(2, later, 3)
    # Only the email says this is him: the name alone, with no country or organisation, is not enough.
    fourth = row("Dzhakishev", "Mukhtar", email=["mukhtar@kazatomprom.kz"])
    decision = matcher.decide(fourth, 4, "fill")
    assert (decision.action, decision.earlier_row) == ("fill", 2)
    assert [c.row_number for c in decision.candidates] == [2]  # row 2 indexed twice is one candidate
    assert "same email mukhtar@kazatomprom.kz" in decision.candidates[0].reasons


def test_one_file_spelling_one_person_three_ways_gives_one_person_with_the_cyrillic_name(app, tmp_path):
    """End to end: needs the pipeline to act on Decision.earlier_row (Writer.fill_earlier)."""
    path = workbook(
        tmp_path,
        [
            ["Dzhakishev", "Mukhtar", None, "KZ", None, "Kazatomprom", None],
            ["Djakishev", "Mukhtar", None, "KZ", None, "Kazatomprom", None],
            ["Джакишев", "Мухтар", "mukhtar@kazatomprom.kz", "KZ", None, "Kazatomprom", None],
        ],
    )
    result = run_import(path, ImportOptions(), actor=None)
    [person] = db.session.scalars(select(Person)).all()
    assert result.counts["created"] == 1
    assert (person.family_name, person.native_name) == ("Dzhakishev", "Мухтар Джакишев")
    assert person.primary_email == "mukhtar@kazatomprom.kz"
    assert result.rows[2].status == "updated" and result.rows[2].id == person.id
