from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional

from crm.taxonomy.models import OUTCOME_EFFECTS


class ItemForm(FlaskForm):
    name = StringField("Name", validators=[Length(max=80)])
    description = StringField("Description", validators=[Length(max=300)])
    reply_after_days = IntegerField(
        "Reply expected within (days)",
        validators=[Optional()],
        description="After this many days a recipient who has not answered shows as awaiting reply.",
    )
    effect = SelectField(
        "Counts in reports as", choices=[("", "Choose…")] + list(OUTCOME_EFFECTS.items()), validate_choice=False
    )
    submit = SubmitField("Save")
