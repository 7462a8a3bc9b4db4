"""The merge form (one radio per field that may differ, and the versions the user saw), the scan button and
the "not the same person" button."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField
from wtforms.validators import InputRequired

from crm.duplicates.merge import MERGE_FIELDS


class MergeForm(FlaskForm):
    keep_version = HiddenField()
    other_version = HiddenField()

    def choices(self) -> dict[str, str]:
        return {name: self[name].data for name in MERGE_FIELDS}

    def versions(self) -> tuple[int, int] | None:
        try:
            return int(self.keep_version.data), int(self.other_version.data)
        except (TypeError, ValueError):
            return None


# A radio for each merge field; a field left out of the form (its values agree) keeps "keep".
for _name, _label in MERGE_FIELDS.items():
    setattr(MergeForm, _name, RadioField(_label, choices=[("keep", "Keep"), ("other", "Other")], default="keep"))


class ScanForm(FlaskForm):
    """ "Look again": a button, and the CSRF token that guards it."""


class PairForm(FlaskForm):
    """ "Not the same person" and its undo: the two person ids, and the CSRF token."""

    a = IntegerField(validators=[InputRequired()])
    b = IntegerField(validators=[InputRequired()])
