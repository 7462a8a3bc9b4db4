"""My queue: what is overdue, mine first, and the buttons that work it from the row."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qsl, urlencode

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from crm.auth.access import role_required
from crm.auth.service import list_users
from crm.campaigns.service import campaign_choices
from crm.errors import InvalidInput, NotFound
from crm.extensions import db
from crm.outreach.blueprint import bp
from crm.outreach.models import Participant
from crm.outreach.my_queue import KINDS, ORDERS, WINDOWS, QueueFilter, my_queue
from crm.outreach.queue_forms import QueueRowForm, ReopenForm, SnoozeForm
from crm.outreach.service import follow_up_done
from crm.outreach.snoozes import get_queue_record, reopen_follow_up, snooze, wake
from crm.outreach.waiting_views import WAITING_UNDO_KEY
from crm.timeutil import today

# The session keeps the one follow-up last marked done, so the page can offer to undo it.
UNDO_KEY = "queue_undo"


@bp.route("/queue")
def my_queue_page():
    filters = QueueFilter.from_args(request.args)
    queue = my_queue(filters, user=current_user)
    as_of = today()
    staff = [(str(user.id), user.label) for user in list_users() if user.active and user.id != current_user.id]
    return render_template(
        "outreach/my_queue.html",
        queue=queue,
        filters=filters,
        owners=[("mine", "Mine"), ("all", "Everyone"), *staff],
        campaigns=campaign_choices(),
        kinds=KINDS,
        windows=WINDOWS,
        orders=ORDERS,
        back=urlencode(filters.args()),
        row_form=QueueRowForm(),
        next_week=as_of + timedelta(days=7),
        tomorrow=as_of + timedelta(days=1),
        today=as_of,
        undo=session.pop(UNDO_KEY, None),  # offered once, right after
        waiting_undo=session.pop(WAITING_UNDO_KEY, None),
    )


def _back(form: QueueRowForm):
    """Back to the queue as it was filtered: its arguments, checked again, never a URL from the form."""
    filters = QueueFilter.from_args(MultiDict(parse_qsl(form.back.data or "")))
    return redirect(url_for("outreach.my_queue_page", **filters.args()))


@bp.route("/queue/<source>/<int:record_id>/snooze", methods=["POST"])
@role_required("editor")
def queue_snooze(source: str, record_id: int):
    record = get_queue_record(source, record_id)
    form = SnoozeForm()
    if form.validate_on_submit():
        try:
            snooze(record, form.until.data, actor=current_user)
        except InvalidInput as error:
            db.session.rollback()
            _flash_errors(error)
            return _back(form)
        db.session.commit()
        flash(
            f"Snoozed until {form.until.data:%d %b %Y}: “{_subject(record)}” is back in the queue that day.", "success"
        )
    else:
        flash("Pick the day it should come back.", "danger")
    return _back(form)


@bp.route("/queue/<source>/<int:record_id>/wake", methods=["POST"])
@role_required("editor")
def queue_wake(source: str, record_id: int):
    record = get_queue_record(source, record_id)
    form = QueueRowForm()
    if form.validate_on_submit():
        wake(record, actor=current_user)
        db.session.commit()
        flash(f"“{_subject(record)}” is back in the queue.", "success")
    return _back(form)


@bp.route("/queue/<source>/<int:record_id>/done", methods=["POST"])
@role_required("editor")
def queue_done(source: str, record_id: int):
    record = _follow_up(source, record_id)
    form = QueueRowForm()
    if form.validate_on_submit() and record.follow_up_on is not None:
        session[UNDO_KEY] = {
            "source": source,
            "id": record_id,
            "on": record.follow_up_on.isoformat(),
            "subject": _subject(record),
        }
        follow_up_done(record, actor=current_user)
        db.session.commit()
        # No flash: the queue says so with its Undo, in one message.
    return _back(form)


@bp.route("/queue/<source>/<int:record_id>/reopen", methods=["POST"])
@role_required("editor")
def queue_reopen(source: str, record_id: int):
    record = _follow_up(source, record_id)
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            reopen_follow_up(record, form.follow_up_on.data, actor=current_user)
        except InvalidInput as error:
            db.session.rollback()
            _flash_errors(error)
            return _back(form)
        db.session.commit()
        session.pop(UNDO_KEY, None)
        flash(f"The follow-up of “{_subject(record)}” is open again.", "success")
    return _back(form)


def _follow_up(source: str, record_id: int):
    record = get_queue_record(source, record_id)
    if isinstance(record, Participant):  # an awaited reply is done when it is recorded, not from the queue
        raise NotFound("Only a follow-up is marked done from the queue; record the reply instead.")
    return record


def _flash_errors(error: InvalidInput) -> None:
    for messages in error.errors.values():
        for message in messages:
            flash(message, "danger")


def _subject(record) -> str:
    return record.subject if hasattr(record, "subject") else record.outreach.subject
