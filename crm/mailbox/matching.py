"""Who a message is from and to, and which of our participations it answers.

Matching is all an address does: a From that matches a staff account or a contact grants nothing;
it only decides where the message is filed, which staff can undo."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from crm.auth.models import User
from crm.contacts.models import EmailAddress, Person
from crm.extensions import db
from crm.mailbox.parse import normalise_subject
from crm.outreach.models import REPLY_ROLES, Outreach, Participant

# A reply found by its subject and its sender must come within this many days of our message.
SUBJECT_WINDOW_DAYS = 60


def people_by_address(addresses: list[str]) -> dict[str, list[int]]:
    """address → the ids of the people who have it (any of their addresses; stored lower case)."""
    wanted = sorted({a.lower() for a in addresses if a})
    if not wanted:
        return {}
    found: dict[str, list[int]] = {}
    rows = db.session.execute(
        select(func.lower(EmailAddress.address), EmailAddress.person_id)
        .join(Person, Person.id == EmailAddress.person_id)
        .where(func.lower(EmailAddress.address).in_(wanted))
        .order_by(EmailAddress.person_id)
    )
    for address, person_id in rows:
        found.setdefault(address, []).append(person_id)
    return found


def staff_by_address(addresses: list[str]) -> dict[str, User]:
    """address → the active staff account that has it."""
    wanted = sorted({a.lower() for a in addresses if a})
    if not wanted:
        return {}
    users = db.session.scalars(select(User).where(func.lower(User.email).in_(wanted), User.active.is_(True)))
    return {user.email.lower(): user for user in users}


def _id_forms(references: list[str]) -> list[str]:
    # The sender may have stored the Message-ID with or without its angle brackets.
    return [form for ref in references for form in (ref, f"<{ref}>")]


def participations_answered(references: list[str]) -> list[Participant]:
    """The participations whose sent Message-ID the message names in In-Reply-To or References."""
    if not references:
        return []
    found = db.session.scalars(
        select(Participant).where(Participant.message_id.in_(_id_forms(references[:100]))).order_by(Participant.id)
    )
    order = {ref: index for index, ref in enumerate(references)}
    return sorted(found, key=lambda p: order.get((p.message_id or "").strip("<>"), len(order)))


def participation_by_subject(subject: str, person_ids: list[int], on: date) -> Participant | None:
    """The newest recipient participation of one of `person_ids` in an outreach with the same subject
    (prefixes aside) sent within SUBJECT_WINDOW_DAYS before `on`."""
    topic = normalise_subject(subject)
    if not topic or not person_ids:
        return None
    candidates = db.session.scalars(
        select(Participant)
        .join(Outreach, Outreach.id == Participant.outreach_id)
        .where(
            Participant.person_id.in_(person_ids),
            Participant.role.in_(REPLY_ROLES),
            Outreach.status != "draft",
            Outreach.sent_on >= on - timedelta(days=SUBJECT_WINDOW_DAYS),
            Outreach.sent_on <= on,
        )
        .order_by(Outreach.sent_on.desc(), Participant.id.desc())
        .limit(200)
    )
    return next((p for p in candidates if normalise_subject(p.outreach.subject) == topic), None)
