"""The campaign page's targets: each with their political group and country, and how far the campaign's
outreach got with them (replied, asked, not asked yet). In outreach, because that is what it reads."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

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


def _political_group(member: CampaignMember) -> str:
    for role in member.person.current_roles:
        organisation = role.organisation
        if organisation.type is not None and organisation.type.code == "political_group":
            return organisation.short_name or organisation.name
    return ""


def campaign_targets(campaign_id: int) -> list[Target]:
    members = campaign_members(campaign_id, "target")
    if not members:
        return []
    person_ids = select(CampaignMember.person_id).where(
        CampaignMember.campaign_id == campaign_id, CampaignMember.role == "target"
    )
    replied = set(
        db.session.scalars(
            select(Response.person_id)
            .join(Outreach, Response.outreach_id == Outreach.id)
            .where(Outreach.campaign_id == campaign_id, Response.person_id.in_(person_ids))
        )
    )
    asked = set(
        db.session.scalars(
            select(Participant.person_id)
            .join(Outreach, Participant.outreach_id == Outreach.id)
            .where(
                Outreach.campaign_id == campaign_id,
                Outreach.status != "draft",
                Participant.role.in_(REPLY_ROLES),
                Participant.person_id.in_(person_ids),
            )
        )
    )
    return [
        Target(
            member,
            _political_group(member),
            "replied" if member.person_id in replied else "asked" if member.person_id in asked else "not_asked",
        )
        for member in members
    ]
