"""Dropping an email file, and the triage actions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import Length

from crm.ids import coerce_optional_id


class EmailFileForm(FlaskForm):
    """One .eml or .msg, dropped on the page or chosen; `person_id`/`outreach_id` say where it was dropped."""

    email_file = FileField(
        "Email file (.eml or .msg)", validators=[FileRequired("Choose or drop an .eml or .msg file.")]
    )
    person_id = HiddenField()
    outreach_id = HiddenField()


class AttachForm(FlaskForm):
    """Where a triage message goes: p:12 (a person), an outreach id, or a campaign."""

    party = HiddenField()
    party_label = StringField("Person", validators=[Length(max=300)])
    outreach_id = StringField("Outreach entry number", validators=[Length(max=12)])
    campaign_id = SelectField("Campaign", coerce=coerce_optional_id, validate_choice=False)
