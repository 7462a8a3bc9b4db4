"""The bulk action forms: which tag to add or take off a selection, which campaign to add it to."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from crm.ids import coerce_optional_id


class TagForm(FlaskForm):
    tag = StringField(
        "Tag",
        validators=[DataRequired("Type the tag to add."), Length(max=60)],
        description="An existing tag, or a new one: it is created.",
    )
    back = HiddenField()


class UntagForm(FlaskForm):
    tag_id = SelectField("Tag to take off", coerce=coerce_optional_id, validators=[DataRequired("Choose a tag.")])
    back = HiddenField()


class BackForm(FlaskForm):
    """A confirmation (archive, undo) that returns to the list it came from."""

    back = HiddenField()


class CampaignMembersForm(FlaskForm):
    campaign_id = SelectField("Campaign", coerce=coerce_optional_id, validators=[DataRequired("Choose a campaign.")])
    role = RadioField(
        "Add them as",
        choices=[
            ("target", "Targets: the people the campaign means to win over"),
            ("supporter", "Supporters: people on the campaign's side"),
        ],
        default="target",
        validators=[DataRequired("Choose targets or supporters.")],
    )
    back = HiddenField()
