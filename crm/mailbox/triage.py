"""The triage list: messages no rule could file, for staff to attach somewhere or to discard.

Every action is audited; a discarded message is kept (its file too) and can be restored."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from crm.audit import service as audit
from crm.auth.models import User
from crm.campaigns.models import Campaign
from crm.contacts.data import EmailData, PersonData
from crm.contacts.people import create_person, get_person
from crm.errors import Conflict, InvalidInput, NotFound
from crm.extensions import db
from crm.mailbox.filing import FilingResult, Parties, file_as_reply, file_by_rules, file_with_person, reparse
from crm.mailbox.models import TriageMessage, TriageState
from crm.outreach.service import get_outreach
from crm.timeutil import utcnow

PER_PAGE = 50


@dataclass
class TriagePage:
    items: list[TriageMessage]
    state: str
    counts: dict[str, int]


def triage_page(state: str = TriageState.OPEN) -> TriagePage:
    state = state if state in set(TriageState) else TriageState.OPEN
    items = db.session.scalars(
        select(TriageMessage)
        .where(TriageMessage.state == state)
        .order_by(TriageMessage.created_at.desc(), TriageMessage.id.desc())
        .limit(PER_PAGE)
    )
    counts = dict(db.session.execute(select(TriageMessage.state, func.count()).group_by(TriageMessage.state)).all())
    return TriagePage(list(items), state, {s.value: counts.get(s.value, 0) for s in TriageState})


def open_count() -> int:
    return db.session.scalar(select(func.count()).where(TriageMessage.state == TriageState.OPEN)) or 0


def get_triage(triage_message_id: int) -> TriageMessage:
    item = db.session.get(TriageMessage, triage_message_id)
    if item is None:
        raise NotFound(f"There is no message {triage_message_id} on the triage list.")
    return item


def _open(item: TriageMessage) -> None:
    if item.state != TriageState.OPEN:
        raise Conflict(f"This message was {item.state} already.")


def _resolve(item: TriageMessage, result: FilingResult, actor: User | None, action: str, where: str) -> FilingResult:
    item.state, item.resolved_at, item.resolved_by_id = TriageState.FILED, utcnow(), actor.id if actor else None
    item.received.status = result.status
    item.received.notes = "\n".join(result.notes)[:5000]
    audit.record("triage_message", item.id, action, {"filed": [None, where]}, actor=actor)
    db.session.flush()
    return result


def attach_to_person(item: TriageMessage, person_id: int, *, actor: User | None, campaign_id=None) -> FilingResult:
    """An email outreach entry with the person on it (its author when the mail came from them)."""
    _open(item)
    get_person(person_id)
    parsed = reparse(item)
    result = FilingResult(status="", notes=list(parsed.notes))
    file_with_person(parsed, Parties.of(parsed), item.received, result, actor, person_id, campaign_id)
    return _resolve(item, result, actor, "attach to person", f"person #{person_id}, outreach #{result.outreach_id}")


def attach_to_campaign(item: TriageMessage, campaign_id: int, *, actor: User | None) -> FilingResult:
    """An email outreach entry in the campaign, with the contacts the message names."""
    _open(item)
    if db.session.get(Campaign, campaign_id) is None:
        raise NotFound(f"There is no campaign with id {campaign_id}.")
    parsed = reparse(item)
    result = FilingResult(status="", notes=list(parsed.notes))
    file_with_person(parsed, Parties.of(parsed), item.received, result, actor, None, campaign_id)
    return _resolve(item, result, actor, "attach to campaign", f"campaign #{campaign_id}")


def attach_to_outreach(item: TriageMessage, outreach_id: int, *, actor: User | None) -> FilingResult:
    """A reply to the outreach entry, from the contact who sent it."""
    _open(item)
    outreach = get_outreach(outreach_id)
    parsed = reparse(item)
    who = Parties.of(parsed)
    authors = who.author_ids()
    if len(authors) != 1:
        raise InvalidInput(
            "A reply needs its sender as one contact: create the sender as a person first.", "outreach_id"
        )
    result = FilingResult(status="", notes=list(parsed.notes))
    file_as_reply(parsed, item.received, result, actor, outreach, authors[0], None)
    return _resolve(item, result, actor, "attach to outreach", f"reply #{result.response_id}")


def create_sender(item: TriageMessage, *, actor: User | None) -> FilingResult:
    """The unknown sender becomes a person; the message is then filed by the rules, or with them."""
    _open(item)
    parsed = reparse(item)
    if parsed.sender is None:
        raise InvalidInput("The message has no sender address.", "__all__")
    given, family = _split_name(parsed.sender.name, parsed.sender.address)
    data = PersonData(family_name=family, given_name=given, source="Email", emails=[EmailData(parsed.sender.address)])
    person = create_person(data, actor=actor)
    who = Parties.of(parsed)
    result = FilingResult(status="", notes=list(parsed.notes))
    if file_by_rules(parsed, who, item.received, result, actor) is not None:
        file_with_person(parsed, who, item.received, result, actor, person.id)
    result.people = [person.id]
    return _resolve(item, result, actor, "create sender", f"person #{person.id}")


def _split_name(name: str, address: str) -> tuple[str, str]:
    words = name.replace('"', "").split()
    if not words:
        return "", address.split("@", 1)[0][:100]
    if len(words) == 1:
        return "", words[0][:100]
    return " ".join(words[:-1])[:100], words[-1][:100]


def discard(item: TriageMessage, *, actor: User | None) -> None:
    _open(item)
    item.state, item.resolved_at, item.resolved_by_id = TriageState.DISCARDED, utcnow(), actor.id if actor else None
    audit.record(
        "triage_message", item.id, "discard", {"state": [TriageState.OPEN, TriageState.DISCARDED]}, actor=actor
    )
    db.session.flush()


def restore(item: TriageMessage, *, actor: User | None) -> None:
    """Undo a discard: the message is back on the list."""
    if item.state != TriageState.DISCARDED:
        raise Conflict("Only a discarded message can be restored.")
    item.state, item.resolved_at, item.resolved_by_id = TriageState.OPEN, None, None
    audit.record(
        "triage_message", item.id, "restore", {"state": [TriageState.DISCARDED, TriageState.OPEN]}, actor=actor
    )
    db.session.flush()
