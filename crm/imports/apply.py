"""Stage 7: write a row — create a person, update one, or leave it — and remember how to undo it.

New people are the bulk of a big file, so they are buffered and written with a few
multi-row INSERTs per chunk (person, emails, phones, addresses, tags, roles, external ids)
rather than through the ORM one object at a time. Updates are rarer and go through the
contact services, which keep the audit trail, the version and the search columns right.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select, text

from crm.audit import service as audit
from crm.auth.models import User
from crm.contacts import people
from crm.contacts.models import EmailAddress, ExternalId, Person, PhoneNumber, PostalAddress, Role
from crm.extensions import db
from crm.folding import plain_fold, search_document, sort_key
from crm.imports.affiliations import Affiliations, RoleSpec
from crm.imports.bulk import insert_many
from crm.imports.matching import external_id
from crm.imports.models import ImportChange
from crm.imports.person_values import data_as_json, merge, new_person_data, person_data_of
from crm.imports.results import Problem
from crm.taxonomy.models import Category, Tag, person_tag
from crm.timeutil import today, utcnow

CHUNK = 2000


@dataclass(slots=True)
class _NewPerson:
    result: Any  # RowResult, filled with the id once written
    values: dict[str, Any]
    category_id: int | None
    roles: list[RoleSpec]
    data: Any = None  # PersonData, built when the chunk is written


class UnknownCategory(ValueError):
    pass


class Writer:
    def __init__(self, *, run_id: int | None, actor: User | None, role_source: str, external_scheme: str) -> None:
        self.run_id = run_id
        self.actor = actor
        self.actor_id = actor.id if actor else None
        self.role_source = role_source
        self.external_scheme = external_scheme
        self.affiliations = Affiliations(run_id=run_id, actor_id=self.actor_id)
        self._changes: dict[int, ImportChange] = {}  # one undo record per person, however often the file names them
        self._external = {
            (scheme, value) for scheme, value in db.session.execute(select(ExternalId.scheme, ExternalId.value))
        }
        # A refresh of an official list ends the roles it no longer names: the (person,
        # organisation) pairs it names, and the people whose row was skipped, keep theirs.
        self.listed: set[tuple[int, int]] = set()
        self.skipped: set[int] = set()
        self._pending: list[_NewPerson] = []
        self._categories: dict[str, int] = {}
        for category_id, name, code in db.session.execute(select(Category.id, Category.name, Category.code)):
            self._categories[plain_fold(name)] = category_id
            if code:
                self._categories[plain_fold(code)] = category_id
        self._tags = {key: tag_id for tag_id, key in db.session.execute(select(Tag.id, Tag.key))}
        self._names = dict(db.session.execute(select(Category.id, Category.name)).all())

    def category_id(self, name: str | None) -> int | None:
        if not name:
            return None
        found = self._categories.get(plain_fold(name))
        if found is None:
            known = ", ".join(sorted(self._names.values()))
            raise UnknownCategory(f"“{name}” is not a category here (an admin can add it); categories are: {known}.")
        return found

    # -- creating -------------------------------------------------------------------------

    def create(self, result: Any, values: dict[str, Any], category_id: int | None) -> None:
        roles = self.affiliations.roles_for(values)
        self._pending.append(_NewPerson(result, values, category_id, roles))
        if len(self._pending) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        now = utcnow()
        ids = _allocate_person_ids(len(pending))
        person_rows = [
            self._person_row(item, now) | {"id": person_id} for item, person_id in zip(pending, ids, strict=True)
        ]
        insert_many(Person.__table__, person_rows)
        emails, phones, addresses, tags, roles, external = [], [], [], [], [], []
        for item, person_id in zip(pending, ids, strict=True):
            item.result.id = person_id
            values = item.values
            for position, email in enumerate(item.data.emails):  # deduplicated by merge(), as for updates
                emails.append(_point(person_id, position, address=email.address))
            for position, phone in enumerate(item.data.phones):
                phones.append(_point(person_id, position, number=phone.number, label=phone.label))
            if any(values.get(key) for key in ("street", "postcode", "city")):
                addresses.append(
                    _point(
                        person_id,
                        0,
                        street=(values.get("street") or "")[:300],
                        postcode=(values.get("postcode") or "")[:20],
                        city=(values.get("city") or "")[:100],
                        country=values.get("country"),
                    )
                )
            tags += [{"person_id": person_id, "tag_id": tag_id} for tag_id in self._tag_ids(values.get("tags"))]
            roles += [self._role_row(person_id, spec) for spec in item.roles]
            self._note_listed(person_id, item.roles)
            if found := external_id(values, self.external_scheme):
                if found in self._external:  # someone else has it: "create anyway" must not steal it
                    item.result.warnings = [
                        *item.result.warnings,
                        Problem("", f"The id {found[0]}:{found[1]} belongs to someone else here."),
                    ]
                else:
                    self._external.add(found)
                    external.append({"person_id": person_id, "scheme": found[0], "value": found[1][:100]})
        for model, rows in (
            (EmailAddress, emails),
            (PhoneNumber, phones),
            (PostalAddress, addresses),
            (Role, roles),
            (ExternalId, external),
        ):
            insert_many(model.__table__, rows)
        insert_many(person_tag, tags)

    def _person_row(self, item: _NewPerson, now) -> dict[str, Any]:
        data = item.data = new_person_data(item.values, item.category_id)
        emails = [e.address for e in data.emails]
        return {
            "honorific": data.honorific[:40],
            "given_name": data.given_name[:100],
            "family_name": data.family_name[:100],
            "patronymic": data.patronymic[:100],
            "native_name": data.native_name[:200],
            "country": data.country,
            "languages": ",".join(data.languages),
            "category_id": data.category_id,
            "notes": data.notes,
            "source": data.source[:200],
            "lawful_basis": data.lawful_basis,
            "version": 1,
            "created_at": now,
            "updated_at": now,
            "created_by_id": self.actor_id,
            "updated_by_id": self.actor_id,
            "archived": False,
            "import_run_id": self.run_id,
            "search_text": search_document(
                data.given_name,
                data.patronymic,
                data.family_name,
                data.native_name,
                *emails,
                *(spec.organisation_name for spec in item.roles),
            ),
            "sort_key": sort_key(data.family_name or data.native_name, data.given_name, data.patronymic),
        }

    def _role_row(self, person_id: int, spec: RoleSpec) -> dict[str, Any]:
        return {
            "person_id": person_id,
            "organisation_id": spec.organisation_id,
            "title": spec.title,
            "starts_on": spec.starts_on,
            "ends_on": spec.ends_on,
            "note": "",
            "source": self.role_source,
            "import_run_id": self.run_id,
        }

    def _tag_ids(self, names: list[str] | None) -> list[int]:
        ids: list[int] = []
        for name in names or []:
            key = name.casefold()[:60]
            if key not in self._tags:
                self._tags[key] = db.session.execute(
                    insert(Tag.__table__).values(name=name[:60], key=key).returning(Tag.__table__.c.id)
                ).scalar_one()
            if self._tags[key] not in ids:
                ids.append(self._tags[key])
        return ids

    # -- updating -------------------------------------------------------------------------

    def update(self, person: Person, values: dict[str, Any], category_id: int | None, *, mode: str) -> dict:
        """Fill or update `person` from the row; returns the audited changes ({} when nothing changed)."""
        before = person_data_of(person)
        data = person_data_of(person)
        merge(data, values, category_id, mode=mode)
        snapshot_before = people.snapshot(person)
        version_before = person.version
        changes: dict = {}
        if data != before:
            people.update_person(
                person, data, actor=self.actor, expected_version=person.version, allow_shared_email=True
            )
            changes = audit.diff(snapshot_before, people.snapshot(person))
        added = self._add_roles(person, self.affiliations.roles_for(values))
        if added:
            changes["roles"] = [None, added]
            people.reindex(person)
        if (found := external_id(values, self.external_scheme)) and self._add_external_id(person, *found):
            changes["external_id"] = [None, ":".join(found)]
        if changes and person.version != version_before and self.run_id is not None:  # a dry run keeps no trail
            change = self._changes.get(person.id)
            if change is None:  # the state before the file's first row about them is what undo restores
                change = self._changes[person.id] = ImportChange(
                    run_id=self.run_id, entity_type="person", entity_id=person.id, before=data_as_json(before)
                )
                db.session.add(change)
            change.version_after = person.version
        return changes

    def _add_roles(self, person: Person, specs: list[RoleSpec]) -> list[str]:
        added = []
        self._note_listed(person.id, specs)
        for spec in specs:
            held = [role for role in person.roles if role.organisation_id == spec.organisation_id and role.is_current]
            if held:
                for role in held:  # the official list vouches for it: a refresh must not end it
                    if self.role_source and not role.source:
                        role.source = self.role_source
                continue
            person.roles.append(
                Role(
                    organisation_id=spec.organisation_id,
                    title=spec.title,
                    starts_on=spec.starts_on,
                    ends_on=spec.ends_on,
                    source=self.role_source,
                    import_run_id=self.run_id,
                )
            )
            added.append(" ".join(part for part in (spec.title, spec.organisation_name) if part))
        if added:
            db.session.flush()
        return added

    def _add_external_id(self, person: Person, scheme: str, value: str) -> bool:
        if any(item.scheme == scheme for item in person.external_ids) or (scheme, value) in self._external:
            return False
        self._external.add((scheme, value))
        added = ExternalId(scheme=scheme, value=value[:100])
        person.external_ids.append(added)
        if self.run_id is not None:  # undo removes it again: the person kept no id of this list before
            db.session.flush()
            db.session.add(
                ImportChange(
                    run_id=self.run_id,
                    entity_type="external_id",
                    entity_id=added.id,
                    before={"person_id": person.id, "scheme": scheme, "value": added.value},
                )
            )
        return True

    # -- refreshing an official list ------------------------------------------------------

    def _note_listed(self, person_id: int, specs: list[RoleSpec]) -> None:
        if self.role_source:  # only a refresh asks which roles the list still names
            self.listed.update((person_id, spec.organisation_id) for spec in specs)

    def end_missing_roles(self) -> int:
        """Roles from this list (same source) that the file no longer names end (yesterday: held until this list).

        Whoever left the list, or moved to another group, keeps the person record and everything
        staff wrote; only the role gets its end date, so the history stays."""
        if not self.role_source:
            return 0
        self.flush()
        ended = 0
        query = select(Role).where(Role.source == self.role_source, Role.ends_on.is_(None))
        for role in db.session.scalars(query):
            if (role.person_id, role.organisation_id) in self.listed or role.person_id in self.skipped:
                continue
            if self.run_id is not None:
                db.session.add(
                    ImportChange(run_id=self.run_id, entity_type="role", entity_id=role.id, before={"ends_on": None})
                )
            role.ends_on = today() - timedelta(days=1)  # a role ending today still counts as held today
            ended += 1
        db.session.flush()
        return ended


def _allocate_person_ids(count: int) -> list[int]:
    """Ids for `count` new people, so one multi-row INSERT can write them all.

    RETURNING in parameter order would make SQLite insert row by row. PostgreSQL hands out a
    block of its sequence; SQLite gives max(id) + 1 … once this transaction holds the write
    lock (the no-op UPDATE takes it), so no other writer can take those ids meanwhile."""
    if db.session.get_bind().dialect.name == "postgresql":
        query = text("SELECT nextval(pg_get_serial_sequence('person', 'id')) FROM generate_series(1, :count)")
        return list(db.session.scalars(query, {"count": count}))
    db.session.execute(text("UPDATE person SET id = id WHERE 0"))
    start = db.session.scalar(text("SELECT coalesce(max(id), 0) FROM person")) + 1
    return list(range(start, start + count))


def _point(person_id: int, position: int, **values: Any) -> dict[str, Any]:
    return {
        "person_id": person_id,
        "organisation_id": None,
        "label": values.pop("label", ""),
        "is_primary": position == 0,
        "position": position,
        **values,
    }
