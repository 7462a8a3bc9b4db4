"""Outreach services: log an ask to many people at once, keep each recipient's reply state.

They flush; the caller commits once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.audit import service as audit
from crm.auth.models import User
from crm.campaigns.models import Campaign
from crm.contacts.models import Organisation, Person
from crm.data_version import report_data_changed
from crm.errors import InvalidInput, NotFound
from crm.extensions import db
from crm.outreach.data import OutreachData, ParticipantData
from crm.outreach.models import OUTREACH_STATUSES, PARTICIPANT_ROLES, REPLY_ROLES, Outreach, Participant, Response
from crm.taxonomy.models import OutreachKind
from crm.timeutil import today, utcnow
from crm.values import link_field
from crm.versioning import editing

MAX_PARTICIPANTS = 5000


def get_outreach(outreach_id: int) -> Outreach:
    outreach = db.session.get(
        Outreach,
        outreach_id,
        options=[
            selectinload(Outreach.participants).selectinload(Participant.person),
            selectinload(Outreach.participants).selectinload(Participant.organisation),
            selectinload(Outreach.responses),
        ],
    )
    if outreach is None:
        raise NotFound(f"There is no outreach with id {outreach_id}.")
    return outreach


def _clean_participants(items: list[ParticipantData], errors: dict[str, list[str]]) -> list[ParticipantData]:
    clean: list[ParticipantData] = []
    seen: set[tuple] = set()
    person_ids = {p.person_id for p in items if p.person_id}
    organisation_ids = {p.organisation_id for p in items if p.organisation_id}
    known_people = set(db.session.scalars(select(Person.id).where(Person.id.in_(person_ids)))) if person_ids else set()
    known_organisations = (
        set(db.session.scalars(select(Organisation.id).where(Organisation.id.in_(organisation_ids))))
        if organisation_ids
        else set()
    )
    for index, item in enumerate(items):
        key = f"participants-{index}-party"
        if not item.person_id and not item.organisation_id:
            continue  # an empty row of the form
        if item.role not in PARTICIPANT_ROLES:
            errors.setdefault(f"participants-{index}-role", []).append(
                "Choose a role: from, to, signatory, cc or attendee."
            )
            continue
        if item.person_id and item.organisation_id:
            errors.setdefault(key, []).append("A participant is a person or an organisation, not both.")
            continue
        if item.person_id and item.person_id not in known_people:
            errors.setdefault(key, []).append(f"There is no person with id {item.person_id}.")
            continue
        if item.organisation_id and item.organisation_id not in known_organisations:
            errors.setdefault(key, []).append(f"There is no organisation with id {item.organisation_id}.")
            continue
        identity = (item.person_id, item.organisation_id, item.role)
        if identity not in seen:  # the same person twice in one role is one participation
            seen.add(identity)
            clean.append(item)
    if len(clean) > MAX_PARTICIPANTS:
        errors.setdefault("participants", []).append(f"At most {MAX_PARTICIPANTS} participants per entry.")
    return clean


def clean_outreach_data(data: OutreachData) -> tuple[OutreachData, OutreachKind]:
    errors: dict[str, list[str]] = {}
    kind = db.session.get(OutreachKind, data.kind_id) if data.kind_id else None
    if kind is None:
        errors["kind_id"] = ["Choose what kind of outreach this is."]
    subject = " ".join((data.subject or "").split())
    if not subject:
        errors["subject"] = ["A subject is required."]
    elif len(subject) > 300:
        errors["subject"] = ["At most 300 characters."]
    if data.status not in OUTREACH_STATUSES:
        errors["status"] = ["Unknown status."]
    elif data.status != "draft" and data.sent_on is None:
        errors["sent_on"] = ["Give the date it was sent or held (or save it as a draft)."]
    if data.sent_on and data.sent_on > today() + timedelta(days=366):
        errors["sent_on"] = ["That date is more than a year ahead; check the year."]
    if data.follow_up_on and data.sent_on and data.follow_up_on < data.sent_on:
        errors["follow_up_on"] = ["The follow-up date is before the outreach date."]
    _check_times(data, errors)
    if data.campaign_id and db.session.get(Campaign, data.campaign_id) is None:
        errors["campaign_id"] = ["That campaign no longer exists."]
    if data.owner_id and db.session.get(User, data.owner_id) is None:
        errors["owner_id"] = ["That staff member no longer exists."]
    url = link_field(data.url, errors)
    if data.prompted_by_response_id and db.session.get(Response, data.prompted_by_response_id) is None:
        errors["prompted_by_response_id"] = ["The reply this outreach follows from no longer exists."]
    participants = _clean_participants(data.participants, errors)
    if errors:
        raise InvalidInput(errors)
    return (
        OutreachData(
            kind_id=data.kind_id,
            subject=subject,
            sent_on=data.sent_on,
            summary=(data.summary or "").strip(),
            campaign_id=data.campaign_id,
            reference=" ".join((data.reference or "").split())[:120],
            url=url[:500],
            status=data.status,
            follow_up_on=data.follow_up_on,
            owner_id=data.owner_id,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            location=" ".join((data.location or "").split()),
            prompted_by_response_id=data.prompted_by_response_id,
            participants=participants,
        ),
        kind,
    )


def _check_times(data: OutreachData, errors: dict[str, list[str]]) -> None:
    if data.ends_at and not data.starts_at:
        errors["starts_at"] = ["Give the start time too, or leave both empty."]
    elif data.ends_at and data.starts_at and data.ends_at < data.starts_at:
        errors["ends_at"] = ["The meeting ends before it starts."]
    elif data.ends_at and data.starts_at and data.ends_at - data.starts_at > timedelta(days=14):
        errors["ends_at"] = ["That is more than two weeks after the start; check the dates."]
    if len(" ".join((data.location or "").split())) > 300:
        errors["location"] = ["At most 300 characters."]


def _reply_due(outreach: Outreach, kind: OutreachKind):
    return outreach.sent_on + timedelta(days=kind.reply_after_days) if outreach.sent_on else None


def open_state(outreach: Outreach, participant: Participant) -> None:
    """The reply state of a participant nobody has answered for yet."""
    if participant.role not in REPLY_ROLES or outreach.status == "draft" or participant.undelivered:
        participant.reply_state = "none"
    else:
        stopped = outreach.status == "closed" or participant.stopped_waiting_on is not None
        participant.reply_state = "closed" if stopped else "awaiting"
    participant.replied_on = None
    participant.reply_due_on = _reply_due(outreach, outreach.kind) if participant.reply_state == "awaiting" else None


def refresh_counts(outreach: Outreach) -> None:
    """Recipient counters and the entry's status follow the recipients' reply states."""
    recipients = [p for p in outreach.participants if p.role in REPLY_ROLES]
    outreach.recipient_count = len(recipients)
    outreach.replied_count = sum(p.reply_state == "replied" for p in recipients)
    if outreach.status in ("draft", "closed"):
        return
    if not recipients:  # a declaration or a statement: nobody owes a reply
        outreach.status = "answered" if outreach.responses else "sent"
    elif any(p.reply_state != "replied" and p.stopped_waiting_on is None for p in recipients):
        outreach.status = "awaiting"
    else:
        # Everyone replied or staff stopped waiting for them: nobody is awaited; "answered" only if someone did.
        outreach.status = "answered" if outreach.replied_count else "sent"


def _snapshot(outreach: Outreach) -> dict[str, Any]:
    return {
        "kind": outreach.kind.name if outreach.kind else None,
        "subject": outreach.subject,
        "sent_on": outreach.sent_on.isoformat() if outreach.sent_on else None,
        "summary": outreach.summary,
        "campaign": outreach.campaign.name if outreach.campaign else None,
        "reference": outreach.reference,
        "url": outreach.url,
        "status": outreach.status,
        "follow_up_on": outreach.follow_up_on.isoformat() if outreach.follow_up_on else None,
        "starts_at": outreach.starts_at.isoformat(timespec="minutes") + "Z" if outreach.starts_at else None,
        "ends_at": outreach.ends_at.isoformat(timespec="minutes") + "Z" if outreach.ends_at else None,
        "location": outreach.location,
        "participants": len(outreach.participants),
    }


def _apply(outreach: Outreach, data: OutreachData, kind: OutreachKind) -> None:
    if outreach.id is not None and data.prompted_by_response_id:
        prompted_by = db.session.get(Response, data.prompted_by_response_id)
        if prompted_by is not None and prompted_by.outreach_id == outreach.id:
            raise InvalidInput("An outreach cannot follow from a reply to itself.", "prompted_by_response_id")
    with db.session.no_autoflush:
        outreach.kind = kind
        outreach.prompted_by_response_id = data.prompted_by_response_id
        for name in (
            "subject",
            "sent_on",
            "summary",
            "reference",
            "url",
            "status",
            "follow_up_on",
            "owner_id",
            "starts_at",
            "ends_at",
            "location",
        ):
            setattr(outreach, name, getattr(data, name))
        outreach.campaign = db.session.get(Campaign, data.campaign_id) if data.campaign_id else None
        for response in outreach.responses:  # they carry the campaign for its index (supporters, newest first)
            response.campaign_id = data.campaign_id or None
        outreach.updated_at = utcnow()


def _sync_participants(outreach: Outreach, wanted: list[ParticipantData]) -> None:
    """Make the participants exactly `wanted`, keeping the reply state of those who stay."""
    existing = {(p.person_id, p.organisation_id, p.role): p for p in outreach.participants}
    keep = []
    for item in wanted:
        identity = (item.person_id, item.organisation_id, item.role)
        participant = existing.pop(identity, None)
        if participant is None:
            participant = Participant(person_id=item.person_id, organisation_id=item.organisation_id, role=item.role)
            open_state(outreach, participant)
        elif participant.reply_state != "replied":
            open_state(outreach, participant)  # the date or the status may have changed
        keep.append(participant)
    outreach.participants = keep


def create_outreach(data: OutreachData, *, actor: User | None) -> Outreach:
    data, kind = clean_outreach_data(data)
    outreach = Outreach(created_by_id=actor.id if actor else None)
    if data.owner_id is None and actor is not None:
        data.owner_id = actor.id
    db.session.add(outreach)
    _apply(outreach, data, kind)
    _sync_participants(outreach, data.participants)
    refresh_counts(outreach)
    db.session.flush()
    report_data_changed()
    audit.record(
        "outreach", outreach.id, "create", audit.diff({}, _snapshot(outreach)), actor=actor, version=outreach.version
    )
    return outreach


def update_outreach(outreach: Outreach, data: OutreachData, *, actor: User | None, expected_version: int) -> Outreach:
    with editing(outreach, expected_version):
        data, kind = clean_outreach_data(data)
        before = _snapshot(outreach)
        _apply(outreach, data, kind)
        _sync_participants(outreach, data.participants)
        refresh_counts(outreach)
        db.session.flush()
        report_data_changed()
        changes = audit.diff(before, _snapshot(outreach))
        if changes:
            audit.record("outreach", outreach.id, "update", changes, actor=actor, version=outreach.version)
        return outreach


def add_participants(outreach: Outreach, items: list[ParticipantData], *, actor: User | None) -> int:
    """Add people (e.g. from a filtered list) without touching those already on the entry."""
    errors: dict[str, list[str]] = {}
    items = _clean_participants(items, errors)
    if errors:
        raise InvalidInput(errors)
    present = {(p.person_id, p.organisation_id, p.role) for p in outreach.participants}
    new = [i for i in items if (i.person_id, i.organisation_id, i.role) not in present]
    if len(present) + len(new) > MAX_PARTICIPANTS:
        raise InvalidInput(f"At most {MAX_PARTICIPANTS} participants per entry.", "participants")
    for item in new:
        participant = Participant(person_id=item.person_id, organisation_id=item.organisation_id, role=item.role)
        open_state(outreach, participant)
        outreach.participants.append(participant)
    refresh_counts(outreach)
    db.session.flush()
    report_data_changed()
    if new:
        audit.record(
            "outreach",
            outreach.id,
            "add participants",
            {"participants": [len(present), len(present) + len(new)]},
            actor=actor,
            version=outreach.version,
        )
    return len(new)


def close_outreach(outreach: Outreach, *, actor: User | None) -> Outreach:
    """Stop waiting: recipients who never answered are closed, not left in the queue."""
    before = outreach.status
    outreach.status = "closed"
    for participant in outreach.participants:
        if participant.reply_state == "awaiting":
            participant.reply_state = "closed"
            participant.reply_due_on = None
    outreach.updated_at = utcnow()
    db.session.flush()
    report_data_changed()
    audit.record(
        "outreach", outreach.id, "close", {"status": [before, "closed"]}, actor=actor, version=outreach.version
    )
    return outreach


def chain_root(outreach: Outreach) -> Outreach:
    """The first ask of the chain this outreach belongs to."""
    seen = {outreach.id}
    while outreach.prompted_by is not None and outreach.prompted_by.outreach.id not in seen:
        outreach = outreach.prompted_by.outreach
        seen.add(outreach.id)
    return outreach


def responses_by(person_id: int) -> list[Response]:
    return list(
        db.session.scalars(
            select(Response).where(Response.person_id == person_id).order_by(Response.received_on.desc()).limit(200)
        )
    )


def follow_up_done(record: Outreach | Response, *, actor: User | None) -> None:
    """The follow-up set on an outreach entry or a reply was done: it leaves the queues, the history keeps it."""
    if record.follow_up_on is None:
        return
    outreach_id = record.id if isinstance(record, Outreach) else record.outreach_id
    what = "follow-up" if isinstance(record, Outreach) else f"follow-up of the reply of {record.party_name}"
    audit.record(
        "outreach", outreach_id, "follow-up done", {what: [record.follow_up_on.isoformat(), None]}, actor=actor
    )
    record.follow_up_on = None
    record.follow_up_snoozed_until = None  # a follow-up set again later starts unsnoozed
    db.session.flush()
    report_data_changed()
