"""Letters screens: the templates (upload, download, delete), write letters (choose, preview, merge), and one
merge's result (downloads, who was left out, log it as outreach)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from crm import jobs
from crm.auth.access import role_required
from crm.campaigns.service import campaign_choices
from crm.errors import DomainError
from crm.extensions import db
from crm.forms_support import ConfirmForm, apply_errors
from crm.letters import service, storage, templates
from crm.letters.audience import MAX_LETTERS, pickable_people
from crm.letters.blueprint import bp
from crm.letters.fields import LETTER_FIELDS
from crm.letters.forms import TemplateUploadForm, WriteForm
from crm.letters.models import MergeStatus
from crm.selections.service import selected_in_order

DOWNLOADS = {
    "zip": (storage.ZIP_NAME, "application/zip", "letters.zip"),
    "docx": (
        storage.COMBINED_NAME,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "all-letters.docx",
    ),
    "pdf": (storage.PDF_NAME, "application/pdf", "all-letters.pdf"),
}


def _upload_form() -> TemplateUploadForm:
    form = TemplateUploadForm()
    form.campaign_id.choices = [("", "Every campaign")] + campaign_choices()
    return form


@bp.route("/")
def index():
    return render_template(
        "letters/index.html",
        templates=templates.list_templates(),
        merges=service.recent_merges(),
        upload_form=_upload_form(),
        confirm_form=ConfirmForm(),
        fields=LETTER_FIELDS,
    )


@bp.route("/templates", methods=["POST"])
@role_required("editor")
def template_upload():
    form = _upload_form()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            template = templates.upload_template(
                form.name.data, upload.filename, upload.stream, campaign_id=form.campaign_id.data, actor=current_user
            )
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            flash(f"Template “{template.name}” added.", "success")
            return redirect(url_for("letters.index"))
    return render_template(
        "letters/index.html",
        templates=templates.list_templates(),
        merges=service.recent_merges(),
        upload_form=form,
        confirm_form=ConfirmForm(),
        fields=LETTER_FIELDS,
    ), 422


@bp.route("/templates/sample", methods=["POST"])
@role_required("editor")
def template_sample():
    if ConfirmForm().validate_on_submit():
        try:
            template = templates.add_sample_template(actor=current_user)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash(error.one_line(), "danger")
        else:
            flash(f"Template “{template.name}” added: download it, make it yours in Word, upload it again.", "success")
    return redirect(url_for("letters.index"))


@bp.route("/templates/<int:letter_template_id>/file")
def template_download(letter_template_id: int):
    template = templates.get_template(letter_template_id)
    path = storage.template_path(template.stored_name)
    if not path.exists():
        abort(404)
    return send_file(path, mimetype=DOWNLOADS["docx"][1], as_attachment=True, download_name=template.filename)


@bp.route("/templates/<int:letter_template_id>/delete", methods=["GET", "POST"])
@role_required("admin")
def template_delete(letter_template_id: int):
    template = templates.get_template(letter_template_id)
    form = ConfirmForm()
    if request.method == "GET":
        return render_template("letters/template_delete.html", template=template, form=form)
    if form.validate_on_submit():
        name = template.name
        stored_name = templates.delete_template(template, actor=current_user)
        db.session.commit()
        storage.template_path(stored_name).unlink(missing_ok=True)
        flash(f"Template “{name}” deleted.", "success")
    return redirect(url_for("letters.index"))


def _request(form: WriteForm) -> service.MergeRequest:
    source = form.source(campaign_people=True)  # so the page can say "To: the campaign's people" before a preview
    return service.MergeRequest(
        source=source,
        letter_date=form.letter_date.data,
        fallback_language=form.fallback_language.data or "en",
        campaign_id=form.campaign_id.data,
        log=bool(form.log.data),
        sender=current_user.name or current_user.email,
    )


@bp.route("/write", methods=["GET", "POST"])
@role_required("editor")
def write():
    form = WriteForm()
    form.campaign_id.choices = [("", "No campaign")] + campaign_choices()
    form.person_ids.choices = pickable_people()
    if request.method == "GET":
        form.prefill(request)
        if request.args.get("selection") == "people":  # the people list's selection bar
            form.person_ids.data = selected_in_order(current_user.id, "people", MAX_LETTERS + 1)
    form.keep_chosen()
    campaign_id = form.campaign_id.data
    form.template_id.choices = [(t.id, t.name) for t in templates.list_templates(campaign_id)]
    audience, status = None, 200
    if form.validate_on_submit():
        try:
            template = service.MergeTemplate.stored(templates.get_template(form.template_id.data or 0))
            if request.form.get("action") == "merge":
                merge = service.start_merge(_request(form), template, actor=current_user)
                db.session.commit()  # a big merge's job starts now
                return redirect(url_for("letters.merge_detail", letter_merge_id=merge.id))
            audience = service.preview(_request(form), template)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
            status = 422
    elif form.errors:
        status = 422
    return render_template(
        "letters/write.html", form=form, audience=audience, source=_request(form).source, fields=LETTER_FIELDS
    ), status


@bp.route("/merges/<int:letter_merge_id>")
def merge_detail(letter_merge_id: int):
    merge = service.get_merge(letter_merge_id)
    running = merge.status == MergeStatus.RUNNING
    return render_template(
        "letters/merge.html",
        merge=merge,
        left_out=service.left_out(merge),
        running=running,
        done=jobs.progress(service.progress_key(merge.id)) if running else None,
        confirm_form=ConfirmForm(),
        files=bool(merge.stored_name) and merge.status == MergeStatus.DONE,
    )


@bp.route("/merges/<int:letter_merge_id>/<any(zip, docx, pdf):output>")
def merge_download(letter_merge_id: int, output: str):
    merge = service.get_merge(letter_merge_id)
    stored, mimetype, download_name = DOWNLOADS[output]
    path = storage.merge_folder(merge.stored_name) / stored if merge.stored_name else None
    if merge.status != MergeStatus.DONE or path is None or not path.exists():
        note = merge.pdf_note if output == "pdf" and merge.status == MergeStatus.DONE and merge.stored_name else ""
        flash(note or "The files of these letters are not there (not merged yet, or no longer kept).", "warning")
        return redirect(url_for("letters.merge_detail", letter_merge_id=merge.id))
    return send_file(path, mimetype=mimetype, as_attachment=True, download_name=f"merge-{merge.id}-{download_name}")


@bp.route("/merges/<int:letter_merge_id>/log", methods=["POST"])
@role_required("editor")
def merge_log(letter_merge_id: int):
    merge = service.get_merge(letter_merge_id)
    if ConfirmForm().validate_on_submit():
        try:
            service.log_merge(merge, actor=current_user)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash(error.one_line(), "danger")
        else:
            flash(f"Logged as outreach #{merge.outreach_id}, each recipient with their letter.", "success")
    return redirect(url_for("letters.merge_detail", letter_merge_id=letter_merge_id))
