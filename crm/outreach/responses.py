"""Recording replies: each updates the recipient's reply state and the entry's status."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from crm.audit import service as audit
from crm.auth.models import User
from crm.contacts.models import Organisation, Person, Role
from crm.data_version import report_data_changed
from crm.errors import InvalidInput, NotFound
from crm.extensions import db
from crm.outreach.data import ResponseData
from crm.outreach.models import CHANNELS, REPLY_ROLES, Outreach, Participant, Response
from crm.outreach.service import open_state, refresh_counts
from crm.taxonomy.models import ResponseOutcome
from crm.timeutil import today
from crm.values import link_field


def get_response(response_id: int) -> Response:
    response = db.session.get(Response, response_id)
    if response is None:
        raise NotFound(f"There is no response with id {response_id}.")
    return response


def _clean(outreach: Outreach, data: ResponseData) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    if not data.person_id and not data.organisation_id:
        errors["person_id"] = ["Who answered? Choose a person or an organisation."]
    if data.person_id and db.session.get(Person, data.person_id) is None:
        errors["person_id"] = [f"There is no person with id {data.person_id}."]
    if data.organisation_id and db.session.get(Organisation, data.organisation_id) is None:
        errors["organisation_id"] = [f"There is no organisation with id {data.organisation_id}."]
    if data.received_on is None:
        errors["received_on"] = ["Give the date the reply arrived."]
    elif outreach.sent_on and data.received_on < outreach.sent_on:
        errors["received_on"] = [
            f"The reply is dated {data.received_on:%d %b %Y}, before the outreach itself ({outreach.sent_on:%d %b %Y})."
        ]
    elif data.received_on > today():
        errors["received_on"] = ["A reply cannot arrive in the future."]
    if data.channel not in CHANNELS:
        errors["channel"] = ["Unknown channel."]
    if data.outcome_id and db.session.get(ResponseOutcome, data.outcome_id) is None:
        errors["outcome_id"] = ["That outcome no longer exists."]
    if data.follow_up_on and data.received_on and data.follow_up_on < data.received_on:
        errors["follow_up_on"] = ["The follow-up date is before the reply."]
    url = link_field(data.url, errors)
    if errors:
        raise InvalidInput(errors)
    return {
        "person_id": data.person_id,
        "organisation_id": data.organisation_id,
        "received_on": data.received_on,
        "channel": data.channel,
        "summary": (data.summary or "").strip(),
        "url": url[:500],
        "outcome_id": data.outcome_id,
        "action_taken": (data.action_taken or "").strip(),
        "follow_up_on": data.follow_up_on,
    }


def _held_on(role_dates: tuple, day) -> bool:
    starts_on, ends_on = role_dates
    return (starts_on is None or starts_on <= day) and (ends_on is None or ends_on >= day)


def _answered_by(outreach: Outreach, response: Response, roles_of: dict[int, list[tuple]]) -> list[Participant]:
    """The recipients a reply answers for: the person, the organisation, or an organisation the
    person held a role at on the day of the reply (the Commission's Vice-President answers for the Commission)."""
    organisations = {
        organisation_id
        for organisation_id, *dates in roles_of.get(response.person_id, [])
        if _held_on(tuple(dates), response.received_on)
    }
    return [
        p
        for p in outreach.participants
        if p.role in REPLY_ROLES
        and (
            (response.person_id and p.person_id == response.person_id)
            or (response.organisation_id and p.organisation_id == response.organisation_id)
            or (p.organisation_id is not None and p.organisation_id in organisations)
        )
    ]


def recompute_reply_states(outreach: Outreach) -> None:
    """Derive every recipient's reply state from the responses on record (used after adding or removing one)."""
    person_ids = {r.person_id for r in outreach.responses if r.person_id}
    roles_of: dict[int, list[tuple]] = {}
    if person_ids:
        for person_id, organisation_id, starts_on, ends_on in db.session.execute(
            select(Role.person_id, Role.organisation_id, Role.starts_on, Role.ends_on).where(
                Role.person_id.in_(person_ids)
            )
        ):
            roles_of.setdefault(person_id, []).append((organisation_id, starts_on, ends_on))
    first_reply: dict[int, Any] = {}
    for response in outreach.responses:
        for participant in _answered_by(outreach, response, roles_of):
            earlier = first_reply.get(id(participant))
            first_reply[id(participant)] = min(earlier, response.received_on) if earlier else response.received_on
    for participant in outreach.participants:
        replied_on = first_reply.get(id(participant))
        if replied_on:
            participant.reply_state, participant.replied_on, participant.reply_due_on = "replied", replied_on, None
        else:
            open_state(outreach, participant)
    refresh_counts(outreach)


def _mark_answered(outreach: Outreach, response: Response) -> None:
    """One more response: only the recipients it answers for change (replied, on its date unless an
    earlier reply came first). Recomputing every state from every response instead cost responses ×
    recipients per reply: a mailing to 500 people with 500 replies filed from the mailbox took minutes."""
    roles_of: dict[int, list[tuple]] = {}
    if response.person_id:
        roles_of[response.person_id] = list(
            db.session.execute(
                select(Role.organisation_id, Role.starts_on, Role.ends_on).where(Role.person_id == response.person_id)
            ).tuples()
        )
    for participant in _answered_by(outreach, response, roles_of):
        earlier = participant.replied_on if participant.reply_state == "replied" else None
        participant.reply_state, participant.reply_due_on = "replied", None
        participant.replied_on = min(earlier, response.received_on) if earlier else response.received_on
    refresh_counts(outreach)


def record_response(outreach: Outreach, data: ResponseData, *, actor: User | None) -> Response:
    if outreach.status == "draft":
        raise InvalidInput("This outreach is still a draft: mark it as sent before recording a reply.", "received_on")
    values = _clean(outreach, data)
    with db.session.no_autoflush:
        response = Response(created_by_id=actor.id if actor else None, campaign_id=outreach.campaign_id, **values)
        outreach.responses.append(response)
        _mark_answered(outreach, response)
    db.session.flush()
    report_data_changed()
    audit.record(
        "outreach",
        outreach.id,
        "response",
        {"response": [None, f"{response.party_name} on {response.received_on}"]},
        actor=actor,
        version=outreach.version,
    )
    return response


def delete_response(response: Response, *, actor: User | None) -> None:
    """Undo a reply recorded by mistake: the recipients it answered for wait again."""
    outreach = response.outreach
    description = f"{response.party_name} on {response.received_on}"
    with db.session.no_autoflush:
        outreach.responses.remove(response)
        recompute_reply_states(outreach)
    db.session.flush()
    report_data_changed()
    audit.record(
        "outreach",
        outreach.id,
        "delete response",
        {"response": [description, None]},
        actor=actor,
        version=outreach.version,
    )
