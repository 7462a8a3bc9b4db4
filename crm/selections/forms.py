"""The bulk action forms: which tag to add or take off a selection, which campaign to add it to."""

from __future__ import annotations

from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import HiddenField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import Select, html_params

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


class GroupedSelect(Select):
    """A select whose choices are {group label: choices}; the group labelled "" (the "Choose …" prompt)
    stands before the groups, outside any <optgroup>."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        for group, choices in field.iter_groups():
            options = [
                self.render_option(value, label, selected, **render_kw) for value, label, selected, render_kw in choices
            ]
            html += options if not group else [f"<optgroup {html_params(label=group)}>", *options, "</optgroup>"]
        html.append("</select>")
        return Markup("".join(html))


class CampaignMembersForm(FlaskForm):
    # Choices {"": prompt, "Active": …, "Other": …}: the campaigns being worked on read first.
    campaign_id = SelectField(
        "Campaign", coerce=coerce_optional_id, validators=[DataRequired("Choose a campaign.")], widget=GroupedSelect()
    )
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
