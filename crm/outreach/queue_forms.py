"""The small forms on a row of my queue: each posts one change, with its CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField
from wtforms.validators import Optional


class QueueRowForm(FlaskForm):
    """Done, wake, undo: a button; `back` carries the queue's filters to return to."""

    back = HiddenField()


class SnoozeForm(QueueRowForm):
    until = DateField("Snooze until", validators=[Optional()])


class ReopenForm(QueueRowForm):
    follow_up_on = DateField(validators=[Optional()])


class WaitingForm(QueueRowForm):
    """Stop waiting for a recipient's reply, or undo it; `page` says which page to return to."""

    page = HiddenField()
