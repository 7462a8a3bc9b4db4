"""Campaign services: the case, its asks and milestones. They flush, callers commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import Select, func, select

from crm.audit import service as audit
from crm.auth.models import User
from crm.campaigns.models import ASK_STATUSES, CAMPAIGN_STATUSES, Ask, Campaign, Milestone
from crm.contacts.models import Person
from crm.data_version import report_data_changed
from crm.errors import InvalidInput, NotFound
from crm.extensions import db
from crm.timeutil import utcnow
from crm.values import link_field
from crm.versioning import editing


@dataclass
class CampaignData:
    name: str
    status: str = "active"
    description: str = ""
    subject_person_id: int | None = None
    owner_ids: list[int] = field(default_factory=list)


@dataclass
class AskData:
    title: str
    of_whom: str = ""
    status: str = "open"
    note: str = ""


@dataclass
class MilestoneData:
    on: date | None
    title: str
    description: str = ""
    url: str = ""


def get_campaign(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(f"There is no campaign with id {campaign_id}.")
    return campaign


def list_campaigns(status: str | None = None) -> list[Campaign]:
    query = select(Campaign).order_by(Campaign.status != "active", Campaign.name)
    if status:
        query = query.where(Campaign.status == status)
    return list(db.session.scalars(query))


@cache
def _campaign_choices() -> Select:
    return select(Campaign.id, Campaign.name, Campaign.status).order_by(Campaign.status != "active", Campaign.name)


def campaign_choices() -> list[tuple[int, str]]:
    """(id, name) of every campaign, active ones first, for a select box: no Campaign objects to build."""
    return [(campaign_id, name) for campaign_id, name, _status in db.session.execute(_campaign_choices())]


def campaign_choice_groups() -> dict[str, list[tuple[int, str]]]:
    """The campaigns for a select box in two groups, "Active" and "Other" (on hold, won, closed), by name;
    a group with no campaign is left out."""
    groups: dict[str, list[tuple[int, str]]] = {"Active": [], "Other": []}
    for campaign_id, name, status in db.session.execute(_campaign_choices()):
        groups["Active" if status == "active" else "Other"].append((campaign_id, name))
    return {label: choices for label, choices in groups.items() if choices}


def _clean(data: CampaignData, campaign_id: int | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    name = " ".join((data.name or "").split())
    if not name:
        errors["name"] = ["A name is required."]
    elif len(name) > 200:
        errors["name"] = ["At most 200 characters."]
    elif db.session.scalar(
        select(Campaign.id).where(func.lower(Campaign.name) == name.lower(), Campaign.id != (campaign_id or 0))
    ):
        errors["name"] = [f"There is already a campaign called “{name}”."]
    if data.status not in CAMPAIGN_STATUSES:
        errors["status"] = ["Unknown status."]
    if data.subject_person_id and db.session.get(Person, data.subject_person_id) is None:
        errors["subject_person_id"] = ["That person does not exist."]
    owners = _owners(data.owner_ids, errors)
    if errors:
        raise InvalidInput(errors)
    return {
        "name": name,
        "status": data.status,
        "description": (data.description or "").strip(),
        "subject_person_id": data.subject_person_id,
        "owners": owners,
    }


def _owners(owner_ids: list[int], errors: dict[str, list[str]]) -> list[User]:
    owners = list(db.session.scalars(select(User).where(User.id.in_(owner_ids)))) if owner_ids else []
    if len(owners) != len(set(owner_ids)):
        errors["owner_ids"] = ["One of the owners is not a staff account."]
    return owners


def _snapshot(campaign: Campaign) -> dict[str, Any]:
    return {
        "name": campaign.name,
        "status": campaign.status_label,
        "description": campaign.description,
        "subject": campaign.subject.display_name if campaign.subject else None,
        "owners": [u.label for u in campaign.owners],
    }


def _apply(campaign: Campaign, values: dict[str, Any]) -> None:
    with db.session.no_autoflush:
        for name, value in values.items():
            setattr(campaign, name, value)
        campaign.subject = db.session.get(Person, values["subject_person_id"]) if values["subject_person_id"] else None
        campaign.updated_at = utcnow()


def create_campaign(data: CampaignData, *, actor: User | None) -> Campaign:
    values = _clean(data, None)
    campaign = Campaign()
    db.session.add(campaign)
    _apply(campaign, values)
    db.session.flush()
    report_data_changed()
    audit.record(
        "campaign", campaign.id, "create", audit.diff({}, _snapshot(campaign)), actor=actor, version=campaign.version
    )
    return campaign


def update_campaign(campaign: Campaign, data: CampaignData, *, actor: User | None, expected_version: int) -> Campaign:
    with editing(campaign, expected_version):
        values = _clean(data, campaign.id)
        before = _snapshot(campaign)
        _apply(campaign, values)
        changes = audit.diff(before, _snapshot(campaign))
        if changes:
            db.session.flush()
            report_data_changed()
            audit.record("campaign", campaign.id, "update", changes, actor=actor, version=campaign.version)
        return campaign


def set_owners(campaign: Campaign, owner_ids: list[int], *, actor: User | None) -> Campaign:
    """The staff who run the campaign, set from its page: the unowned outreach of the campaign is theirs
    in their queue (crm.outreach.my_queue)."""
    errors: dict[str, list[str]] = {}
    owners = _owners(owner_ids, errors)
    if errors:
        raise InvalidInput(errors)
    before = [user.label for user in campaign.owners]
    campaign.owners = sorted(owners, key=lambda user: user.email)
    after = [user.label for user in campaign.owners]
    if before != after:
        campaign.updated_at = utcnow()  # and a new version: an edit form open meanwhile sees the change
        db.session.flush()
        audit.record(
            "campaign", campaign.id, "owners", {"owners": [before, after]}, actor=actor, version=campaign.version
        )
    return campaign


def _clean_ask(data: AskData) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    title = " ".join((data.title or "").split())
    if not title:
        errors["title"] = ["Say what we ask for."]
    elif len(title) > 300:
        errors["title"] = ["At most 300 characters."]
    if data.status not in ASK_STATUSES:
        errors["status"] = ["An ask is open, achieved or dropped."]
    if errors:
        raise InvalidInput(errors)
    return {
        "title": title,
        "of_whom": " ".join((data.of_whom or "").split())[:300],
        "status": data.status,
        "note": (data.note or "").strip(),
    }


def save_ask(campaign: Campaign, data: AskData, *, actor: User | None, ask: Ask | None = None) -> Ask:
    values = _clean_ask(data)
    before = {"ask": f"{ask.title} ({ask.status_label})"} if ask else {}
    if ask is None:
        ask = Ask(campaign=campaign, position=len(campaign.asks))
        db.session.add(ask)
    elif ask.campaign_id != campaign.id:
        raise NotFound("That ask belongs to another campaign.")
    for name, value in values.items():
        setattr(ask, name, value)
    db.session.flush()
    report_data_changed()
    after = {"ask": f"{ask.title} ({ask.status_label})"}
    if before != after:
        audit.record(
            "campaign",
            campaign.id,
            "ask",
            audit.diff(before, after) if before else {"ask": [None, after["ask"]]},
            actor=actor,
        )
    return ask


def _clean_milestone(data: MilestoneData) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    title = " ".join((data.title or "").split())
    if not title:
        errors["title"] = ["Say what happens on that date."]
    elif len(title) > 300:
        errors["title"] = ["At most 300 characters."]
    if data.on is None:
        errors["on"] = ["A milestone needs a date."]
    url = link_field(data.url, errors)
    if errors:
        raise InvalidInput(errors)
    return {"on": data.on, "title": title[:300], "description": (data.description or "").strip(), "url": url[:500]}


def save_milestone(
    campaign: Campaign, data: MilestoneData, *, actor: User | None, milestone: Milestone | None = None
) -> Milestone:
    values = _clean_milestone(data)
    before = {"milestone": f"{milestone.on} {milestone.title}"} if milestone else {}
    if milestone is None:
        milestone = Milestone(campaign=campaign)
        db.session.add(milestone)
    elif milestone.campaign_id != campaign.id:
        raise NotFound("That milestone belongs to another campaign.")
    for name, value in values.items():
        setattr(milestone, name, value)
    db.session.flush()
    after = {"milestone": f"{milestone.on} {milestone.title}"}
    if before != after:
        audit.record(
            "campaign",
            campaign.id,
            "milestone",
            audit.diff(before, after) if before else {"milestone": [None, after["milestone"]]},
            actor=actor,
        )
    return milestone


def delete_milestone(campaign: Campaign, milestone: Milestone, *, actor: User | None) -> None:
    if milestone.campaign_id != campaign.id:
        raise NotFound("That milestone belongs to another campaign.")
    description = f"{milestone.on} {milestone.title}"
    campaign.milestones.remove(milestone)
    db.session.flush()
    audit.record("campaign", campaign.id, "delete milestone", {"milestone": [description, None]}, actor=actor)
