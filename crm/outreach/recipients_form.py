"""The fields that say whom to write to (crm.outreach.recipients), shared by the email and letters forms."""

from __future__ import annotations

from flask import Request
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField
from wtforms.validators import Optional

from crm.ids import coerce_optional_id, optional_int
from crm.outreach.recipients import PeopleSource, names_of
from crm.outreach.service import get_outreach


class RecipientsForm(FlaskForm):
    people_filter = HiddenField()  # the people list's query string
    outreach_id = HiddenField()
    person_ids = SelectMultipleField(
        "People picked by hand", coerce=int, validate_choice=False, validators=[Optional()]
    )
    campaign_id = SelectField("Campaign", coerce=coerce_optional_id, validate_choice=False)

    def prefill(self, request: Request) -> None:
        """From the link that opened the page: a people list's filter, an outreach entry, a campaign, people."""
        self.people_filter.data = request.args.get("people", "")[:2000]
        outreach_id = optional_int(request.args.get("outreach_id"))
        self.outreach_id.data = str(outreach_id or "")
        campaign_id = optional_int(request.args.get("campaign_id"))
        if outreach_id and campaign_id is None:
            campaign_id = get_outreach(outreach_id).campaign_id
        self.campaign_id.data = campaign_id
        self.person_ids.data = [i for i in map(optional_int, request.args.getlist("person_id")) if i]

    def keep_chosen(self) -> None:
        """People chosen elsewhere (a selection on the people list) who are not on the pick list, having
        no address, stay chosen as options of their own: the audience then says why they are left out."""
        offered = {value for value, _ in self.person_ids.choices}
        missing = [i for i in self.person_ids.data or [] if i not in offered]
        if missing:
            self.person_ids.choices = list(self.person_ids.choices) + names_of(missing)

    def source(self, *, campaign_people: bool) -> PeopleSource:
        """`campaign_people`: with nothing else chosen, the campaign's people (letters do; an email does not)."""
        return PeopleSource(
            people_filter=self.people_filter.data or "",
            outreach_id=optional_int(self.outreach_id.data),
            person_ids=list(self.person_ids.data or []),
            campaign_id=self.campaign_id.data if campaign_people else None,
        )
