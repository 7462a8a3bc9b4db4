"""Undo an import run: remove what it created, restore what it changed — unless someone has built on it since."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, exists, or_, select

from crm.audit import service as audit
from crm.audit.models import AuditEntry
from crm.auth.models import User
from crm.campaigns.models import Campaign
from crm.contacts import people
from crm.contacts.models import EmailAddress, ExternalId, Organisation, Person, PhoneNumber, PostalAddress, Role
from crm.contacts.roles import describe_role
from crm.data_version import report_data_changed
from crm.duplicates.distinct import forget_people
from crm.errors import Conflict
from crm.extensions import db
from crm.imports.models import ImportChange, ImportRun, ImportStatus
from crm.imports.person_values import data_from_json
from crm.outreach.models import Participant, Response
from crm.taxonomy.models import person_tag
from crm.timeutil import utcnow

CHUNK = 1000


@dataclass
class UndoConflicts:
    """Records changed or used after the import; undoing would lose that work."""

    people: dict[int, str] = field(default_factory=dict)  # person id → why

    def __bool__(self) -> bool:
        return bool(self.people)


class UndoRefused(Conflict):
    def __init__(self, conflicts: UndoConflicts) -> None:
        self.conflicts = conflicts
        super().__init__(
            f"{len(conflicts.people)} records were edited or used after this import; "
            "undo the rest and keep them, or leave the import as it is."
        )


@dataclass
class UndoReport:
    removed: int = 0
    restored: int = 0
    roles_removed: int = 0
    roles_reopened: int = 0
    ids_removed: int = 0  # external ids the import gave people who were here before
    organisations_removed: int = 0
    kept: dict[int, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        """Whether the import had written anything to revert."""
        counts = (self.removed, self.restored, self.roles_removed, self.roles_reopened, self.ids_removed)
        return any(counts) or bool(self.organisations_removed or self.kept)


def find_conflicts(run: ImportRun) -> UndoConflicts:
    conflicts = UndoConflicts()
    edited = Person.version > 1
    created = select(Person.id, Person.given_name, Person.family_name, Person.native_name, edited).where(
        Person.import_run_id == run.id
    )
    used = or_(
        exists().where(Participant.person_id == Person.id),
        exists().where(Response.person_id == Person.id),
        exists().where(Campaign.subject_person_id == Person.id),
    )
    for person_id, given, family, native, was_edited in db.session.execute(created.where(or_(edited, used))):
        why = "edited since" if was_edited else "named in outreach or a campaign since"
        conflicts.people[person_id] = f"{_name(given, family, native)}: {why} the import"
    changed = (
        select(
            ImportChange.entity_id,
            Person.version,
            ImportChange.version_after,
            Person.given_name,
            Person.family_name,
            Person.native_name,
        )
        .join(Person, Person.id == ImportChange.entity_id)
        .where(
            ImportChange.run_id == run.id,
            ImportChange.entity_type == "person",
            or_(Person.import_run_id.is_(None), Person.import_run_id != run.id),  # its own are judged above
        )
    )
    for person_id, version, version_after, given, family, native in db.session.execute(changed):
        if version != version_after:
            conflicts.people[person_id] = f"{_name(given, family, native)}: edited since the import"
    return conflicts


def undo_import(run: ImportRun, *, actor: User | None, keep_conflicting: bool = False) -> UndoReport:
    """Revert the import in the caller's transaction (flush only; the caller commits)."""
    if run.status == ImportStatus.UNDONE:
        raise Conflict(f"Import #{run.id} was already undone.")
    if run.status != ImportStatus.DONE:
        raise Conflict(f"Import #{run.id} is {run.status}; only a finished import can be undone.")
    conflicts = find_conflicts(run)
    if conflicts and not keep_conflicting:
        raise UndoRefused(conflicts)
    report = _revert(run, conflicts, actor=actor)
    run.status = ImportStatus.UNDONE
    run.undone_at = utcnow()
    run.undone_by_id = actor.id if actor else None
    run.message = "Undone: " + _summary(report)
    audit.record("import", run.id, "undo", {"undo": [None, run.message]}, actor=actor)
    db.session.flush()
    db.session.expire_all()
    return report


def revert_unfinished(run: ImportRun) -> UndoReport:
    """Remove what an import that stopped half-way had committed (crm.imports.chunks), in the
    caller's transaction. What staff edited or used meanwhile stays, as undo keeps it."""
    report = _revert(run, find_conflicts(run), actor=None)
    if report:
        audit.record("import", run.id, "undo", {"undo": [None, unfinished_summary(report)]}, actor=None)
    db.session.flush()
    db.session.expire_all()
    return report


def unfinished_summary(report: UndoReport) -> str:
    if not report:
        return "Nothing was written."
    return "What it had written was removed again: " + _summary(report)


