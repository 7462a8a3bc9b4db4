"""Merge two records of one person. Flushes, never commits.

The kept person takes the chosen value of each field and everything attached to the other:
emails, phones, addresses, external ids, tags, languages, roles, outreach participations,
responses, the campaigns they are the subject of, target or supporter of, their place in frozen
saved lists; the notes
are joined. The other person is archived, not deleted, with a note and an audit entry listing
what moved, so nothing is lost and a mistaken merge can be put right by hand (restore the
other, move things back).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from crm.audit import service as audit
from crm.auth.models import User
from crm.campaigns.members import move_memberships
from crm.campaigns.models import Campaign
from crm.contacts.models import Person, Role
from crm.contacts.people import refresh_search, snapshot
from crm.contacts.saved_lists import move_members
from crm.contacts.tracking import touch
from crm.data_version import report_data_changed
from crm.display import format_day
from crm.errors import EditConflict, InvalidInput
from crm.extensions import db
from crm.outreach.models import PARTICIPANT_ROLES, Outreach, Participant, Response
from crm.outreach.responses import recompute_reply_states
from crm.timeutil import today
from crm.values import phone_digits

# The fields a merge chooses between; everything else is combined.
MERGE_FIELDS = {
    "honorific": "Honorific",
    "given_name": "Given name",
    "patronymic": "Patronymic",
    "family_name": "Family name",
    "native_name": "Name in native script",
    "country": "Country",
    "category_id": "Category",
    "source": "Source",
    "lawful_basis": "Lawful basis",
}
SIDES = ("keep", "other")
# A duplicate participation keeps the more advanced reply state.
_REPLY_RANK = {"none": 0, "closed": 1, "awaiting": 2, "replied": 3}


def _check(keep: Person, other: Person, choices: dict[str, str], expected: tuple[int, int] | None) -> None:
    if keep.id == other.id:
        raise InvalidInput("Choose two different people to merge.")
    if keep.archived or other.archived:
        archived = keep if keep.archived else other
        raise InvalidInput(f"{archived.display_name} (#{archived.id}) is archived: restore them before merging.")
    errors = {
        name: ["Choose which value to keep."]
        for name, side in choices.items()
        if name not in MERGE_FIELDS or side not in SIDES
    }
    if errors:
        raise InvalidInput(errors)
    if expected is not None:
        for person, version in zip((keep, other), expected, strict=True):
            if person.version != version:
                raise EditConflict(person, version)


def merge_people(
    keep: Person,
    other: Person,
    choices: dict[str, str],
    *,
    actor: User | None,
    expected_versions: tuple[int, int] | None = None,
) -> Person:
    """Merge `other` into `keep`. `choices` maps a MERGE_FIELDS name to "keep" or "other" (missing:
    "keep"); `expected_versions` are the versions the user saw, for keep and other."""
    _check(keep, other, choices, expected_versions)
    before_keep, before_other = snapshot(keep), snapshot(other)
    with db.session.no_autoflush:
        for name, side in choices.items():
            if side == "other":
                setattr(keep, name, getattr(other, name))
                if name == "category_id":
                    keep.category = other.category
        keep.languages = ",".join(dict.fromkeys(c for c in (keep.languages + "," + other.languages).split(",") if c))
        keep.tags = keep.tags + [tag for tag in other.tags if tag not in keep.tags]
        moved = _move_contact_points(keep, other)
        moved["external ids"] = [f"{e.scheme} {e.value}" for e in other.external_ids]
        for external_id in list(other.external_ids):
            keep.external_ids.append(external_id)
        moved["roles"] = _move_roles(keep, other)
        moved["campaigns"] = _move_campaigns(keep, other)
        outreach_ids, moved["outreach"], moved["responses"] = _move_outreach(keep, other)
        keep.notes = _joined_notes(keep, other)
        other.notes = (other.notes.rstrip() + "\n\n" if other.notes.strip() else "") + (
            f"Merged into #{keep.id} ({keep.display_name}) on {today():%d %b %Y}."
        )
        other.archived = True
    db.session.flush()
    moved["saved lists"] = move_members(keep, other)
    moved["campaign memberships"] = move_memberships(keep, other)
    # Reply states and counts follow the moved participants and responses (see crm.outreach.responses).
    for outreach in db.session.scalars(select(Outreach).where(Outreach.id.in_(outreach_ids))):
        recompute_reply_states(outreach)
    for person in (keep, other):
        refresh_search(person)
        touch(person, actor)
    db.session.flush()
    report_data_changed()
    moved = {kind: items for kind, items in moved.items() if items}
    audit.record(
        "person",
        keep.id,
        "merge",
        audit.diff(before_keep, snapshot(keep))
        | {"merged": [None, f"#{other.id} {other.display_name}"]}
        | {f"{kind} moved in": [None, items] for kind, items in moved.items()},
        actor=actor,
        version=keep.version,
    )
    audit.record(
        "person",
        other.id,
        "merged into",
        audit.diff(before_other, snapshot(other))
        | {"archived": [False, True], "merged into": [None, f"#{keep.id} {keep.display_name}"]}
        | {f"{kind} moved out": [None, items] for kind, items in moved.items()},
        actor=actor,
        version=other.version,
    )
    return keep


# kind -> (what makes two the same, how the audit names one)
_CONTACT_KINDS: dict[str, tuple[Any, Any]] = {
    "emails": (lambda e: e.address.lower(), lambda e: e.address),
    "phones": (lambda p: phone_digits(p.number), lambda p: p.number),
    "addresses": (lambda a: a.one_line.casefold(), lambda a: a.one_line),
}


def contact_points_to_move(keep: Person, other: Person) -> dict[str, list[Any]]:
    """The other's emails, phones and addresses the kept person lacks; an identical one stays on
    the archived record rather than being deleted."""
    moving = {}
    for kind, (key, _) in _CONTACT_KINDS.items():
        present = {key(item) for item in getattr(keep, kind)}
        moving[kind] = [item for item in getattr(other, kind) if key(item) not in present]
    return moving


def roles_to_move(keep: Person, other: Person) -> list[Role]:
    """The other's roles, less those the kept person has already (same organisation, title, dates)."""

    def same(role: Role) -> tuple:
        return (role.organisation_id, role.title, role.starts_on, role.ends_on)

    present = {same(role) for role in keep.roles}
    return [role for role in other.roles if same(role) not in present]


