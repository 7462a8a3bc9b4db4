"""A campaign's targets and named supporters, from its page: add one by the type-ahead, take one off."""

from __future__ import annotations

from flask import flash, redirect, render_template
from flask_login import current_user

from crm.auth.access import role_required
from crm.campaigns import members, service
from crm.campaigns.blueprint import bp
from crm.campaigns.forms import MemberForm
from crm.campaigns.views import campaign_url
from crm.errors import DomainError
from crm.extensions import db
from crm.forms_support import ConfirmForm


def _members_anchor(role: str) -> str:
    return "targets" if role == "target" else "supporters"


def _say(message: str, kind: str, role: str) -> None:
    """Flashed for the card the page opens at: the message at the top of the page would be out of view."""
    flash(message, f"{kind}:{_members_anchor(role)}")


@bp.route("/<int:campaign_id>/members", methods=["POST"])
@role_required("editor")
def member_add(campaign_id: int):
    """One person, chosen with the type-ahead, added to the targets or the supporters."""
    campaign = service.get_campaign(campaign_id)
    form = MemberForm()
    role = form.role.data if form.role.data in ("target", "supporter") else "target"
    person_id = form.chosen_person_id()
    if not form.validate_on_submit() or person_id is None:
        _say("Type a name and choose the person from the list that opens.", "danger", role)
        return redirect(campaign_url(campaign.id, _members_anchor(role)))
    try:
        added = members.add_members(campaign, [person_id], role, actor=current_user, note=form.note.data or "")
    except DomainError as error:
        db.session.rollback()
        _say(error.one_line(), "danger", role)
        return redirect(campaign_url(campaign.id, _members_anchor(role)))
    db.session.commit()
    noun = members.role_noun(role)
    if added:
        _say(f"Added {added[0].person.display_name} to the {noun} of {campaign.name}.", "success", role)
    else:
        _say(f"{form.person_label.data} is among the {noun} already.", "info", role)
    return redirect(campaign_url(campaign.id, _members_anchor(role)))


@bp.route("/<int:campaign_id>/members/<int:member_id>/remove", methods=["GET", "POST"])
@role_required("editor")
def member_remove(campaign_id: int, member_id: int):
    campaign = service.get_campaign(campaign_id)
    member = members.get_member(campaign, member_id)
    noun, name, role = members.role_noun(member.role), member.person.display_name, member.role
    back = campaign_url(campaign.id, _members_anchor(member.role))
    form = ConfirmForm()
    if form.validate_on_submit():
        members.remove_member(campaign, member, actor=current_user)
        db.session.commit()
        _say(f"Took {name} off the {noun} of {campaign.name}; the campaign's history records it.", "success", role)
        return redirect(back)
    return render_template(
        "confirm.html",
        form=form,
        title=f"Take {name} off the {noun}?",
        message=f"{name} stays in the contacts and in the outreach of {campaign.name}; only their place among "
        f"its {noun} goes. The campaign's history keeps a record of it, and you can add them again.",
        cancel_url=back,
        button=f"Take off the {noun}",
    )
