"""The erasure confirmations: a reason for the audit log, and a tick that says it cannot be undone."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from crm.privacy.erasure import REASON_LIMIT


class EraseForm(FlaskForm):
    reason = TextAreaField(
        "Why",
        validators=[DataRequired("Say why the person is erased."), Length(max=REASON_LIMIT)],
        description="Kept in the audit log: say why (a request received on …, the retention review), "
        "without the person's name or email address.",
    )
    understood = BooleanField("I understand that this cannot be undone.", validators=[DataRequired("Tick to confirm.")])


class BulkEraseForm(EraseForm):
    # Set by the confirmation page: a post from the retention list only asks for the reason.
    step = HiddenField(default="confirm")
