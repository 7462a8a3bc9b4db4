"""Outreach and response forms, and their translation into service data."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    DateField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from crm.ids import coerce_optional_id
from crm.outreach.data import OutreachData, ParticipantData, ResponseData
from crm.outreach.models import CHANNELS, PARTICIPANT_ROLES, Outreach
from crm.timeutil import to_local, to_utc, today

EDITABLE_STATUSES = [
    ("sent", "Sent / held"),
    ("draft", "Draft (not sent yet)"),
    ("closed", "Closed (no more replies expected)"),
]

# What a browser's datetime-local input sends and reads back (WTForms would write "2019-09-10 14:00:00",
# which the input refuses to show).
LOCAL_TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


def parse_party(value: str | None) -> tuple[int | None, int | None]:
    """ "p:12" → (12, None); "o:3" → (None, 3); anything else → (None, None)."""
    kind, _, number = (value or "").partition(":")
    if not number.isdigit():
        return None, None
    return (int(number), None) if kind == "p" else (None, int(number)) if kind == "o" else (None, None)


class ParticipantEntry(Form):
    party = HiddenField()
    party_label = StringField("Person or organisation", validators=[Length(max=300)])
    # Most rows are recipients: the default saves a keystroke per person.
    role = SelectField(
        "Role", choices=[("", "Role…")] + list(PARTICIPANT_ROLES.items()), default="to", validate_choice=False
    )


class OutreachForm(FlaskForm):
    kind_id = SelectField("Kind", coerce=coerce_optional_id, validate_choice=False)
    sent_on = DateField("Date", validators=[Optional()], default=today)
    subject = StringField("Subject", validators=[Length(max=300)])
    summary = TextAreaField("Summary", validators=[Length(max=20000)])
    campaign_id = SelectField("Campaign", coerce=coerce_optional_id, validate_choice=False)
    reference = StringField(
        "Reference", validators=[Length(max=120)], description="EP question E-2017-007094, declaration No. …"
    )
    url = StringField("Link", validators=[Length(max=500)])
    status = SelectField("Status", choices=EDITABLE_STATUSES, default="sent")
    follow_up_on = DateField("Follow up on", validators=[Optional()])
    owner_id = SelectField("Staff owner", coerce=coerce_optional_id, validate_choice=False)
    # Meetings and calls: wall-clock times in the staff member's zone (crm.timeutil.local_zone), stored as UTC.
    starts_at = DateTimeLocalField(
        "Starts",
        validators=[Optional()],
        format=LOCAL_TIME_FORMATS,
        description="The date above follows the start when one is given.",
    )
    ends_at = DateTimeLocalField("Ends", validators=[Optional()], format=LOCAL_TIME_FORMATS)
    location = StringField("Place", validators=[Length(max=300)], description="Room, address or video link")
    participants = FieldList(FormField(ParticipantEntry), min_entries=3, max_entries=500)
    bulk = HiddenField()  # a people-list query string: everyone it matches becomes a recipient
    selection = HiddenField()  # "people": the user's selection on the people list, the same way
    # What the people of a list or selection are on the entry: the campaign's targets, or its supporters
    # (crm.campaigns.support counts authors and signatories as support).
    bulk_role = SelectField(
        "They are",
        choices=[
            ("to", "Recipients: people the campaign asks to act"),
            ("signatory", "Signatories: supporters who signed"),
            ("from", "Authors: supporters who wrote"),
        ],
        default="to",
    )
    prompted_by_response_id = HiddenField()
    attachments = MultipleFileField("Attachments")
    version = HiddenField()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for entry in self.participants:
            # A typed name that was never picked from the suggestions must not vanish silently.
            if (entry.form.party_label.data or "").strip() and parse_party(entry.form.party.data) == (None, None):
                entry.form.party.errors = [
                    f"Pick “{entry.form.party_label.data.strip()}” from the suggestions, or add them first."
                ]
                valid = False
        return valid

    def show_times(self, outreach: Outreach) -> None:
        """The stored UTC times as the wall-clock times the form shows."""
        self.starts_at.data = to_local(outreach.starts_at) if outreach.starts_at else None
        self.ends_at.data = to_local(outreach.ends_at) if outreach.ends_at else None

    def to_data(self, extra_participants: list[ParticipantData] = ()) -> OutreachData:
        starts_at = to_utc(self.starts_at.data) if self.starts_at.data else None
        participants = []
        for entry in self.participants:
            person_id, organisation_id = parse_party(entry.form.party.data)
            participants.append(ParticipantData(entry.form.role.data or "", person_id, organisation_id))
        return OutreachData(
            kind_id=self.kind_id.data,
            subject=self.subject.data or "",
            # A meeting is held on the day it starts, wherever that day is in UTC.
            sent_on=self.starts_at.data.date() if self.starts_at.data else self.sent_on.data,
            summary=self.summary.data or "",
            campaign_id=self.campaign_id.data,
            reference=self.reference.data or "",
            url=self.url.data or "",
            status=self.status.data,
            follow_up_on=self.follow_up_on.data,
            owner_id=self.owner_id.data,
            starts_at=starts_at,
            ends_at=to_utc(self.ends_at.data) if self.ends_at.data else None,
            location=self.location.data or "",
            prompted_by_response_id=coerce_optional_id(self.prompted_by_response_id.data),
            participants=participants + list(extra_participants),
        )


class ResponseForm(FlaskForm):
    recipient = SelectField("Who answered", validate_choice=False)
    party = HiddenField()
    party_label = StringField(
        "Or someone else",
        validators=[Length(max=300)],
        description="Not on the list, e.g. a Commissioner answering for the Commission; replaces the choice on the left",
    )
    received_on = DateField("Received on", validators=[Optional()], default=today)
    channel = SelectField("Channel", choices=list(CHANNELS.items()), default="letter")
    outcome_id = SelectField("Outcome", coerce=coerce_optional_id, validate_choice=False)
    summary = TextAreaField("Summary", validators=[Length(max=20000)])
    action_taken = TextAreaField("What they did", validators=[Length(max=5000)])
    url = StringField("Document or link", validators=[Length(max=500)])
    follow_up_on = DateField("Follow up on", validators=[Optional()])
    attachments = MultipleFileField("Attachments")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if (self.party_label.data or "").strip() and parse_party(self.party.data) == (None, None):
            self.party_label.errors = [
                f"Pick “{self.party_label.data.strip()}” from the suggestions, or add them first."
            ]
            valid = False
        return valid

    def to_data(self) -> ResponseData:
        person_id, organisation_id = parse_party(self.party.data if self.party_label.data else self.recipient.data)
        return ResponseData(
            received_on=self.received_on.data,
            person_id=person_id,
            organisation_id=organisation_id,
            channel=self.channel.data,
            summary=self.summary.data or "",
            url=self.url.data or "",
            outcome_id=self.outcome_id.data,
            action_taken=self.action_taken.data or "",
            follow_up_on=self.follow_up_on.data,
        )


class OutreachFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Search")
    campaign_id = SelectField("Campaign", coerce=coerce_optional_id, validate_choice=False)
    kind_id = SelectField("Kind", coerce=coerce_optional_id, validate_choice=False)
    status = SelectField("Status", validate_choice=False)
