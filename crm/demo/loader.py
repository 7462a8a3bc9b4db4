"""Load the demo contacts and the Dzhakishev campaign through the services. Flushes only: the caller commits.

Safe to run again: organisations are found by name, people by (family name, given name), roles by
(organisation, title, start date), the campaign by name, its milestones by (date, title), asks by title,
outreach by (subject, date), responses by (outreach, party, date) and its targets and supporters by
(person, role), so a second run adds nothing and a partly loaded database is completed.
"""

from __future__ import annotations

from sqlalchemy import func, select

from crm.campaigns.members import add_members
from crm.campaigns.models import Campaign
from crm.campaigns.service import AskData, CampaignData, MilestoneData, create_campaign, save_ask, save_milestone
from crm.contacts.data import AddressData, EmailData, OrganisationData, PersonData, RoleData
from crm.contacts.models import Organisation, Person
from crm.contacts.organisations import create_organisation
from crm.contacts.people import create_person
from crm.contacts.roles import add_role
from crm.demo.campaign import ASKS, CAMPAIGN, MILESTONES, SUPPORTERS, TARGETS, DemoMember
from crm.demo.organisations import ORGANISATIONS, DemoOrganisation, OrganisationRef
from crm.demo.outreach import OUTREACH, DemoOutreach, Party
from crm.demo.people import PEOPLE, SOURCE, TAG, DemoAddress, DemoPerson, DemoRole
from crm.errors import NotFound
from crm.extensions import db
from crm.outreach.data import OutreachData, ParticipantData, ResponseData
from crm.outreach.models import Outreach, Response
from crm.outreach.responses import record_response
from crm.outreach.service import create_outreach
from crm.taxonomy import service as taxonomy


def load_demo() -> dict[str, int]:
    """Add the missing demo contacts and campaign records; return how many of each kind were added."""
    taxonomy.ensure_defaults()
    organisations, organisations_added = _load_organisations()
    # Demo data names the built-in categories; resolve them by code so a renamed one still matches.
    codes = dict(taxonomy.DEFAULT_CATEGORIES)
    by_code = {category.code: category.id for category in taxonomy.categories() if category.code}
    category_ids = {name: by_code[code] for name, code in codes.items() if code in by_code}
    people_added = roles_added = 0
    for demo in PEOPLE:
        person = _find_person(demo)
        if person is None:
            person = create_person(_person_data(demo, category_ids), actor=None)
            people_added += 1
        roles_added += _add_missing_roles(person, demo.roles, organisations)
    contacts = {"organisations added": organisations_added, "people added": people_added, "roles added": roles_added}
    return contacts | _load_campaign()


def _load_organisations() -> tuple[dict[str, Organisation], int]:
    by_name: dict[str, Organisation] = {}
    added = 0
    for demo in ORGANISATIONS:
        organisation = db.session.scalar(
            select(Organisation).where(Organisation.name == demo.name).order_by(Organisation.id).limit(1)
        )
        if organisation is None:
            organisation = create_organisation(_organisation_data(demo, by_name), actor=None)
            added += 1
        by_name[demo.name] = organisation
    return by_name, added


def _organisation_data(demo: DemoOrganisation, by_name: dict[str, Organisation]) -> OrganisationData:
    organisation_type = taxonomy.type_by_code(demo.type_code)
    return OrganisationData(
        name=demo.name,
        short_name=demo.short_name,
        native_name=demo.native_name,
        type_id=organisation_type.id if organisation_type else None,
        country=demo.country,
        # A parent is always listed before its children, so it is already in by_name.
        parent_id=by_name[demo.parent].id if demo.parent else None,
        website=demo.website,
        notes=demo.notes,
    )


def _find_person(demo: DemoPerson) -> Person | None:
    return _person_named(demo.family_name, demo.given_name)


def _person_named(family_name: str, given_name: str) -> Person | None:
    return db.session.scalar(
        select(Person)
        .where(Person.family_name == family_name, Person.given_name == given_name)
        .order_by(Person.id)
        .limit(1)
    )


def _person_data(demo: DemoPerson, category_ids: dict[str, int]) -> PersonData:
    return PersonData(
        family_name=demo.family_name,
        given_name=demo.given_name,
        patronymic=demo.patronymic,
        native_name=demo.native_name,
        country=demo.country,
        # ensure_defaults() has just added any default category that was missing.
        category_id=category_ids[demo.category] if demo.category else None,
        notes=demo.notes,
        source=SOURCE,
        tags=[TAG],
        emails=[EmailData(address, is_primary=position == 0) for position, address in enumerate(demo.emails)],
        honorific=demo.honorific,
        addresses=[_address(demo.address)] if demo.address else [],
    )


def _address(demo: DemoAddress) -> AddressData:
    return AddressData(demo.street, demo.postcode, demo.city, demo.country, demo.label, is_primary=True)


def _add_missing_roles(person: Person, roles: tuple[DemoRole, ...], organisations: dict[str, Organisation]) -> int:
    added = 0
    for demo in roles:
        organisation = organisations[demo.organisation]
        held = any(
            role.organisation_id == organisation.id and role.title == demo.title and role.starts_on == demo.starts_on
            for role in person.roles
        )
        if held:
            continue
        data = RoleData(organisation.id, demo.title, demo.starts_on, demo.ends_on, demo.note)
        add_role(person, data, actor=None)
        added += 1
    return added


