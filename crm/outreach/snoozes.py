"""Acting on a queue row: snooze it until a day, wake it, re-open a follow-up marked done by mistake.

Each change is audited on its outreach entry, so the entry's history says who put what off and until when.
"""

from __future__ import annotations

from datetime import date, timedelta

from crm.audit import service as audit
from crm.auth.models import User
from crm.data_version import report_data_changed
from crm.errors import InvalidInput, NotFound
from crm.extensions import db
from crm.outreach.models import Outreach, Participant, Response
from crm.outreach.my_queue import SOURCES
from crm.outreach.queues import snooze_column
from crm.timeutil import today

# Further than this is not a snooze but a decision: close the entry or clear the follow-up instead.
LONGEST_SNOOZE = timedelta(days=366)

QueueRecord = Participant | Outreach | Response


def get_queue_record(source: str, record_id: int) -> QueueRecord:
    model = SOURCES.get(source)
    record = db.session.get(model, record_id) if model else None
    if record is None:
        raise NotFound(f"There is no {source} with id {record_id} in the queues.")
    return record


def _described(record: QueueRecord) -> tuple[int, str]:
    """The outreach entry whose history records a change to `record`, and how that history names it."""
    if isinstance(record, Participant):
        return record.outreach_id, f"reply of {record.party_name}"
    if isinstance(record, Response):
        return record.outreach_id, f"follow-up of the reply of {record.party_name}"
    return record.id, "follow-up"


def _snoozed_until(record: QueueRecord) -> date | None:
    return getattr(record, snooze_column(type(record)).key)


def _set_snooze(record: QueueRecord, until: date | None, action: str, actor: User | None) -> None:
    outreach_id, what = _described(record)
    before = _snoozed_until(record)
    iso = lambda day: day.isoformat() if day else None  # noqa: E731
    audit.record("outreach", outreach_id, action, {f"{what}, snoozed until": [iso(before), iso(until)]}, actor=actor)
    setattr(record, snooze_column(type(record)).key, until)
    db.session.flush()
    report_data_changed()  # the reports' overdue counts leave snoozed items out


def snooze(record: QueueRecord, until: date | None, *, actor: User | None, as_of: date | None = None) -> None:
    """Out of the queues until `until`; on that day it is back, with its own due date unchanged."""
    as_of = as_of or today()
    if until is None or until <= as_of:
        raise InvalidInput("Pick a day after today.", "until")
    if until > as_of + LONGEST_SNOOZE:
        raise InvalidInput("At most a year ahead: close the entry or clear the follow-up instead.", "until")
    if isinstance(record, Participant) and record.reply_state != "awaiting":
        raise InvalidInput(f"{record.party_name} owes no reply any more.", "until")
    if not isinstance(record, Participant) and record.follow_up_on is None:
        raise InvalidInput("That follow-up was already done.", "until")
    _set_snooze(record, until, "snooze", actor)


def wake(record: QueueRecord, *, actor: User | None) -> None:
    """Back in the queues now."""
    if _snoozed_until(record) is not None:
        _set_snooze(record, None, "wake", actor)


def reopen_follow_up(record: Outreach | Response, due_on: date | None, *, actor: User | None) -> None:
    """Undo "done": the follow-up is due again on `due_on` (the day it had)."""
    if due_on is None:
        raise InvalidInput("Say when the follow-up is due.", "follow_up_on")
    if record.follow_up_on is not None:
        return  # set again meanwhile: that date stands
    outreach_id, what = _described(record)
    audit.record("outreach", outreach_id, "follow-up reopened", {what: [None, due_on.isoformat()]}, actor=actor)
    record.follow_up_on = due_on
    db.session.flush()
    report_data_changed()
