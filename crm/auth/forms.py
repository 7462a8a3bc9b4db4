from __future__ import annotations

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Optional
from wtforms.widgets import Select, html_params

from crm.auth.models import ROLES
from crm.auth.passwords import MIN_PASSWORD_LENGTH

ROLE_CHOICES = [(role, role.capitalize()) for role in ROLES]


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Keep me signed in")
    submit = SubmitField("Sign in")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    password = PasswordField("New password", validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)])
    confirm = PasswordField("Repeat the new password", validators=[EqualTo("password", "The passwords differ.")])
    submit = SubmitField("Change password")


class RemindersForm(FlaskForm):
    email_digest = BooleanField("Email me a daily digest: replies overdue, follow-ups due, my campaigns' milestones")
    save_reminders = SubmitField("Save")


class ZoneSelect(Select):
    """The ~490 zones written in one pass: WTForms' widget, an attribute dictionary per option, took
    longer than the rest of the account page together."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        options = "".join(
            f'<option value="{escape(value)}"{" selected" if selected else ""}>{escape(label)}</option>'
            for value, label, selected, *_ in field.iter_choices()
        )
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{options}</select>")


class TimeZoneForm(FlaskForm):
    # Choices are the server's zone names (crm.timeutil.zone_names), set by the view; the service checks too.
    time_zone = SelectField("Show and enter times in", validate_choice=False, widget=ZoneSelect())
    save_time_zone = SubmitField("Save")


class NewUserForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    name = StringField("Name", validators=[Optional(), Length(max=120)])
    role = SelectField("Role", choices=ROLE_CHOICES, default="viewer")
    password = PasswordField("Initial password", validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)])
    submit = SubmitField("Create account")


class EditUserForm(FlaskForm):
    name = StringField("Name", validators=[Optional(), Length(max=120)])
    role = SelectField("Role", choices=ROLE_CHOICES)
    active = BooleanField("Active (may sign in)")
    password = PasswordField(
        "Set a new password",
        validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
        description="Leave blank to keep the current password.",
    )
    submit = SubmitField("Save")
