"""Email in: log (drop) an email file, and work the triage list. Viewers read the list; editors act."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from crm.auth.access import role_required
from crm.campaigns.service import campaign_choices
from crm.errors import DomainError
from crm.extensions import db
from crm.forms_support import ConfirmForm
from crm.ids import optional_int
from crm.mailbox import triage
from crm.mailbox.blueprint import bp
from crm.mailbox.filing import Context, FilingResult, file_message
from crm.mailbox.forms import AttachForm, EmailFileForm
from crm.outreach.forms import parse_party
from crm.uploads import megabytes, read_bounded
from crm.values import same_site_path


def _landing(result: FilingResult, context: Context) -> str:
    if result.status == "triage" and result.triage_id:
        return url_for("mailbox.triage_detail", triage_message_id=result.triage_id)
    if result.outreach_id:
        return url_for("outreach.outreach_detail", outreach_id=result.outreach_id)
    if context.person_id:
        return url_for("contacts.person_detail", person_id=context.person_id)
    return url_for("mailbox.triage_list")


@bp.route("/log", methods=["GET", "POST"])
@role_required("editor")
def log_email():
    """The "Log an email" page; the drop zones on person and outreach pages post here too."""
    form = EmailFileForm()
    if form.validate_on_submit():
        context = Context(optional_int(form.person_id.data), optional_int(form.outreach_id.data))
        upload = form.email_file.data
        limit = current_app.config["MAILBOX_MAX_BYTES"]
        try:
            raw = read_bounded(upload.stream, limit, f"{upload.filename} is larger than {megabytes(limit)}.")
            result = file_message(
                raw, filename=upload.filename or "", origin="upload", actor=current_user, context=context
            )
        except DomainError as error:
            db.session.rollback()
            form.email_file.errors = [error.one_line()]
            back = same_site_path(request.form.get("back"))
            if back:  # dropped on a page: back to it
                flash(f"Not filed: {error.one_line()}", "danger")
                return redirect(back)
            return render_template("mailbox/log.html", form=form), 422
        flash(result.summary, "warning" if result.status == "triage" else "success")
        return redirect(_landing(result, context))
    return render_template("mailbox/log.html", form=form), 422 if form.errors else 200


@bp.route("/triage")
def triage_list():
    page = triage.triage_page(request.args.get("state", "open"))
    return render_template("mailbox/triage_list.html", page=page)


@bp.route("/triage/<int:triage_message_id>")
def triage_detail(triage_message_id: int):
    item = triage.get_triage(triage_message_id)
    form = AttachForm()
    form.campaign_id.choices = [("", "Campaign…"), *campaign_choices()]
    return render_template("mailbox/triage_detail.html", item=item, form=form, confirm_form=ConfirmForm())


def _act(triage_message_id: int, action) -> object:
    item = triage.get_triage(triage_message_id)
    back = url_for("mailbox.triage_detail", triage_message_id=item.id)
    if not ConfirmForm().validate_on_submit():
        flash("The form had expired: nothing was done. Please try again.", "danger")
        return redirect(back)
    try:
        result = action(item)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.one_line(), "danger")
        return redirect(back)
    except BaseException:
        db.session.rollback()
        raise
    if isinstance(result, FilingResult):
        flash(result.summary.replace("Put on the triage list", "Kept"), "success")
        if result.outreach_id:
            return redirect(url_for("outreach.outreach_detail", outreach_id=result.outreach_id))
    return redirect(back)


@bp.route("/triage/<int:triage_message_id>/attach", methods=["POST"])
@role_required("editor")
def triage_attach(triage_message_id: int):
    party = request.form.get("party", "")
    person_id = optional_int(party) or parse_party(party)[0]  # the people type-ahead gives a plain id
    outreach_id = optional_int(request.form.get("outreach_id", "").lstrip("#"))
    campaign_id = optional_int(request.form.get("campaign_id"))
    chosen = [value for value in (person_id, outreach_id, campaign_id) if value]
    if len(chosen) != 1:
        flash("Choose one: a person, an outreach entry or a campaign.", "danger")
        return redirect(url_for("mailbox.triage_detail", triage_message_id=triage_message_id))
    if person_id:
        return _act(triage_message_id, lambda item: triage.attach_to_person(item, person_id, actor=current_user))
    if outreach_id:
        return _act(triage_message_id, lambda item: triage.attach_to_outreach(item, outreach_id, actor=current_user))
    return _act(triage_message_id, lambda item: triage.attach_to_campaign(item, campaign_id, actor=current_user))


@bp.route("/triage/<int:triage_message_id>/create-sender", methods=["POST"])
@role_required("editor")
def triage_create_sender(triage_message_id: int):
    return _act(triage_message_id, lambda item: triage.create_sender(item, actor=current_user))


@bp.route("/triage/<int:triage_message_id>/<any(discard, restore):action>", methods=["POST"])
@role_required("editor")
def triage_state(triage_message_id: int, action: str):
    change = triage.discard if action == "discard" else triage.restore
    return _act(triage_message_id, lambda item: change(item, actor=current_user))
