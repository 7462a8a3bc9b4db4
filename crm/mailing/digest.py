"""The daily reminder email to each staff member who wants it (User.email_digest), about what they own:
replies overdue on their outreach, follow-ups due within the week, and the milestones of their campaigns
in the next 14 days with supporters to mobilise for them.

`send_digests` is run by a daily chore and by `crm mail digest`; a digest goes once a day at most
(User.digest_sent_on), since a worker runs its chores again whenever it starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload

from crm.auth.models import User
from crm.campaigns.models import Campaign, Milestone, campaign_owner
from crm.display import format_day
from crm.extensions import db
from crm.mailing import messages
from crm.mailing.transport import SendFailed, make_transport
from crm.outreach.campaign_summaries import recent_supporters
from crm.outreach.models import Outreach, Participant, Response
from crm.outreach.queues import OPEN_STATUSES
from crm.timeutil import today

FOLLOW_UP_DAYS = 7
MILESTONE_DAYS = 14
LIMIT = 50  # lines per section: a digest is read over coffee
SUPPORTERS = 5


@dataclass
class Digest:
    user: User
    as_of: date
    overdue: list[str] = field(default_factory=list)
    follow_ups: list[str] = field(default_factory=list)
    milestones: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.follow_ups or self.milestones)

    @property
    def subject(self) -> str:
        counts = [
            f"{len(self.overdue)} overdue {'reply' if len(self.overdue) == 1 else 'replies'}" if self.overdue else "",
            f"{len(self.follow_ups)} follow-up{'s' if len(self.follow_ups) != 1 else ''}" if self.follow_ups else "",
            f"{len(self.milestones)} milestone{'s' if len(self.milestones) != 1 else ''}" if self.milestones else "",
        ]
        return f"Advocacy CRM, {format_day(self.as_of)}: " + (", ".join(c for c in counts if c) or "nothing due")

    def text(self) -> str:
        lines = [f"Good morning {self.user.label},", ""]
        for title, items in (
            ("Replies overdue on your outreach", self.overdue),
            (f"Follow-ups due by {format_day(self.as_of + timedelta(days=FOLLOW_UP_DAYS - 1))}", self.follow_ups),
            (f"Milestones of your campaigns in the next {MILESTONE_DAYS} days", self.milestones),
        ):
            if items:
                lines += [f"{title}:", *(f"- {item}" for item in items), ""]
        if self.empty:
            lines += ["Nothing is due.", ""]
        lines += ["You get this email because you asked for it under Account › Password and reminders."]
        return "\n".join(lines) + "\n"


def _overdue(user: User, as_of: date) -> list[str]:
    rows = db.session.scalars(
        select(Participant)
        .join(Outreach, Participant.outreach_id == Outreach.id)
        .where(Outreach.owner_id == user.id, Participant.reply_state == "awaiting", Participant.reply_due_on <= as_of)
        .order_by(Participant.reply_due_on, Participant.id)
        .limit(LIMIT)
        .options(joinedload(Participant.outreach), joinedload(Participant.person), joinedload(Participant.organisation))
    )
    return [
        f"{p.party_name}: “{p.outreach.subject}” (outreach #{p.outreach_id}), reply due {format_day(p.reply_due_on)}"
        for p in rows
    ]


def _follow_ups(user: User, as_of: date) -> list[str]:
    until = as_of + timedelta(days=FOLLOW_UP_DAYS - 1)
    entries = db.session.scalars(
        select(Outreach)
        .where(Outreach.owner_id == user.id, Outreach.follow_up_on <= until, Outreach.status.in_(OPEN_STATUSES))
        .order_by(Outreach.follow_up_on, Outreach.id)
        .limit(LIMIT)
    ).all()
    replies = db.session.scalars(
        select(Response)
        .join(Outreach, Response.outreach_id == Outreach.id)
        .where(Outreach.owner_id == user.id, Response.follow_up_on <= until)
        .order_by(Response.follow_up_on, Response.id)
        .limit(LIMIT)
        .options(joinedload(Response.outreach), joinedload(Response.person), joinedload(Response.organisation))
    ).all()
    lines = [(o.follow_up_on, f"“{o.subject}” (outreach #{o.id})") for o in entries]
    lines += [
        (r.follow_up_on, f"reply of {r.party_name} to “{r.outreach.subject}” (outreach #{r.outreach_id})")
        for r in replies
    ]
    lines.sort(key=lambda line: line[0])
    return [f"{format_day(on)}{' (overdue)' if on < as_of else ''}: {what}" for on, what in lines[:LIMIT]]


def _milestones(user: User, as_of: date) -> list[str]:
    rows = db.session.execute(
        select(Milestone.on, Milestone.title, Campaign.id, Campaign.name)
        .join(Campaign, Milestone.campaign_id == Campaign.id)
        .join(campaign_owner, campaign_owner.c.campaign_id == Campaign.id)
        .where(
            campaign_owner.c.user_id == user.id,
            Campaign.status == "active",
            Milestone.on >= as_of,
            Milestone.on <= as_of + timedelta(days=MILESTONE_DAYS),
        )
        .order_by(Milestone.on, Milestone.id)
        .limit(LIMIT)
    ).all()
    supporters = recent_supporters(list(dict.fromkeys(row[2] for row in rows)), SUPPORTERS)
    lines = []
    for on, title, campaign_id, name in rows:
        who = ", ".join(s.display_name for s in supporters.get(campaign_id, []))
        lines.append(f"{format_day(on)}: {title} ({name})" + (f"; supporters to mobilise: {who}" if who else ""))
    return lines


def build_digest(user: User, as_of: date | None = None) -> Digest:
    as_of = as_of or today()
    return Digest(user, as_of, _overdue(user, as_of), _follow_ups(user, as_of), _milestones(user, as_of))


def wanting_digest(as_of: date, *, again: bool = False) -> list[User]:
    statement = select(User).where(User.active.is_(True), User.email_digest.is_(True)).order_by(User.id)
    if not again:
        statement = statement.where((User.digest_sent_on.is_(None)) | (User.digest_sent_on != as_of))
    return list(db.session.scalars(statement))


@dataclass
class DigestOutcome:
    digest: Digest
    outcome: str  # "sent", "would send", "nothing due", or the server's reason


def send_digests(as_of: date | None = None, *, dry_run: bool = False) -> list[DigestOutcome]:
    """Each wanting user's digest: sent (and the day noted) unless `dry_run`; an empty one is not sent.

    Commits after each message, so a failure later on does not send the earlier ones again tomorrow."""
    as_of = as_of or today()
    outcomes: list[DigestOutcome] = []
    transport = None if dry_run else make_transport()
    try:
        for user in wanting_digest(as_of, again=dry_run):
            digest = build_digest(user, as_of)
            if digest.empty:
                outcomes.append(DigestOutcome(digest, "nothing due"))
                continue
            if dry_run:
                outcomes.append(DigestOutcome(digest, "would send"))
                continue
            message = messages.build_message(
                sender=messages.sender_address(),
                to_address=user.email,
                to_name=user.name,
                subject=digest.subject,
                body=digest.text(),
                message_id=messages.new_message_id(),
                extra_headers=[("Auto-Submitted", "auto-generated")],
            )
            # Claimed before sending: every worker runs this chore, and one user gets one digest a day.
            before = user.digest_sent_on
            if not _claim(user.id, as_of):
                outcomes.append(DigestOutcome(digest, "sent by another worker"))
                continue
            try:
                transport.send(message, messages.sender_address(), user.email)
            except SendFailed as failure:
                _release(user.id, as_of, before)  # the next run tries again
                outcomes.append(DigestOutcome(digest, f"failed: {failure.reason}"))
                continue
            outcomes.append(DigestOutcome(digest, "sent"))
    finally:
        if transport is not None:
            transport.close()
    return outcomes


def _claim(user_id: int, as_of: date) -> bool:
    claimed = db.session.execute(
        update(User)
        .where(User.id == user_id, or_(User.digest_sent_on.is_(None), User.digest_sent_on != as_of))
        .values(digest_sent_on=as_of)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return bool(claimed)


def _release(user_id: int, as_of: date, before: date | None) -> None:
    db.session.execute(
        update(User)
        .where(User.id == user_id, User.digest_sent_on == as_of)
        .values(digest_sent_on=before)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
