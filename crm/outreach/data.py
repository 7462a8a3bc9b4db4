"""Plain input records for the outreach services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass
class ParticipantData:
    role: str
    person_id: int | None = None
    organisation_id: int | None = None


@dataclass
class OutreachData:
    kind_id: int | None
    subject: str
    sent_on: date | None = None
    summary: str = ""
    campaign_id: int | None = None
    reference: str = ""
    url: str = ""
    status: str = "sent"
    follow_up_on: date | None = None
    owner_id: int | None = None
    starts_at: datetime | None = None  # naive UTC
    ends_at: datetime | None = None
    location: str = ""
    prompted_by_response_id: int | None = None
    participants: list[ParticipantData] = field(default_factory=list)


@dataclass
class ResponseData:
    received_on: date | None
    person_id: int | None = None
    organisation_id: int | None = None
    channel: str = "letter"
    summary: str = ""
    url: str = ""
    outcome_id: int | None = None
    action_taken: str = ""
    follow_up_on: date | None = None