# --- The campaign ----------------------------------------------------------------------------------------------


def _load_campaign() -> dict[str, int]:
    counts = {"campaigns added": 0, "milestones added": 0, "asks added": 0, "outreach added": 0}
    campaign = db.session.scalar(select(Campaign).where(func.lower(Campaign.name) == CAMPAIGN.name.lower()))
    if campaign is None:
        subject = _party(CAMPAIGN.subject)["person_id"]
        data = CampaignData(CAMPAIGN.name, CAMPAIGN.status, CAMPAIGN.description, subject_person_id=subject)
        campaign = create_campaign(data, actor=None)
        counts["campaigns added"] = 1
    for milestone in MILESTONES:
        if not any(m.on == milestone.on and m.title == milestone.title for m in campaign.milestones):
            data = MilestoneData(milestone.on, milestone.title, milestone.description, milestone.url)
            save_milestone(campaign, data, actor=None)
            counts["milestones added"] += 1
    for ask in ASKS:
        if not any(a.title == ask.title for a in campaign.asks):
            save_ask(campaign, AskData(ask.title, ask.of_whom, ask.status, ask.note), actor=None)
            counts["asks added"] += 1
    counts["outreach added"], counts["responses added"] = _load_outreach(campaign)
    counts["targets added"] = _add_members(campaign, TARGETS, "target")
    counts["supporters added"] = _add_members(campaign, SUPPORTERS, "supporter")
    return counts


def _add_members(campaign: Campaign, demo_members: tuple[DemoMember, ...], role: str) -> int:
    """Those missing from the campaign's targets (or supporters); one call per note, so the campaign's history
    gets an entry per group rather than per person."""
    by_note: dict[str, list[int]] = {}
    for demo in demo_members:
        by_note.setdefault(demo.note, []).append(_party(demo.person)["person_id"])
    return sum(len(add_members(campaign, ids, role, actor=None, note=note)) for note, ids in by_note.items())


def _load_outreach(campaign: Campaign) -> tuple[int, int]:
    # Every response, new or found, by (outreach key, party): later entries name the reply that prompted them.
    responses: dict[tuple[str, Party], Response] = {}
    outreach_added = responses_added = 0
    for demo in OUTREACH:
        outreach = db.session.scalar(
            select(Outreach)
            .where(Outreach.subject == demo.subject, Outreach.sent_on == demo.sent_on)
            .order_by(Outreach.id)
            .limit(1)
        )
        if outreach is None:
            outreach = create_outreach(_outreach_data(demo, campaign, responses), actor=None)
            outreach_added += 1
        for reply in demo.responses:
            party = _party(reply.party)
            response = next(
                (
                    r
                    for r in outreach.responses
                    if r.received_on == reply.received_on
                    and (r.person_id, r.organisation_id) == (party.get("person_id"), party.get("organisation_id"))
                ),
                None,
            )
            if response is None:
                outcome = _outcome_id(reply.outcome) if reply.outcome else None
                data = ResponseData(
                    reply.received_on,
                    channel=reply.channel,
                    summary=reply.summary,
                    url=reply.url,
                    outcome_id=outcome,
                    action_taken=reply.action_taken,
                    **party,
                )
                response = record_response(outreach, data, actor=None)
                responses_added += 1
            responses[(demo.key, reply.party)] = response
    return outreach_added, responses_added


def _outreach_data(
    demo: DemoOutreach, campaign: Campaign, responses: dict[tuple[str, Party], Response]
) -> OutreachData:
    kind = taxonomy.kind_by_code(demo.kind)
    if kind is None:
        raise NotFound(f"The outreach kind with code “{demo.kind}” is missing, so the demo campaign cannot be loaded.")
    # The prompting reply belongs to an entry listed earlier, so it was found or recorded a moment ago.
    prompted_by = responses[demo.prompted_by] if demo.prompted_by else None
    return OutreachData(
        kind_id=kind.id,
        subject=demo.subject,
        sent_on=demo.sent_on,
        summary=demo.summary,
        campaign_id=campaign.id,
        reference=demo.reference,
        url=demo.url,
        follow_up_on=demo.follow_up_on,
        prompted_by_response_id=prompted_by.id if prompted_by else None,
        participants=[ParticipantData(p.role, **_party(p.party)) for p in demo.participants],
    )


def _outcome_id(code: str) -> int:
    outcome = taxonomy.outcome_by_code(code)
    if outcome is None:
        raise NotFound(f"The response outcome with code “{code}” is missing, so the demo campaign cannot be loaded.")
    return outcome.id


def _party(party: Party) -> dict[str, int]:
    """The participant or respondent fields for a person or organisation loaded above."""
    if isinstance(party, OrganisationRef):
        organisation = db.session.scalar(
            select(Organisation).where(Organisation.name == party.name).order_by(Organisation.id).limit(1)
        )
        if organisation is None:
            raise NotFound(f"The demo campaign needs the organisation “{party.name}”, which is missing.")
        return {"organisation_id": organisation.id}
    person = _person_named(party.family_name, party.given_name)
    if person is None:
        raise NotFound(f"The demo campaign needs {party.given_name} {party.family_name}, who is missing.")
    return {"person_id": person.id}
