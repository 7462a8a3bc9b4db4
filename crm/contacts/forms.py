"""Forms for people, organisations and roles, and their translation into service data."""

from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)

# Required fields are the service's call (one message for web, CLI and import),
# so the forms only bound lengths.
from wtforms.validators import Length, Optional

from crm.contacts.data import AddressData, EmailData, OrganisationData, PersonData, PhoneData, RoleData
from crm.contacts.models import LAWFUL_BASES
from crm.ids import coerce_optional_id
from crm.taxonomy.service import categories, organisation_types
from crm.values import country_choices


class EmailEntry(Form):
    address = StringField("Email", validators=[Length(max=254)])
    label = StringField("Label", validators=[Length(max=40)])
    is_primary = BooleanField("Primary")


class PhoneEntry(Form):
    number = StringField("Phone", validators=[Length(max=40)])
    label = StringField("Label", validators=[Length(max=40)])
    is_primary = BooleanField("Primary")


class AddressEntry(Form):
    street = StringField("Street", validators=[Length(max=300)])
    postcode = StringField("Postcode", validators=[Length(max=20)])
    city = StringField("City", validators=[Length(max=100)])
    country = SelectField("Country", validate_choice=False)
    label = StringField("Label", validators=[Length(max=40)])
    is_primary = BooleanField("Primary")


class ContactPointsMixin:
    emails = FieldList(FormField(EmailEntry), min_entries=1, max_entries=20)
    phones = FieldList(FormField(PhoneEntry), min_entries=1, max_entries=20)
    addresses = FieldList(FormField(AddressEntry), min_entries=1, max_entries=10)


def _country_select_choices() -> list[tuple[str, str]]:
    return [("", "Country…")] + country_choices()


def _prepare_contact_points(form) -> None:
    for entry in form.addresses:
        entry.form.country.choices = _country_select_choices()


def _entries(field_list) -> list[Form]:
    # The sub-forms themselves: FormField.label is the field's caption, not our "label" field.
    return [entry.form for entry in field_list]


def _contact_points(form) -> dict:
    return {
        "emails": [
            EmailData(e.address.data or "", e.label.data or "", e.is_primary.data) for e in _entries(form.emails)
        ],
        "phones": [
            PhoneData(p.number.data or "", p.label.data or "", p.is_primary.data) for p in _entries(form.phones)
        ],
        "addresses": [
            AddressData(
                a.street.data or "",
                a.postcode.data or "",
                a.city.data or "",
                a.country.data or None,
                a.label.data or "",
                a.is_primary.data,
            )
            for a in _entries(form.addresses)
        ],
    }


class PersonForm(ContactPointsMixin, FlaskForm):
    honorific = StringField("Honorific", validators=[Length(max=40)], description="Dr, H.E. …")
    given_name = StringField("Given name", validators=[Length(max=100)])
    patronymic = StringField("Patronymic", validators=[Length(max=100)])
    family_name = StringField("Family name", validators=[Length(max=100)])
    native_name = StringField(
        "Name in native script",
        validators=[Length(max=200)],
        description=(
            "Only if written differently, e.g. Мухтар Джакишев. A name typed only in Cyrillic above is"
            " saved in Latin letters there, which you can correct, and kept as written here."
        ),
    )
    country = SelectField("Country", validate_choice=False)
    languages = StringField(
        "Languages", validators=[Length(max=200)], description="Comma-separated codes or names: en, ru, Kazakh"
    )
    category_id = SelectField("Category", coerce=coerce_optional_id, validate_choice=False)
    tags = StringField("Tags", validators=[Length(max=500)], description="Comma-separated")
    notes = TextAreaField("Notes", validators=[Length(max=20000)])
    source = StringField(
        "Source of this record", validators=[Length(max=200)], description="Where we got these details"
    )
    lawful_basis = SelectField(
        "Lawful basis (GDPR)", choices=list(LAWFUL_BASES.items()), default="legitimate_interests"
    )
    do_not_contact = BooleanField("Do not contact: they asked us not to write to them (emails leave them out)")
    version = HiddenField()
    allow_shared_email = BooleanField("Save anyway: this address really is shared")
    # Ids of the people the user said a new person is not (space-separated). Sent by the
    # "This is someone else" button of the warning, then kept in a hidden field while other
    # questions (a shared email, a field error) are answered.
    someone_else = HiddenField()
    submit = SubmitField("Save")

    def prepare(self) -> PersonForm:
        self.country.choices = _country_select_choices()
        self.category_id.choices = [("", "(none)")] + [(c.id, c.name) for c in categories()]
        _prepare_contact_points(self)
        return self

    def load(self, person) -> None:
        """Fill the form from a person (on GET)."""
        self.process(obj=person)
        self.tags.data = ", ".join(t.name for t in person.tags)
        self.languages.data = ", ".join(filter(None, person.languages.split(",")))
        self.version.data = str(person.version)
        for fields in (self.emails, self.phones, self.addresses):
            if not fields.entries:
                fields.append_entry()
        _prepare_contact_points(self)

    def ruled_out(self) -> set[int]:
        # Whatever else the field holds is ignored: it only ever spares the user a warning.
        words = (self.someone_else.data or "").split()
        return {int(word) for word in words if word.isascii() and word.isdigit() and len(word) <= 10}

    def rule_out(self, person_ids: Iterable[int]) -> None:
        """Make the form's "someone else" answer cover `person_ids` too, for the warning's button."""
        self.someone_else.data = " ".join(str(i) for i in sorted(self.ruled_out() | set(person_ids)))

    def to_data(self) -> PersonData:
        return PersonData(
            family_name=self.family_name.data or "",
            given_name=self.given_name.data or "",
            patronymic=self.patronymic.data or "",
            honorific=self.honorific.data or "",
            native_name=self.native_name.data or "",
            country=self.country.data or None,
            languages=(self.languages.data or "").split(","),
            category_id=self.category_id.data,
            notes=self.notes.data or "",
            source=self.source.data or "",
            lawful_basis=self.lawful_basis.data,
            tags=(self.tags.data or "").split(","),
            do_not_contact=bool(self.do_not_contact.data),
            **_contact_points(self),
        )


