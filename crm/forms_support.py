"""Glue between domain errors and WTForms: a service's field errors show on the form."""

from __future__ import annotations

from flask import flash
from flask_wtf import FlaskForm
from wtforms import SubmitField

from crm.errors import Conflict, DomainError, InvalidInput


def _field(form: FlaskForm, name: str):
    # FieldList entries are named "emails-0-address"; walk down to the subfield.
    field = getattr(form, name, None)
    if field is not None:
        return field
    head, _, rest = name.partition("-")
    container = getattr(form, head, None)
    if container is None or not rest:
        return None
    index, _, sub = rest.partition("-")
    try:
        entry = container.entries[int(index)]
    except (AttributeError, ValueError, IndexError):
        return None
    return getattr(entry.form, sub, None) if sub else entry


def apply_errors(form: FlaskForm, error: DomainError) -> None:
    """Attach each message to its field; anything without a field is flashed."""
    if isinstance(error, InvalidInput):
        items = error.errors.items()
    elif isinstance(error, Conflict):
        items = [(error.field, [str(error)])]
    else:
        items = [("__all__", [str(error)])]
    for name, messages in items:
        field = _field(form, name)
        if field is None:
            for message in messages:
                flash(message, "danger")
        else:
            field.errors = list(field.errors) + list(messages)


class ConfirmForm(FlaskForm):
    """A bare form: its CSRF token is what makes a confirmation button safe."""

    submit = SubmitField("Confirm")
