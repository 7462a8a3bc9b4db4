from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from crm.ids import coerce_optional_id
from crm.outreach.recipients_form import RecipientsForm

BODY_EXAMPLE = "{{ salutation }},\n\n…\n\nYours sincerely,"


class ComposeForm(RecipientsForm):
    subject = StringField("Subject", validators=[Length(max=300)])
    body = TextAreaField("Message", validators=[Length(max=50_000)], render_kw={"rows": 14})
    skip_no_salutation = BooleanField("Leave out the people with no salutation for their language and honorific")
    preview_person_id = SelectField("Preview the message of", coerce=coerce_optional_id, validate_choice=False)


class RetryForm(FlaskForm):
    recipient_id = HiddenField()