def _move_contact_points(keep: Person, other: Person) -> dict[str, list[str]]:
    moved: dict[str, list[str]] = {}
    for kind, moving in contact_points_to_move(keep, other).items():
        kept, others = getattr(keep, kind), getattr(other, kind)
        moved[kind] = [_CONTACT_KINDS[kind][1](item) for item in moving]
        for item in moving:
            item.is_primary = item.is_primary and not kept
            item.position = len(kept)
            kept.append(item)  # the backref takes it off the other's list
        for items in (kept, others):
            if items and not any(item.is_primary for item in items):
                items[0].is_primary = True
    return moved


def _move_roles(keep: Person, other: Person) -> list[str]:
    moved = []
    for role in roles_to_move(keep, other):  # a role the kept person has already stays on the archived record
        moved.append(f"{role.title + ', ' if role.title else ''}{role.organisation.name}")
        keep.roles.append(role)
    return moved


def _move_campaigns(keep: Person, other: Person) -> list[str]:
    campaigns = db.session.scalars(select(Campaign).where(Campaign.subject_person_id == other.id)).all()
    for campaign in campaigns:
        campaign.subject_person_id = keep.id
    return [campaign.name for campaign in campaigns]


def _move_outreach(keep: Person, other: Person) -> tuple[set[int], list[str], list[str]]:
    """Participations and responses to the kept person; a participation the kept person already
    has on the same outreach in the same role absorbs the other's reply state instead."""
    outreach_ids: set[int] = set()
    moved_participants: list[str] = []
    for participant in db.session.scalars(select(Participant).where(Participant.person_id == other.id)).all():
        outreach_ids.add(participant.outreach_id)
        role = PARTICIPANT_ROLES.get(participant.role, participant.role)
        description = f"#{participant.outreach_id} {participant.outreach.subject} ({role})"
        twin = db.session.scalar(
            select(Participant).where(
                Participant.outreach_id == participant.outreach_id,
                Participant.person_id == keep.id,
                Participant.role == participant.role,
            )
        )
        if twin is None:
            participant.person = keep
            moved_participants.append(description)
            continue
        moved_participants.append(description + ": already there, reply state combined")
        if _REPLY_RANK.get(participant.reply_state, 0) > _REPLY_RANK.get(twin.reply_state, 0):
            twin.reply_state, twin.reply_due_on = participant.reply_state, participant.reply_due_on
            twin.stopped_waiting_on = participant.stopped_waiting_on  # their state wins, and why it is so
        dates = [d for d in (twin.replied_on, participant.replied_on) if d]
        twin.replied_on = min(dates) if dates else None
        participant.outreach.participants.remove(participant)  # the same recipient twice
    moved_responses = []
    for response in db.session.scalars(select(Response).where(Response.person_id == other.id)).all():
        outreach_ids.add(response.outreach_id)
        moved_responses.append(
            f"#{response.outreach_id} {response.outreach.subject} ({format_day(response.received_on)})"
        )
        response.person = keep
    return outreach_ids, moved_participants, moved_responses


def _joined_notes(keep: Person, other: Person) -> str:
    notes = other.notes.strip()
    if not notes or notes in keep.notes:
        return keep.notes
    heading = f"From #{other.id} ({other.display_name}):"
    return (keep.notes.rstrip() + "\n\n" if keep.notes.strip() else "") + heading + "\n" + notes
