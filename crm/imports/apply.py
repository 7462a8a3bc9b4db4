"""Stage 7: write a row — create a person, update one, or leave it — and remember how to undo it.

New people are the bulk of a big file, so they are buffered and written with a few
multi-row INSERTs per chunk (person, emails, phones, addresses, tags, roles, external ids,
audit entries) rather than through the ORM one object at a time. What goes in those rows is
the contact services' (people.person_row, people.new_snapshot): the writer only batches
them (person_rows lays them out, taxonomy_names knows the categories and tags). Updates are rarer and go through the contact services, which keep the audit trail, the
version and the search columns right.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, delete, select, update

from crm.audit import service as audit
from crm.audit.models import AuditEntry
from crm.auth.models import User
from crm.contacts import people, search_index
from crm.contacts.data import PersonData
from crm.contacts.models import EmailAddress, ExternalId, Person, PhoneNumber, PostalAddress, Role
from crm.contacts.roles import describe_role
from crm.contacts.tracking import created_columns
from crm.extensions import db
from crm.imports import written
from crm.imports.affiliations import Affiliations, RoleSpec
from crm.imports.bulk import insert_many
from crm.imports.matching import external_id
from crm.imports.models import ImportChange
from crm.imports.person_rows import EXTERNAL_ID_LIMIT, ChildRows, allocate_person_ids, organisations_of
from crm.imports.person_values import data_as_json, merge, new_person_data, person_data_of
from crm.imports.results import WARNING, Problem, RowStatus
from crm.imports.taxonomy_names import TaxonomyNames
from crm.sql.rows import among
from crm.taxonomy.models import person_tag
from crm.timeutil import today, utcnow

CHUNK = 2000


@dataclass(slots=True)
class _NewPerson:
    result: Any  # RowResult, filled with the id once written
    data: PersonData
    roles: list[RoleSpec]
    external: tuple[str, str] | None  # (scheme, value) of the row's external id
    later: list[Any] = field(default_factory=list)  # RowResults of later rows about them, given the id too


@dataclass(slots=True)
class _Refill:
    """A later row about someone an earlier row created and an earlier chunk wrote: applied at the next flush."""

    result: Any  # RowResult, given its changes and status then
    person_id: int
    earlier_row: int
    values: dict[str, Any]
    category_id: int | None
    mode: str


# What read-back people have instead of the row's external id: one they hold already.
_HELD_ID = ("", "")


class Writer:
    def __init__(
        self,
        *,
        run_id: int | None,
        actor: User | None,
        role_source: str,
        external_scheme: str,
        lock: bool = False,
        note_heading: str = "",
    ) -> None:
        self.run_id = run_id
        self.note_heading = note_heading  # before a note added to someone's notes: "From import “x.xlsx” on …:"
        self.lock = lock  # a real run: people read back are read FOR UPDATE (see Matcher.load)
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
        # Row number → the person it created: waiting in _pending, or the id once written.
        self._created: dict[int, _NewPerson | int] = {}
        self._refills: list[_Refill] = []
        self.names = TaxonomyNames()

    def category_id(self, name: str | None) -> int | None:
        return self.names.category_id(name)

    # -- creating -------------------------------------------------------------------------

    def create(self, result: Any, values: dict[str, Any], category_id: int | None) -> None:
        item = _NewPerson(
            result,
            new_person_data(values, category_id),
            self.affiliations.roles_for(values),
            external_id(values, self.external_scheme),
        )
        self._pending.append(item)
        self._created[result.row] = item
        if len(self._pending) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        """Write the people waiting to be written, then apply later rows to people written before."""
        if self._pending:
            self._write_new()
        if self._refills:
            self._refill()

    def _write_new(self) -> None:
        pending, self._pending = self._pending, []
        now = utcnow()
        ids = allocate_person_ids(len(pending))
        self.names.learn_tags([name for item in pending for name in item.data.tags])
        tracked = created_columns(self.actor_id, now)
        person_rows, entries = [], []
        children = ChildRows(self.role_source, self.run_id)
        for item, person_id in zip(pending, ids, strict=True):
            item.result.id = self._created[item.result.row] = person_id
            for later in item.later:
                later.id = person_id
            data = item.data
            row = people.person_row(data, organisations_of(item.roles))
            changes = _with_roles(audit.diff({}, self._snapshot(row, data)), item.roles)
            # An import has no do-not-contact column: a new person may be written to until staff say otherwise.
            row.update(tracked, id=person_id, import_run_id=self.run_id, do_not_contact=False)
            person_rows.append(row)
            entries.append(
                audit.entry_row("person", person_id, "create", changes, actor_id=self.actor_id, version=1, at=now)
            )
            children.add_contact_points(person_id, data, self.names.tag_ids(data.tags))
            children.add_roles(person_id, item.roles)
            self._note_listed(person_id, item.roles)
            if found := item.external:
                if found in self._external:  # someone else has it: "create anyway" must not steal it
                    item.result.warnings = [
                        *item.result.warnings,
                        Problem("", f"The id {found[0]}:{found[1]} belongs to someone else here.", WARNING),
                    ]
                else:
                    self._external.add(found)
                    children.add_external_id(person_id, *found)
        insert_many(Person.__table__, person_rows)
        search_index.index_imported(ids[0], ids[-1])
        children.insert()
        insert_many(AuditEntry.__table__, entries)

    def _snapshot(self, row: dict[str, Any], data: PersonData) -> dict[str, Any]:
        """The audited view of a person not written yet (people.snapshot of a saved one)."""
        return people.new_snapshot(
            row, data, category=self.names.category_names.get(data.category_id), tags=self.names.tag_names(data.tags)
        )

    # -- a later row of the file about a person an earlier row created ---------------------

    def fill_earlier(
        self, result: Any, earlier_row: int, values: dict[str, Any], category_id: int | None, *, mode: str
    ) -> None:
        """Apply a later row (`result`) to the person row `earlier_row` of this file created.

        "fill" sets only what is empty, "update" lets the row's non-blank values win; emails,
        phones, tags and roles are added to (merge(), as for someone already here). A person
        still waiting to be written is changed before they are; one written already is read
        back and rewritten with others at the next flush. Either way they stay as one import
        wrote them: version 1, one "create" entry holding what the whole file said. `result`
        gets the person's id and, now or at that flush, the changes and its status (updated,
        or skipped when nothing was new). KeyError: that row created no one."""
        created = self._created[earlier_row]
        if isinstance(created, int):
            result.id, result.status = created, RowStatus.UPDATED  # until the flush says whether anything was new
            self._refills.append(_Refill(result, created, earlier_row, values, category_id, mode))
            if len(self._refills) >= CHUNK:
                self.flush()
            return
        created.later.append(result)
        _settle(result, earlier_row, self._fill_pending(created, values, category_id, mode=mode))

    def _refill(self) -> None:
        refills, self._refills = self._refills, []
        items, held = {}, {}
        as_written = written.read_back({r.person_id for r in refills}, lock=self.lock)
        for person_id, (data, organisations, has_id) in as_written.items():
            roles = [RoleSpec(organisation, "", None, None) for organisation in organisations]
            items[person_id] = _NewPerson(None, data, roles, _HELD_ID if has_id else None)
            held[person_id] = len(roles)
        changed: dict[int, _NewPerson] = {}
        for refill in refills:
            item = items.get(refill.person_id)
            if item is None:  # edited or removed by staff since their chunk was committed
                self._refill_edited(refill)
                continue
            changes = self._fill_pending(item, refill.values, refill.category_id, mode=refill.mode)
            _settle(refill.result, refill.earlier_row, changes)
            if changes:
                changed[refill.person_id] = item
        if changed:
            self._rewrite(changed, held)

    def _refill_edited(self, refill: _Refill) -> None:
        """A later row about someone an earlier row created whom staff edited (or removed) meanwhile:
        it updates them as anyone already here, with its own undo record."""
        person = db.session.get(Person, refill.person_id, with_for_update=self.lock or None, populate_existing=True)
        if person is None:
            refill.result.status = RowStatus.SKIPPED
            refill.result.errors = [
                Problem("", f"The person row {refill.earlier_row} created was merged or deleted during the import.")
            ]
            return
        changes = self.update(person, refill.values, refill.category_id, mode=refill.mode)
        _settle(refill.result, refill.earlier_row, changes)

    def _rewrite(self, items: dict[int, _NewPerson], held: dict[int, int]) -> None:
        """Write read-back people again as they now are: their row, contact points and tags
        anew, the roles and external id they gained, and their "create" entry."""
        ids = list(items)
        self.names.learn_tags([name for item in items.values() for name in item.data.tags])
        person_rows, entries = [], []
        children = ChildRows(self.role_source, self.run_id)
        for person_id, item in items.items():
            row = people.person_row(item.data, organisations_of(item.roles))
            person_rows.append({f"new_{key}": value for key, value in row.items()} | {"person_id": person_id})
            changes = _with_roles(audit.diff({}, self._snapshot(row, item.data)), item.roles)
            entries.append({"person_id": person_id, "new_changes": changes})
            children.add_contact_points(person_id, item.data, self.names.tag_ids(item.data.tags))
            gained = item.roles[held[person_id] :]
            children.add_roles(person_id, gained)
            self._note_listed(person_id, gained)
            if item.external not in (None, _HELD_ID):
                self._external.add(item.external)
                children.add_external_id(person_id, *item.external)
        table = Person.__table__
        columns = {key[len("new_") :]: bindparam(key) for key in person_rows[0] if key != "person_id"}
        db.session.execute(update(table).where(table.c.id == bindparam("person_id")).values(columns), person_rows)
        entry = AuditEntry.__table__
        db.session.execute(
            update(entry)
            .where(entry.c.entity_type == "person", entry.c.entity_id == bindparam("person_id"))
            .where(entry.c.action == "create")
            .values(changes=bindparam("new_changes", type_=entry.c.changes.type)),
            entries,
        )
        for child in (EmailAddress.__table__, PhoneNumber.__table__, PostalAddress.__table__, person_tag):
            db.session.execute(delete(child).where(among(child.c.person_id, ids)))
        children.insert()

    def _fill_pending(self, item: _NewPerson, values: dict[str, Any], category_id: int | None, *, mode: str) -> dict:
        def snapshot() -> dict[str, Any]:  # only the audited view: no search columns to fold
            return self._snapshot(people.own_columns(item.data), item.data)

        before = snapshot()
        merge(item.data, values, category_id, mode=mode)
        changes = audit.diff(before, snapshot())
        held = {spec.organisation_id for spec in item.roles}
        added = []
        for spec in self.affiliations.roles_for(values):
            if spec.organisation_id not in held:
                held.add(spec.organisation_id)
                item.roles.append(spec)
                added.append(" ".join(part for part in (spec.title, spec.organisation.name) if part))
        if added:
            changes["roles"] = [None, added]
        found = external_id(values, self.external_scheme)
        if found and item.external is None and found not in self._external:
            item.external = found
            changes["external_id"] = [None, ":".join(found)]
        return changes

    # -- updating -------------------------------------------------------------------------

    def update(self, person: Person, values: dict[str, Any], category_id: int | None, *, mode: str) -> dict:
        """Fill or update `person` from the row; returns the audited changes ({} when nothing changed)."""
        before = person_data_of(person)
        data = person_data_of(person)
        merge(data, values, category_id, mode=mode, note_heading=self.note_heading)
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
            added.append(" ".join(part for part in (spec.title, spec.organisation.name) if part))
            # In the person's history as a role added by hand is (crm.contacts.roles.add_role)
            audit.record(
                "person", person.id, "add role", {"role": [None, _describe(spec)]}, actor=self.actor,
                version=person.version,
            )  # fmt: skip
        if added:
            db.session.flush()
        return added

    def _add_external_id(self, person: Person, scheme: str, value: str) -> bool:
        if any(item.scheme == scheme for item in person.external_ids) or (scheme, value) in self._external:
            return False
        self._external.add((scheme, value))
        added = ExternalId(scheme=scheme, value=value[:EXTERNAL_ID_LIMIT])
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
            before = describe_role(role.title, role.organisation.name, role.starts_on, None)
            role.ends_on = today() - timedelta(days=1)  # a role ending today still counts as held today
            after = describe_role(role.title, role.organisation.name, role.starts_on, role.ends_on)
            # In the person's history as a role ended by hand is (crm.contacts.roles.end_role)
            audit.record("person", role.person_id, "edit role", {"role": [before, after]}, actor=self.actor)
            ended += 1
        db.session.flush()
        return ended


def _describe(spec: RoleSpec) -> str:
    return describe_role(spec.title, spec.organisation.name, spec.starts_on, spec.ends_on)


def _with_roles(changes: dict, roles: list[RoleSpec]) -> dict:
    """A new person's "create" entry with the roles the file gave them, which their snapshot leaves out."""
    if roles:
        changes["roles"] = [None, [_describe(spec) for spec in roles]]
    return changes


def _settle(result: Any, earlier_row: int, changes: dict) -> None:
    result.changes = changes
    result.status = RowStatus.UPDATED if changes else RowStatus.SKIPPED
    if not changes:
        result.errors = [Problem("", f"Nothing new beside row {earlier_row} of this file, the same person.")]
