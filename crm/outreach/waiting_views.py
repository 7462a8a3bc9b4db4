"""Stop waiting for one recipient's reply, from my queue, the awaiting queue or the entry's page; undo once."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import flash, redirect, session, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from crm.auth.access import role_required
from crm.errors import InvalidInput
from crm.extensions import db
from crm.ids import db_int
from crm.outreach.blueprint import bp
from crm.outreach.my_queue import QueueFilter
from crm.outreach.queue_forms import WaitingForm
from crm.outreach.waiting import get_participant, resume_waiting, stop_waiting

# The session keeps the one recipient last given up on, so the next page can offer to undo it.
WAITING_UNDO_KEY = "waiting_undo"


@bp.route("/recipients/<int:participant_id>/stop-waiting", methods=["POST"])
@role_required("editor")
def participant_stop_waiting(participant_id: int):
    participant = get_participant(participant_id)
    form = WaitingForm()
    if form.validate_on_submit():
        try:
            stop_waiting(participant, actor=current_user)
        except InvalidInput as error:
            db.session.rollback()
            _flash_errors(error)
            return _back(form, participant.outreach_id)
        db.session.commit()
        session[WAITING_UNDO_KEY] = {
            "id": participant.id,
            "name": participant.party_name,
            "subject": participant.outreach.subject,
        }
        # No flash: the next page says so with its Undo, in one message.
    return _back(form, participant.outreach_id)


@bp.route("/recipients/<int:participant_id>/wait-again", methods=["POST"])
@role_required("editor")
def participant_wait_again(participant_id: int):
    participant = get_participant(participant_id)
    form = WaitingForm()
    if form.validate_on_submit():
        try:
            resume_waiting(participant, actor=current_user)
        except InvalidInput as error:
            db.session.rollback()
            _flash_errors(error)
            return _back(form, participant.outreach_id)
        db.session.commit()
        session.pop(WAITING_UNDO_KEY, None)
        flash(f"Waiting for a reply from {participant.party_name} again.", "success")
    return _back(form, participant.outreach_id)


def _back(form: WaitingForm, outreach_id: int):
    """To the page the button was on, as it was filtered: its arguments checked again, never a URL from the form."""
    args = MultiDict(parse_qsl(form.back.data or ""))
    if form.page.data == "queue":
        return redirect(url_for("outreach.my_queue_page", **QueueFilter.from_args(args).args()))
    if form.page.data == "awaiting":
        campaign_id = args.get("campaign_id", type=db_int)
        return redirect(url_for("outreach.awaiting_queue", **({"campaign_id": campaign_id} if campaign_id else {})))
    return redirect(url_for("outreach.outreach_detail", outreach_id=outreach_id))


def _flash_errors(error: InvalidInput) -> None:
    for messages in error.errors.values():
        for message in messages:
            flash(message, "danger")
