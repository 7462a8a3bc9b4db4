"""A campaign's members: the people it targets and the supporters staff name. They flush, callers commit.

Adding skips whoever is in the campaign with that role already; removing is audited on the campaign.
The people list filters on them (`in_campaign`, `campaign_role`) through contacts.search's signal, so
exports, saved lists, email, letters and outreach read "the targets of this campaign" as any filter."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.orm import contains_eager, joinedload

from crm.audit import service as audit
from crm.auth.models import User
from crm.campaigns.models import MEMBER_ROLES, Campaign, CampaignMember
from crm.contacts.models import Organisation, Person, Role
from crm.contacts.search import campaign_people
from crm.data_version import report_data_changed
from crm.errors import InvalidInput, NotFound
from crm.extensions import db

NOTE_LIMIT = 300
_IN_CLAUSE = 500  # ids per statement: under every database's limit of bound values


def role_noun(role: str, count: int = 2) -> str:
    """ "targets", "supporter": how the page and the audit name the role."""
    noun = MEMBER_ROLES[role].lower()
    return noun if count != 1 else noun[:-1]


def check_role(role: str) -> str:
    if role not in MEMBER_ROLES:
        raise InvalidInput("Choose targets or supporters.", "role")
    return role


def add_members(
    campaign: Campaign, person_ids: Iterable[int], role: str, *, actor: User | None, note: str = ""
) -> list[CampaignMember]:
    """Add these people to the campaign in `role`; those in it with that role already, and ids of nobody,
    are skipped. Returns the memberships added (an audit entry on the campaign names them)."""
    check_role(role)
    note = " ".join((note or "").split())
    if len(note) > NOTE_LIMIT:
        raise InvalidInput(f"At most {NOTE_LIMIT} characters.", "note")
    wanted = list(dict.fromkeys(person_ids))
    added: list[CampaignMember] = []
    for start in range(0, len(wanted), _IN_CLAUSE):
        chunk = wanted[start : start + _IN_CLAUSE]
        already = set(
            db.session.scalars(
                select(CampaignMember.person_id).where(
                    CampaignMember.campaign_id == campaign.id,
                    CampaignMember.role == role,
                    CampaignMember.person_id.in_(chunk),
                )
            )
        )
        people = db.session.scalars(select(Person).where(Person.id.in_(chunk))).all()
        found = {person.id: person for person in people}
        for person_id in chunk:
            if person_id in found and person_id not in already:
                member = CampaignMember(
                    campaign_id=campaign.id, person=found[person_id], role=role, note=note, added_by=actor
                )
                db.session.add(member)
                added.append(member)
    if added:
        db.session.flush()
        report_data_changed()
        names = [member.person.display_name for member in added]
        audit.record("campaign", campaign.id, f"add {role_noun(role, len(added))}", {role: [None, names]}, actor=actor)
    return added


def get_member(campaign: Campaign, member_id: int) -> CampaignMember:
    member = db.session.get(CampaignMember, member_id)
    if member is None or member.campaign_id != campaign.id:
        raise NotFound(f"{campaign.name} has no member with id {member_id}.")
    return member


def remove_member(campaign: Campaign, member: CampaignMember, *, actor: User | None) -> None:
    """Take one person out of the campaign's targets or supporters; the campaign's history records it."""
    if member.campaign_id != campaign.id:
        raise NotFound("That member belongs to another campaign.")
    name, role = member.person.display_name, member.role
    db.session.delete(member)
    db.session.flush()
    report_data_changed()
    audit.record("campaign", campaign.id, f"remove {role_noun(role, 1)}", {role: [name, None]}, actor=actor)


def campaign_members(campaign_id: int, role: str) -> list[CampaignMember]:
    """The campaign's targets or named supporters by name, with their roles loaded (political group, country)."""
    return list(
        db.session.scalars(
            select(CampaignMember)
            .join(Person, CampaignMember.person_id == Person.id)
            .where(CampaignMember.campaign_id == campaign_id, CampaignMember.role == check_role(role))
            .order_by(Person.sort_key, Person.id)
            .options(
                joinedload(CampaignMember.person)
                .selectinload(Person.roles)
                .joinedload(Role.organisation)
                .joinedload(Organisation.type),
                joinedload(CampaignMember.added_by),
            )
        )
    )


def person_campaigns(person_id: int) -> list[CampaignMember]:
    """The campaigns a person is a target or named supporter of, active campaigns first."""
    return list(
        db.session.scalars(
            select(CampaignMember)
            .join(Campaign, CampaignMember.campaign_id == Campaign.id)
            .where(CampaignMember.person_id == person_id)
            .order_by(Campaign.status != "active", Campaign.name, CampaignMember.role)
            .options(contains_eager(CampaignMember.campaign))  # one statement, however many
        )
    )


def move_memberships(keep: Person, other: Person) -> list[str]:
    """A merge of duplicates: `other`'s memberships go to `keep`, once per campaign and role (one
    `keep` has already stays, the other's is dropped). Returns them in words, for the merge's audit."""
    rows = db.session.execute(
        select(CampaignMember.id, CampaignMember.campaign_id, CampaignMember.role, Campaign.name)
        .join(Campaign, CampaignMember.campaign_id == Campaign.id)
        .where(CampaignMember.person_id == other.id)
        .order_by(Campaign.name, CampaignMember.role)
    ).all()
    if not rows:
        return []
    kept = set(
        db.session.execute(
            select(CampaignMember.campaign_id, CampaignMember.role).where(CampaignMember.person_id == keep.id)
        ).all()
    )
    twins = [member_id for member_id, campaign_id, role, _ in rows if (campaign_id, role) in kept]
    if twins:
        db.session.execute(delete(CampaignMember).where(CampaignMember.id.in_(twins)))
    db.session.execute(update(CampaignMember).where(CampaignMember.person_id == other.id).values(person_id=keep.id))
    db.session.expire_all()
    return [f"{name} ({role_noun(role, 1)})" for _, _, role, name in rows]


def remove_person(person_id: int) -> int:
    """An erasure: the person leaves every campaign's targets and supporters. Returns how many memberships."""
    result = db.session.execute(
        delete(CampaignMember).where(CampaignMember.person_id == person_id).execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def members_condition(campaign_id: int, *, role: str = "") -> tuple[str, ColumnElement[bool]]:
    """The people-list filter's part (contacts.search asks): the campaign's name for its description, and
    the condition on Person. No role: its targets and its supporters alike."""
    campaign = db.session.get(Campaign, campaign_id)
    name = f"“{campaign.name}”" if campaign else f"a campaign that was deleted (#{campaign_id})"
    members = select(CampaignMember.person_id).where(CampaignMember.campaign_id == campaign_id)
    if role in MEMBER_ROLES:
        members = members.where(CampaignMember.role == role)
        return f"{role_noun(role)} of {name}", Person.id.in_(members)
    return f"targets and supporters of {name}", Person.id.in_(members)


def init_app() -> None:
    campaign_people.connect(members_condition)  # once per process: connecting the same function again is a no-op
