"""Whom an import run updated, for the people list its result page links to (contacts.search asks)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select

from crm.contacts.models import Person
from crm.contacts.search import import_run_people
from crm.imports.models import ImportChange


def updated_people(run_id: int) -> ColumnElement[bool]:
    """People the run changed (an undo record each); those it created carry its id themselves."""
    changed = select(ImportChange.entity_id).where(ImportChange.run_id == run_id, ImportChange.entity_type == "person")
    return Person.id.in_(changed)


def init_app() -> None:
    import_run_people.connect(updated_people)  # once per process: connecting the same function again is a no-op
