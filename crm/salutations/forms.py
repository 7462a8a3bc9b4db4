from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from crm.salutations.service import SALUTATION_FIELDS

FIELDS_HELP = "Merge fields: " + ", ".join("{{ " + name + " }}" for name in SALUTATION_FIELDS) + "."


class SalutationForm(FlaskForm):
    language = StringField("Language", validators=[DataRequired(), Length(max=40)], description="en, de, fr, ru …")
    honorific = StringField(
        "Honorific", validators=[Optional(), Length(max=40)], description="Mr, Ms, Mrs, Dr …; empty: no honorific"
    )
    category_id = SelectField("Only for the category", coerce=str, validators=[Optional()])
    text = StringField("Salutation", validators=[DataRequired(), Length(max=300)], description=FIELDS_HELP)
    submit = SubmitField("Save")