class OrganisationForm(ContactPointsMixin, FlaskForm):
    name = StringField("Name", validators=[Length(max=200)])
    short_name = StringField("Short name", validators=[Length(max=60)], description="Acronym: PACE, HRW, S&D …")
    native_name = StringField("Name in native script", validators=[Length(max=200)])
    type_id = SelectField("Type", coerce=coerce_optional_id, validate_choice=False)
    country = SelectField("Country", validate_choice=False)
    parent_id = HiddenField("Part of")
    parent_label = StringField("Part of", description="Type to find the parent organisation")
    website = StringField("Website", validators=[Length(max=300)])
    tags = StringField("Tags", validators=[Length(max=500)], description="Comma-separated")
    notes = TextAreaField("Notes", validators=[Length(max=20000)])
    version = HiddenField()
    submit = SubmitField("Save")

    def prepare(self) -> OrganisationForm:
        self.country.choices = _country_select_choices()
        self.type_id.choices = [("", "(none)")] + [(t.id, t.name) for t in organisation_types()]
        _prepare_contact_points(self)
        return self

    def load(self, organisation) -> None:
        self.process(obj=organisation)
        self.tags.data = ", ".join(t.name for t in organisation.tags)
        self.parent_id.data = str(organisation.parent_id or "")
        self.parent_label.data = organisation.parent.name if organisation.parent else ""
        self.version.data = str(organisation.version)
        for fields in (self.emails, self.phones, self.addresses):
            if not fields.entries:
                fields.append_entry()
        _prepare_contact_points(self)

    def to_data(self) -> OrganisationData:
        return OrganisationData(
            name=self.name.data or "",
            short_name=self.short_name.data or "",
            native_name=self.native_name.data or "",
            type_id=self.type_id.data,
            country=self.country.data or None,
            parent_id=coerce_optional_id(self.parent_id.data) if self.parent_label.data else None,
            website=self.website.data or "",
            notes=self.notes.data or "",
            tags=(self.tags.data or "").split(","),
            **_contact_points(self),
        )


class RoleForm(FlaskForm):
    organisation_id = HiddenField()
    organisation_label = StringField("Organisation", description="Type to find it; add it first if it is new")
    title = StringField("Title", validators=[Length(max=200)], description="Member, Vice-President, Director …")
    starts_on = DateField("From", validators=[Optional()])
    ends_on = DateField("Until", validators=[Optional()], description="Leave empty while the role is held")
    note = StringField("Note", validators=[Length(max=300)])
    submit = SubmitField("Save role")

    def to_data(self) -> RoleData:
        return RoleData(
            organisation_id=coerce_optional_id(self.organisation_id.data) or 0,
            title=self.title.data or "",
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            note=self.note.data or "",
        )


class PeopleFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form; nothing changes

    q = StringField("Search")
    category_id = SelectField("Category", coerce=coerce_optional_id, validate_choice=False)
    country = SelectField("Country", validate_choice=False)
    # The organisations chosen (organisation_id, repeated) are rendered from the filter: see person_list.html.
    role = StringField("Role title", validators=[Length(max=200)])
    on = DateField("Roles held on", validators=[Optional()])
    list_id = SelectField("Saved list", coerce=coerce_optional_id, validate_choice=False)
    political_group_id = SelectField("Political group", coerce=coerce_optional_id, validate_choice=False)
    tag_id = SelectField("Tag", coerce=coerce_optional_id, validate_choice=False)
    archived = SelectField(
        "Show",
        choices=[("active", "Active only"), ("archived", "Archived only"), ("all", "Active and archived")],
        validate_choice=False,
    )
    contact = SelectField(
        "Contact",
        choices=[("", "May or may not be contacted"), ("ok", "May be contacted"), ("no", "Do not contact")],
        validate_choice=False,
    )
    sort = SelectField("Sort", validate_choice=False)


class OrganisationFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Search")
    type_id = SelectField("Type", coerce=coerce_optional_id, validate_choice=False)
    country = SelectField("Country", validate_choice=False)
    tag_id = SelectField("Tag", coerce=coerce_optional_id, validate_choice=False)
    archived = SelectField(
        "Show",
        choices=[("active", "Active only"), ("archived", "Archived only"), ("all", "Active and archived")],
        validate_choice=False,
    )
    sort = SelectField("Sort", validate_choice=False)


class SavedListForm(FlaskForm):
    """Save the people list's filter under a name (crm.contacts.saved_lists)."""

    name = StringField("Name", validators=[Length(max=120)], description="e.g. DROI members; unique, whatever its case")
    kind = SelectField("Kind", choices=[("live", "Live"), ("frozen", "Frozen")], default="live", validate_choice=False)
    query = HiddenField()
    submit = SubmitField("Save the list")


class RenameListForm(FlaskForm):
    name = StringField("Name", validators=[Length(max=120)])
    submit = SubmitField("Rename")