def _revert(run: ImportRun, conflicts: UndoConflicts, *, actor: User | None) -> UndoReport:
    report = UndoReport(kept=dict(conflicts.people))
    keep = set(conflicts.people)
    created = [
        pid for pid in db.session.scalars(select(Person.id).where(Person.import_run_id == run.id)) if pid not in keep
    ]
    skip = keep | set(created)  # kept as they are, or about to go: nothing to restore

    for change in db.session.scalars(select(ImportChange).where(ImportChange.run_id == run.id)):
        if change.entity_type == "role":
            role = db.session.get(Role, change.entity_id)
            if role is not None and role.person_id not in keep:
                ended = describe_role(role.title, role.organisation.name, role.starts_on, role.ends_on)
                role.ends_on = change.before.get("ends_on")
                reopened = describe_role(role.title, role.organisation.name, role.starts_on, role.ends_on)
                audit.record("person", role.person_id, "edit role", {"role": [ended, reopened]}, actor=actor)
                report.roles_reopened += 1
        elif change.entity_type == "external_id" and change.before.get("person_id") not in keep:
            report.ids_removed += _remove_external_id(change)
        elif change.entity_type == "person" and change.entity_id not in skip:
            person = people.get_person(change.entity_id)
            people.update_person(
                person,
                data_from_json(change.before),
                actor=actor,
                expected_version=person.version,
                allow_shared_email=True,
            )
            report.restored += 1

    roles = select(Role.id).where(Role.import_run_id == run.id)
    if keep:
        roles = roles.where(Role.person_id.not_in(keep))
    role_ids = list(db.session.scalars(roles))
    _record_removed_roles(run, keep, actor=actor)
    for start in range(0, len(role_ids), CHUNK):
        db.session.execute(delete(Role).where(Role.id.in_(role_ids[start : start + CHUNK])))
    report.roles_removed = len(role_ids)

    for start in range(0, len(created), CHUNK):
        _delete_people(created[start : start + CHUNK])
    report.removed = len(created)

    unused = select(Organisation.id).where(
        Organisation.import_run_id == run.id,
        Organisation.version == 1,
        ~exists().where(Role.organisation_id == Organisation.id),
        ~exists().where(Participant.organisation_id == Organisation.id),
        ~exists().where(Response.organisation_id == Organisation.id),
    )
    organisation_ids = list(db.session.scalars(unused))
    if organisation_ids:
        db.session.execute(delete(Organisation).where(Organisation.id.in_(organisation_ids)))
        _forget_history("organisation", organisation_ids)
    report.organisations_removed = len(organisation_ids)
    report_data_changed()
    return report


def _record_removed_roles(run: ImportRun, keep: set[int], *, actor: User | None) -> None:
    """The roles the run gave people who stay go from their history as a role deleted by hand does, as
    their adding was in it (the people the run created go with their history)."""
    query = (
        select(Role.person_id, Role.title, Organisation.name, Role.starts_on, Role.ends_on, Person.version)
        .join(Organisation, Organisation.id == Role.organisation_id)
        .join(Person, Person.id == Role.person_id)
        .where(Role.import_run_id == run.id, or_(Person.import_run_id.is_(None), Person.import_run_id != run.id))
        .order_by(Role.id)
    )
    for person_id, title, organisation, starts_on, ends_on, version in db.session.execute(query):
        if person_id not in keep:
            description = describe_role(title, organisation, starts_on, ends_on)
            audit.record(
                "person", person_id, "delete role", {"role": [description, None]}, actor=actor, version=version
            )


def _name(given: str, family: str, native: str) -> str:
    return " ".join(part for part in (given, family) if part) or native


def _remove_external_id(change: ImportChange) -> int:
    """1 if the id the import added is still there as added (staff may have changed it since)."""
    before = change.before
    removed = db.session.execute(
        delete(ExternalId).where(
            ExternalId.id == change.entity_id,
            ExternalId.person_id == before.get("person_id"),
            ExternalId.scheme == before.get("scheme"),
            ExternalId.value == before.get("value"),
        )
    )
    return removed.rowcount


def _delete_people(person_ids: list[int]) -> None:
    # Children first and explicitly, not left to each foreign key's ON DELETE.
    for table, column in (
        (EmailAddress.__table__, EmailAddress.__table__.c.person_id),
        (PhoneNumber.__table__, PhoneNumber.__table__.c.person_id),
        (PostalAddress.__table__, PostalAddress.__table__.c.person_id),
        (ExternalId.__table__, ExternalId.__table__.c.person_id),
        (Role.__table__, Role.__table__.c.person_id),
        (person_tag, person_tag.c.person_id),
    ):
        db.session.execute(delete(table).where(column.in_(person_ids)))
    forget_people(person_ids)
    db.session.execute(delete(Person.__table__).where(Person.__table__.c.id.in_(person_ids)))
    _forget_history("person", person_ids)


def _forget_history(entity_type: str, ids: list[int]) -> None:
    """The audit entries of records the undo removes: SQLite hands their ids out again, and a
    newcomer must not show someone else's history. The undo's own entry keeps the counts."""
    db.session.execute(delete(AuditEntry).where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id.in_(ids)))


def _summary(report: UndoReport) -> str:
    parts = [
        f"{report.removed} people removed",
        f"{report.restored} restored to their earlier state",
        f"{report.roles_removed} roles removed",
    ]
    if report.ids_removed:
        parts.append(f"{report.ids_removed} external ids removed")
    if report.roles_reopened:
        parts.append(f"{report.roles_reopened} ended roles reopened")
    if report.organisations_removed:
        parts.append(f"{report.organisations_removed} organisations removed")
    if report.kept:
        parts.append(f"{len(report.kept)} kept because they were edited or used since")
    return ", ".join(parts) + "."
