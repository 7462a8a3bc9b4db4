"""Everything the campaign page shows, computed here so the template only displays. It lives in
outreach because most of the page is the campaign's outreach and replies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from crm.campaigns.members import campaign_members
from crm.campaigns.models import Ask, Campaign, CampaignMember, Milestone
from crm.campaigns.support import SUPPORTING_EFFECTS, SUPPORTING_ROLES
from crm.contacts.models import Person
from crm.extensions import db
from crm.outreach.campaign_targets import Target, TargetCounts, campaign_targets, counts_of
from crm.outreach.models import Outreach, Participant, Response
from crm.outreach.queues import Queue, awaiting_replies
from crm.taxonomy.models import Category
from crm.timeutil import today


@dataclass
class TimelineEntry:
    on: date
    kind: str  # milestone | outreach | response
    item: Milestone | Outreach | Response


@dataclass
class Supporter:
    person: Person
    actions: list[str] = field(default_factory=list)  # what they did, as outreach shows it
    member: CampaignMember | None = None  # named a supporter by staff (crm.campaigns.members)


@dataclass
class Thread:
    """One chain from the first ask to the last reply; `children` are the outreach the replies led to."""

    outreach: Outreach
    children: list[Thread] = field(default_factory=list)


@dataclass
class CampaignOverview:
    campaign: Campaign
    timeline: list[TimelineEntry]
    asks: list[Ask]
    supporters: list[Supporter]  # named by staff, and those outreach shows wrote, signed, acted or committed
    targets: list[Target]
    threads: list[Thread]
    awaiting: Queue
    open_follow_ups: list[Outreach | Response]
    recipients: int
    replied: int

    @property
    def named_supporters(self) -> int:
        """Supporters staff named; those outreach also shows count once, among `supporters`."""
        return sum(supporter.member is not None for supporter in self.supporters)

    @property
    def target_counts(self) -> TargetCounts:
        return counts_of(self.targets)

    @property
    def response_rate(self) -> float | None:
        return self.replied / self.recipients if self.recipients else None


def _outreach(campaign: Campaign) -> list[Outreach]:
    return list(
        db.session.scalars(
            select(Outreach)
            .where(Outreach.campaign_id == campaign.id)
            .order_by(Outreach.sent_on, Outreach.id)
            .options(
                selectinload(Outreach.kind),
                selectinload(Outreach.responses).selectinload(Response.outcome),
                selectinload(Outreach.responses).selectinload(Response.person),
                selectinload(Outreach.responses).selectinload(Response.organisation),
                selectinload(Outreach.responses).selectinload(Response.led_to),
                selectinload(Outreach.prompted_by),
            )
        )
    )


def _supporters(campaign: Campaign, outreach: list[Outreach]) -> list[Supporter]:
    by_person: dict[int, Supporter] = {}
    # Our own staff author outreach too; they are not the campaign's supporters.
    staff_category = select(Category.id).where(Category.code == "foundation_staff").scalar_subquery()
    participations = db.session.execute(
        select(Participant, Outreach)
        .join(Outreach, Participant.outreach_id == Outreach.id)
        .join(Person, Participant.person_id == Person.id)
        .where(
            Outreach.campaign_id == campaign.id,
            Participant.role.in_(SUPPORTING_ROLES),
            or_(Person.category_id.is_(None), Person.category_id != staff_category),
        )
        .options(selectinload(Participant.person), selectinload(Outreach.kind))
        .order_by(Outreach.sent_on)
    )
    for participant, entry in participations:
        supporter = by_person.setdefault(participant.person_id, Supporter(participant.person))
        supporter.actions.append(f"{SUPPORTING_ROLES[participant.role]} {entry.kind.name.lower()}: {entry.subject}")
    for entry in outreach:
        for response in entry.responses:
            effect = response.outcome.effect if response.outcome else None
            if response.person is not None and effect in SUPPORTING_EFFECTS:
                supporter = by_person.setdefault(response.person_id, Supporter(response.person))
                supporter.actions.append(f"{SUPPORTING_EFFECTS[effect]} in reply to: {entry.subject}")
    for member in campaign_members(campaign.id, "supporter"):
        by_person.setdefault(member.person_id, Supporter(member.person)).member = member
    return sorted(by_person.values(), key=lambda s: s.person.sort_key)


def _threads(outreach: list[Outreach]) -> list[Thread]:
    """Chains that go beyond one step: an ask, a reply that was itself an action, the reply to that."""
    nodes = {entry.id: Thread(entry) for entry in outreach}
    roots = []
    for entry in outreach:
        parent = entry.prompted_by.outreach_id if entry.prompted_by else None
        if parent in nodes and parent != entry.id:
            nodes[parent].children.append(nodes[entry.id])
        else:
            roots.append(nodes[entry.id])
    return [root for root in roots if root.children]


def campaign_overview(campaign: Campaign) -> CampaignOverview:
    outreach = _outreach(campaign)
    timeline = [TimelineEntry(m.on, "milestone", m) for m in campaign.milestones]
    timeline += [TimelineEntry(o.sent_on, "outreach", o) for o in outreach if o.sent_on]
    timeline += [TimelineEntry(r.received_on, "response", r) for o in outreach for r in o.responses]
    # On one day, what was done comes before the milestone: today's letters and replies are behind
    # the "today" line, today's hearing is ahead of it.
    order = {"outreach": 0, "response": 1, "milestone": 2}
    timeline.sort(key=lambda entry: (entry.on, order[entry.kind]))
    follow_ups: list[Outreach | Response] = [o for o in outreach if o.follow_up_on and o.status != "closed"]
    follow_ups += [r for o in outreach for r in o.responses if r.follow_up_on]
    follow_ups.sort(key=lambda item: item.follow_up_on)
    totals = db.session.execute(
        select(
            func.coalesce(func.sum(Outreach.recipient_count), 0), func.coalesce(func.sum(Outreach.replied_count), 0)
        ).where(Outreach.campaign_id == campaign.id, Outreach.status != "draft")
    ).one()
    return CampaignOverview(
        campaign=campaign,
        timeline=timeline,
        asks=list(campaign.asks),
        supporters=_supporters(campaign, outreach),
        targets=campaign_targets(campaign.id),
        threads=_threads(outreach),
        awaiting=awaiting_replies(campaign_id=campaign.id, as_of=today()),
        open_follow_ups=follow_ups,
        recipients=int(totals[0]),
        replied=int(totals[1]),
    )


@dataclass
class TimelineRow:
    """A timeline line; the replies one outreach got on one day share a line instead of repeating it."""

    on: date
    kind: str  # milestone | outreach | replies
    item: Milestone | Outreach
    replies: list[Response] = field(default_factory=list)
    # The rest of a long run of replies to the same outreach, folded under this line (fold_reply_runs).
    folded: list[TimelineRow] = field(default_factory=list)

    @property
    def folded_replies(self) -> int:
        return sum(len(row.replies) for row in self.folded)


def is_ahead(row: TimelineRow, today: date) -> bool:
    """Still to come: later than today, or a milestone today (what was sent or received today is done)."""
    return row.on > today or (row.on == today and row.kind == "milestone")


def timeline_rows(entries: list[TimelineEntry], show: str) -> list[TimelineRow]:
    rows: list[TimelineRow] = []
    for entry in entries:
        if (show == "milestones" and entry.kind != "milestone") or (show == "outreach" and entry.kind == "milestone"):
            continue
        if entry.kind != "response":
            rows.append(TimelineRow(entry.on, entry.kind, entry.item))
            continue
        last = rows[-1] if rows else None
        if last and last.kind == "replies" and last.on == entry.on and last.item.id == entry.item.outreach_id:
            last.replies.append(entry.item)
        else:
            rows.append(TimelineRow(entry.on, "replies", entry.item.outreach, [entry.item]))
    return rows


# A run of more replies than this to one outreach, line after line, is folded behind its first line.
RUN_SHOWN = 3


def fold_reply_runs(rows: list[TimelineRow]) -> list[TimelineRow]:
    """Fold each run of consecutive reply lines to the same outreach that holds more than RUN_SHOWN
    replies: its first line stays, the others are kept in that line's `folded` ("N more replies")."""
    folded: list[TimelineRow] = []
    for row in rows:
        head = folded[-1] if folded else None
        if head and head.kind == row.kind == "replies" and head.item.id == row.item.id:
            head.folded.append(row)
        else:
            folded.append(row)
    result = []
    for row in folded:
        if row.folded and len(row.replies) + row.folded_replies <= RUN_SHOWN:
            result += [row, *row.folded]  # a short run reads best line by line
            row.folded = []
        else:
            result.append(row)
    return result
