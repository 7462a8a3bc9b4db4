from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from crm.ids import coerce_optional_id
from crm.outreach.recipients_form import RecipientsForm


class TemplateUploadForm(FlaskForm):
    name = StringField("Name", validators=[Length(max=200)])
    campaign_id = SelectField("For", coerce=coerce_optional_id, validate_choice=False)
    file = FileField("Word template (.docx)", validators=[FileRequired("Choose a .docx file.")])


class WriteForm(RecipientsForm):
    template_id = SelectField("Template", coerce=coerce_optional_id, validate_choice=False)
    letter_date = DateField("Date of the letters", validators=[Optional()])
    fallback_language = StringField(
        "Language for people whose languages are not recorded", default="en", validators=[Length(max=8)]
    )
    log = BooleanField("Log the letters as an outreach entry (kind Letter), each recipient with their letter")
