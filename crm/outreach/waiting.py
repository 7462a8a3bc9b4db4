"""Stop waiting for one recipient's reply, and undo it.

Staff who wrote to 17 MEPs know some will never answer: they stop waiting for those without closing the
entry (the others may still reply) and without recording a reply that never came. The recipient's reply
is then "closed": out of the queues and the overdue counts, still asked and not replied in the response
rates. A reply that comes after all is recorded as any other and counts.
"""

from __future__ import annotations

from datetime import date

from crm.audit import service as audit
from crm.auth.models import User
from crm.data_version import report_data_changed
from crm.errors import InvalidInput, NotFound
from crm.extensions import db
from crm.outreach.models import Participant
from crm.outreach.service import open_state, refresh_counts
from crm.timeutil import today, utcnow


def get_participant(participant_id: int) -> Participant:
    participant = db.session.get(Participant, participant_id)
    if participant is None:
        raise NotFound(f"There is no recipient with id {participant_id}.")
    return participant


def stop_waiting(participant: Participant, *, actor: User | None, as_of: date | None = None) -> None:
    """Awaiting → closed for this recipient alone; the entry stays open for the others."""
    if participant.reply_state != "awaiting":
        raise InvalidInput(f"Nobody is waiting for a reply from {participant.party_name}.", "participant")
    due_on = participant.reply_due_on
    participant.stopped_waiting_on = as_of or today()
    open_state(participant.outreach, participant)
    _changed(participant, "stop waiting", [_iso(due_on), None], actor)


def resume_waiting(participant: Participant, *, actor: User | None) -> None:
    """Undo stop_waiting: awaiting again, due on the day the entry's kind gives (the day it had)."""
    if participant.stopped_waiting_on is None:
        return  # waited for again already: nothing to undo
    if participant.outreach.status == "closed":
        raise InvalidInput("The entry is closed: edit it to open it again first.", "participant")
    participant.stopped_waiting_on = None
    if participant.reply_state == "closed":  # a reply that came meanwhile stands
        open_state(participant.outreach, participant)
    _changed(participant, "resume waiting", [None, _iso(participant.reply_due_on)], actor)


def _changed(participant: Participant, action: str, reply_due: list, actor: User | None) -> None:
    """Counters, status and history of the entry follow; the history names the recipient."""
    outreach = participant.outreach
    refresh_counts(outreach)
    outreach.updated_at = utcnow()
    db.session.flush()
    report_data_changed()
    audit.record(
        "outreach",
        outreach.id,
        action,
        {"from": [None, participant.party_name], "reply due": reply_due},
        actor=actor,
        version=outreach.version,
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
