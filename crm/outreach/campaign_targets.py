"""The campaign page's targets: each with their political group and country, and how far the campaign's
outreach got with them (replied, asked, not asked yet); and the same as counts, for the page's summary
and the campaign report. In outreach, because that is what it reads."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, select

from crm.campaigns.members import campaign_members
from crm.campaigns.models import CampaignMember
from crm.extensions import db
from crm.outreach.models import REPLY_ROLES, Outreach, Participant, Response

PROGRESS = {"replied": "replied", "asked": "asked, no reply yet", "not_asked": "not asked yet"}


@dataclass
class Target:
    member: CampaignMember
    political_group: str  # the short name of the group they sit in today, or ""
    progress: str  # replied | asked | not_asked

    @property
    def person(self):
        return self.member.person

    @property
    def progress_label(self) -> str:
        return PROGRESS[self.progress]


@dataclass
class TargetCounts:
    """How far a campaign's outreach got with its targets (across campaigns: each campaign's targets)."""

    targets: int = 0
    asked: int = 0  # recipients of its sent outreach, or who replied to it (for their organisation, say)
    replied: int = 0

    @property
    def not_asked(self) -> int:
        return self.targets - self.asked

    @property
    def reply_rate(self) -> float | None:
        """Targets who replied ÷ targets asked."""
        return self.replied / self.asked if self.asked else None


def _progress() -> ColumnElement[str]:
    """A target's progress (replied | asked | not_asked), for a statement on CampaignMember: the one
    rule the page's list and the counts share. A reply on any of the campaign's outreach counts,
    even one given for the organisation that was asked."""
    replied = (
        select(Response.id)
        .join(Outreach, Response.outreach_id == Outreach.id)
        .where(Outreach.campaign_id == CampaignMember.campaign_id, Response.person_id == CampaignMember.person_id)
        .exists()
    )
    asked = (
        select(Participant.id)
        .join(Outreach, Participant.outreach_id == Outreach.id)
        .where(
            Outreach.campaign_id == CampaignMember.campaign_id,
            Outreach.status != "draft",
            Participant.role.in_(REPLY_ROLES),
            Participant.person_id == CampaignMember.person_id,
        )
        .exists()
    )
    return case((replied, "replied"), (asked, "asked"), else_="not_asked")


def campaign_targets(campaign_id: int) -> list[Target]:
    members = campaign_members(campaign_id, "target")
    if not members:
        return []
    progress = dict(
        db.session.execute(
            select(CampaignMember.id, _progress()).where(
                CampaignMember.campaign_id == campaign_id, CampaignMember.role == "target"
            )
        ).all()
    )
    # A member added since the list was read (another tab) has no progress yet: not asked.
    return [Target(member, _political_group(member), progress.get(member.id, "not_asked")) for member in members]


def target_counts(campaign_id: int | None) -> TargetCounts:
    """The campaign's targets counted by progress in one grouped statement; None: every campaign's."""
    each = select(_progress().label("progress")).where(CampaignMember.role == "target")
    if campaign_id is not None:
        each = each.where(CampaignMember.campaign_id == campaign_id)
    rows = each.subquery("target")
    by_progress = dict(db.session.execute(select(rows.c.progress, func.count()).group_by(rows.c.progress)).all())
    replied, asked = by_progress.get("replied", 0), by_progress.get("asked", 0)
    return TargetCounts(sum(by_progress.values()), replied + asked, replied)


def counts_of(targets: list[Target]) -> TargetCounts:
    """The counts of a list already read (the campaign page), without asking the database again."""
    replied = sum(target.progress == "replied" for target in targets)
    asked = sum(target.progress in ("replied", "asked") for target in targets)
    return TargetCounts(len(targets), asked, replied)


def _political_group(member: CampaignMember) -> str:
    for role in member.person.current_roles:
        organisation = role.organisation
        if organisation.type is not None and organisation.type.code == "political_group":
            return organisation.short_name or organisation.name
    return ""
