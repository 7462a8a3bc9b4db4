"""Email screens: compose (with preview), the list of emails sent, one email's progress and failures."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from crm import jobs
from crm.auth.access import role_required
from crm.campaigns.service import campaign_choices
from crm.errors import DomainError
from crm.extensions import db
from crm.forms_support import apply_errors
from crm.ids import optional_int
from crm.mailing import service
from crm.mailing.audience import MAX_RECIPIENTS, pickable_people
from crm.mailing.blueprint import bp
from crm.mailing.forms import ComposeForm, RetryForm
from crm.mailing.messages import MAIL_FIELDS
from crm.mailing.models import MailingStatus, RecipientStatus
from crm.mailing.sending import progress_key
from crm.mailing.transport import transport_name
from crm.selections.service import selected_in_order


def _data(form: ComposeForm) -> service.ComposeData:
    return service.ComposeData(
        source=form.source(campaign_people=False),
        subject=form.subject.data or "",
        body=form.body.data or "",
        campaign_id=form.campaign_id.data,
        skip_no_salutation=bool(form.skip_no_salutation.data),
    )


@bp.route("/compose", methods=["GET", "POST"])
@role_required("editor")
def compose():
    form = ComposeForm()
    form.campaign_id.choices = [("", "No campaign")] + campaign_choices()
    form.person_ids.choices = pickable_people()
    if request.method == "GET":
        form.prefill(request)
        if request.args.get("selection") == "people":  # the people list's selection bar
            form.person_ids.data = selected_in_order(current_user.id, "people", MAX_RECIPIENTS + 1)
    form.keep_chosen()
    preview, status = None, 200
    data = _data(form)
    if form.validate_on_submit():
        try:
            if request.form.get("action") == "send":
                mailing = service.start_mailing(data, actor=current_user)
                db.session.commit()  # the sending job starts now
                flash(f"Sending “{mailing.outreach.subject}” to {len(mailing.recipients)} people.", "success")
                return redirect(url_for("mailing.mailing_detail", mailing_id=mailing.id))
            preview = service.preview(data, form.preview_person_id.data)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
            status = 422
    elif form.errors:
        status = 422
    audience = preview.audience if preview else service.audience(data)
    form.preview_person_id.choices = [
        (r.person.id, f"{r.person.display_name} <{r.address}>") for r in audience.included
    ]
    return render_template(
        "mailing/compose.html",
        form=form,
        preview=preview,
        audience=audience,
        source=data.source,
        fields=MAIL_FIELDS,
        outbox=transport_name() == "outbox",
        per_minute=current_app.config["MAIL_PER_MINUTE"],
    ), status


@bp.route("/")
def mailing_list():
    return render_template("mailing/list.html", mailings=service.recent_mailings())


@bp.route("/<int:mailing_id>")
def mailing_detail(mailing_id: int):
    mailing = service.get_mailing(mailing_id)
    counts = service.status_counts(mailing.id)
    sending = mailing.status == MailingStatus.SENDING
    return render_template(
        "mailing/detail.html",
        mailing=mailing,
        counts=counts,
        total=sum(counts.values()),
        done=jobs.progress(progress_key(mailing.id)) if sending else None,
        sending=sending,
        failed=[r for r in mailing.recipients if r.status == RecipientStatus.FAILED],
        retry_form=RetryForm(),
        statuses=RecipientStatus,
    )


@bp.route("/<int:mailing_id>/retry", methods=["POST"])
@role_required("editor")
def mailing_retry(mailing_id: int):
    mailing = service.get_mailing(mailing_id)
    form = RetryForm()
    if form.validate_on_submit():
        try:
            count = service.retry(mailing, optional_int(form.recipient_id.data), actor=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(f"Trying {count} {'message' if count == 1 else 'messages'} again.", "success")
    return redirect(url_for("mailing.mailing_detail", mailing_id=mailing.id))
