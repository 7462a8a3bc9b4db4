"""Forms for campaigns, their asks and milestones, and their translation into service data."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)

# Required fields are the service's call (one message for web, CLI and import),
# so the forms only bound lengths.
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from crm.auth.service import list_users
from crm.campaigns.models import ASK_STATUSES, CAMPAIGN_STATUSES
from crm.campaigns.service import AskData, CampaignData, MilestoneData
from crm.ids import coerce_optional_id, optional_int


class CampaignForm(FlaskForm):
    name = StringField("Name", validators=[Length(max=200)], description="e.g. Free Mukhtar Dzhakishev")
    status = SelectField("Status", choices=list(CAMPAIGN_STATUSES.items()), default="active")
    subject_person_id = HiddenField()
    subject_label = StringField(
        "Subject",
        validators=[Length(max=300)],
        description="Who the case is about, often the prisoner. Type to find them; add them as a person first if they are new.",
    )
    # Checkboxes rather than a <select multiple>: nobody has to know about Ctrl-click.
    owner_ids = SelectMultipleField(
        "Owners",
        coerce=int,
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        description="Staff who look after this campaign.",
    )
    description = TextAreaField(
        "Description",
        validators=[Length(max=20000)],
        render_kw={"rows": 8},
        description="The case in a few paragraphs: what happened, what we ask, the sources.",
    )
    version = HiddenField()
    submit = SubmitField("Save")

    def prepare(self, campaign=None) -> CampaignForm:
        self.owner_ids.choices = owner_choices(campaign)
        return self

    def load(self, campaign) -> None:
        """Fill the form from a campaign (on GET)."""
        self.process(obj=campaign)
        self.subject_person_id.data = str(campaign.subject_person_id or "")
        self.subject_label.data = campaign.subject.display_name if campaign.subject else ""
        self.owner_ids.data = [user.id for user in campaign.owners]
        self.version.data = str(campaign.version)

    def validate_subject_label(self, field) -> None:
        # The type-ahead fills the hidden id; typed text alone would silently save no subject.
        if (field.data or "").strip() and not coerce_optional_id(self.subject_person_id.data):
            raise ValidationError(
                "Choose the person from the suggestions as you type (add them first if they are new)."
            )

    def to_data(self) -> CampaignData:
        return CampaignData(
            name=self.name.data or "",
            status=self.status.data,
            description=self.description.data or "",
            subject_person_id=coerce_optional_id(self.subject_person_id.data) if self.subject_label.data else None,
            owner_ids=list(self.owner_ids.data or []),
        )


def owner_choices(campaign=None) -> list[tuple[int, str]]:
    # Disabled accounts are offered only while they still own the campaign, so they can be removed.
    current = {user.id for user in campaign.owners} if campaign else set()
    return [
        (user.id, user.label + ("" if user.active else " (disabled)"))
        for user in list_users()
        if user.active or user.id in current
    ]


class OwnersForm(FlaskForm):
    """The owners alone, set from the campaign's page."""

    owner_ids = SelectMultipleField(
        "Owners",
        coerce=int,
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    submit = SubmitField("Save owners")

    def prepare(self, campaign) -> OwnersForm:
        self.owner_ids.choices = owner_choices(campaign)
        if not self.is_submitted():
            self.owner_ids.data = [user.id for user in campaign.owners]
        return self


class AskForm(FlaskForm):
    title = StringField("What we ask", validators=[Length(max=300)], description="e.g. MEPs write to the Commission")
    of_whom = StringField("Of whom", validators=[Length(max=300)], description="e.g. MEPs of the AFET committee")
    status = SelectField("Status", choices=list(ASK_STATUSES.items()), default="open")
    note = TextAreaField("Note", validators=[Length(max=20000)], render_kw={"rows": 4})
    submit = SubmitField("Save ask")

    def to_data(self) -> AskData:
        return AskData(
            title=self.title.data or "",
            of_whom=self.of_whom.data or "",
            status=self.status.data,
            note=self.note.data or "",
        )


class MilestoneForm(FlaskForm):
    on = DateField("Date", validators=[Optional()])
    title = StringField(
        "What happens", validators=[Length(max=300)], description="Arrest, verdict, hearing, UN decision …"
    )
    description = TextAreaField("Description", validators=[Length(max=20000)], render_kw={"rows": 5})
    url = StringField("Link", validators=[Length(max=500)], description="A source or the event page (https://…)")
    submit = SubmitField("Save milestone")

    def to_data(self) -> MilestoneData:
        return MilestoneData(
            on=self.on.data,
            title=self.title.data or "",
            description=self.description.data or "",
            url=self.url.data or "",
        )


class MemberForm(FlaskForm):
    """One person added to the campaign's targets or supporters from its page, by the type-ahead."""

    person_id = HiddenField()
    person_label = StringField("Person", validators=[Length(max=200)])
    role = HiddenField()
    note = StringField("Note", validators=[Length(max=300)])

    def chosen_person_id(self) -> int | None:
        return optional_int(self.person_id.data) if (self.person_label.data or "").strip() else None
