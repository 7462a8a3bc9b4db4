"""Data protection screens, admins only: a person's subject access zip, erasing a person (one, or
several from the retention review), and the retention review with its spreadsheet."""

from __future__ import annotations

import io

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from crm.auth.access import role_required
from crm.contacts.people import get_person
from crm.errors import DomainError
from crm.extensions import db
from crm.forms_support import ConfirmForm, apply_errors
from crm.ids import db_int
from crm.privacy import erasure, retention
from crm.privacy.blueprint import bp
from crm.privacy.forms import BulkEraseForm, EraseForm
from crm.privacy.subject_access import gather, record_subject_access
from crm.privacy.subject_access_files import zip_bytes
from crm.spreadsheets.formats import MIMETYPE as XLSX_MIMETYPE
from crm.spreadsheets.xlsx_stream import write_xlsx
from crm.timeutil import today

MAX_SELECTED = 500  # people erased or archived in one go: a page of the review, with room to spare


def _private(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/people/<int:person_id>/subject-access.zip")
@role_required("admin")
def subject_access(person_id: int):
    data = zip_bytes(gather(person_id))
    record_subject_access(person_id, "zip", actor=current_user, via="web")
    db.session.commit()
    name = f"subject-access-{person_id}-{today().isoformat()}.zip"
    return _private(send_file(io.BytesIO(data), mimetype="application/zip", as_attachment=True, download_name=name))


@bp.route("/people/<int:person_id>/erase", methods=["GET", "POST"])
@role_required("admin")
def erase(person_id: int):
    back = url_for("contacts.person_detail", person_id=person_id)
    if erasure.is_erased(person_id):
        get_person(person_id)  # 404 for an unknown id
        flash(f"Person #{person_id} was erased already.", "info")
        return redirect(back)
    form = EraseForm()
    if form.validate_on_submit():
        try:
            done = erasure.erase_person(person_id, form.reason.data, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
            return render_template("privacy/erase.html", form=form, preview=erasure.preview(person_id), back=back), 422
        db.session.commit()
        erasure.remove_files(done)
        flash(f"Person #{person_id} is erased. Their participation still counts in the campaign figures.", "success")
        return redirect(back)
    status = 422 if form.errors else 200
    return render_template("privacy/erase.html", form=form, preview=erasure.preview(person_id), back=back), status


def _years() -> int:
    years = request.values.get("years", retention.configured_years(), type=db_int)
    return min(max(years, 1), 100)


def _review_url() -> str:
    archived = "1" if request.values.get("archived") == "1" else None
    return url_for("privacy.retention_review", years=_years(), archived=archived)


def _selected_ids() -> list[int]:
    ids = []
    for value in request.form.getlist("person_id")[:MAX_SELECTED]:
        try:
            ids.append(db_int(value))
        except ValueError:
            continue
    return list(dict.fromkeys(ids))


@bp.route("/retention")
@role_required("admin")
def retention_review():
    years, include_archived = _years(), request.args.get("archived") == "1"
    page = retention.retention_page(
        years, include_archived=include_archived, page=request.args.get("page", 1, type=db_int)
    )
    return render_template(
        "privacy/retention.html", page=page, years=years, include_archived=include_archived, form=ConfirmForm()
    )


@bp.route("/retention.xlsx")
@role_required("admin")
def retention_xlsx():
    buffer = io.BytesIO()
    write_xlsx(retention.retention_table(_years(), include_archived=request.args.get("archived") == "1"), buffer)
    buffer.seek(0)
    name = f"retention-review-{today().isoformat()}.xlsx"
    return _private(send_file(buffer, mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=name))


@bp.route("/retention/archive", methods=["GET", "POST"])
@role_required("admin")
def retention_archive():
    if request.method == "GET":  # the people come from the review's ticked boxes
        return redirect(_review_url())
    ids = _selected_ids()
    if not ConfirmForm().validate_on_submit():
        flash("The form had expired: nothing was archived. Please try again.", "danger")
    elif not ids:
        flash("Tick the people to archive first.", "info")
    else:
        archived = retention.archive_people(ids, actor=current_user)
        db.session.commit()
        flash(f"Archived {archived} {'person' if archived == 1 else 'people'}.", "success")
    return redirect(_review_url())


@bp.route("/retention/erase", methods=["GET", "POST"])
@role_required("admin")
def retention_erase():
    """From the review: first the confirmation page (one reason for all), then the erasure."""
    if request.method == "GET":  # the people come from the review's ticked boxes
        return redirect(_review_url())
    ids = _selected_ids()
    if not ids:
        flash("Tick the people to erase first.", "info")
        return redirect(_review_url())
    confirming = request.form.get("step") == "confirm"
    form = BulkEraseForm() if confirming else BulkEraseForm(formdata=None)
    if confirming and form.validate_on_submit():
        try:
            done = [erasure.erase_person(person_id, form.reason.data, actor=current_user) for person_id in ids]
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            for each in done:
                erasure.remove_files(each)
            flash(f"Erased {len(done)} {'person' if len(done) == 1 else 'people'}.", "success")
            return redirect(_review_url())
    people = [erasure.preview(person_id).person for person_id in ids]
    status = 422 if form.errors else 200
    return render_template(
        "privacy/erase_many.html", form=form, people=people, years=_years(), back=_review_url()
    ), status
