"""The account page's calendar choices, the invitation upload, and the meeting form it fills."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, FieldList, Form, FormField, HiddenField, SubmitField

from crm.agenda.invites import MAX_ATTENDEES, Attendee
from crm.outreach.forms import OutreachForm


class CalendarFeedForm(FlaskForm):
    all_campaigns = BooleanField("Milestones of every campaign, not only of the campaigns I own")
    create = SubmitField("Make my calendar URL")
    renew = SubmitField("Renew the URL")
    revoke = SubmitField("Revoke the URL")
    save = SubmitField("Save")


class InviteUploadForm(FlaskForm):
    invite = FileField("Meeting invitation (.ics)")
    campaign_id = HiddenField()  # the Log outreach page's campaign (opened from a campaign), kept for the meeting


class UnknownAttendeeEntry(Form):
    email = HiddenField()
    name = HiddenField()
    add = BooleanField("Add as a new person")

    def attendee(self) -> Attendee:
        return Attendee((self.email.data or "").strip().lower()[:254], (self.name.data or "").strip()[:200])


class InviteOutreachForm(OutreachForm):
    """The meeting form as an invitation filled it, with the invitation's unknown people to add or not."""

    unknown = FieldList(FormField(UnknownAttendeeEntry), max_entries=MAX_ATTENDEES)

    def people_to_add(self) -> list[Attendee]:
        chosen = [entry.form.attendee() for entry in self.unknown if entry.form.add.data]
        return [attendee for attendee in chosen if "@" in attendee.email]
