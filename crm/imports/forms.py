"""Wizard forms: upload, sheet, mapping, confirmation, undo."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, FieldList, SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional, Regexp

from crm.contacts.sheet_fields import FIELDS
from crm.imports.models import ON_DUPLICATE

IGNORE = ""
NO_HEADER = "(no header)"


class UploadForm(FlaskForm):
    file = FileField(
        "Spreadsheet",
        validators=[FileRequired("Choose a file to import.")],
        description=".xlsx, .xlsm, .xls, .ods, .csv or .tsv (any encoding, , ; or tab), or the European "
        "Parliament's XML list; up to 20 MB.",
    )
    submit = SubmitField("Upload and continue")


class SheetForm(FlaskForm):
    sheet = SelectField("Sheet", choices=[])
    submit = SubmitField("Continue")


class MappingForm(FlaskForm):
    preset = SelectField("Preset", choices=[], validators=[Optional()])
    columns = FieldList(SelectField(choices=[]))
    on_duplicate = SelectField(
        "When a row is someone already here",
        choices=list(ON_DUPLICATE.items()),
        default="fill",
        description="Fill never overwrites what staff wrote. You can still decide row by row in the preview.",
    )
    category = SelectField("Category for rows without one", choices=[], validators=[Optional()])
    tags = StringField("Tags for every row", validators=[Optional(), Length(max=200)], description="Comma-separated.")
    source = StringField(
        "Source",
        validators=[Optional(), Length(max=200)],
        description="Where the list comes from; kept on each record.",
    )
    save_as = StringField(
        "Save this mapping as a preset",
        validators=[
            Optional(),
            Length(max=60),
            # The rule the presets folder applies to file names, said up front.
            Regexp(
                r"^[a-z0-9][a-z0-9_-]*$", message="Use lower-case letters, digits, - and _ (e.g. partner-ngo-list)."
            ),
        ],
    )
    submit = SubmitField("Preview")

    def prepare(self, labels: list[str], presets: list[tuple[str, str]], categories: list[tuple[str, str]]):
        field_choices = [(IGNORE, "— not imported —")] + [(field.key, field.label) for field in FIELDS]
        while len(self.columns) < len(labels):
            self.columns.append_entry()
        for entry, label in zip(self.columns, labels, strict=False):
            entry.choices = field_choices
            entry.label.text = label or NO_HEADER
        self.preset.choices = [("", "— none —")] + presets
        self.category.choices = [("", "— none —")] + categories
        return self

    def mapping(self) -> dict[int, str]:
        return {index: entry.data for index, entry in enumerate(self.columns) if entry.data}


class ConfirmImportForm(FlaskForm):
    submit = SubmitField("Import")


class UndoForm(FlaskForm):
    keep_conflicting = BooleanField("Undo the rest and keep the records edited or used since")
    submit = SubmitField("Undo this import")
