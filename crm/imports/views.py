"""The import wizard: upload → sheet → mapping → preview → confirm → progress → result (→ undo)."""

from __future__ import annotations

import shutil

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from crm.auth.access import role_required
from crm.errors import DomainError
from crm.extensions import db
from crm.forms_support import apply_errors
from crm.imports import error_file, previews, retention, runs, stages
from crm.imports.blueprint import bp
from crm.imports.forms import ConfirmImportForm, MappingForm, SheetForm, UndoForm, UploadForm
from crm.imports.models import ON_DUPLICATE, ImportRun, ImportStatus
from crm.imports.read import UnreadableFile
from crm.imports.results import RowStatus
from crm.imports.undo import UndoRefused, find_conflicts, undo_import
from crm.sections import page_of
from crm.taxonomy.service import categories

PROBLEMS_PER_PAGE = 200  # rows not imported on the result page, each page


def _editable(run_id: int) -> ImportRun | None:
    """The run while its choices may still change; None once it has been started."""
    run = runs.get_run(run_id)
    return run if run.status == ImportStatus.UPLOADED else None


@bp.route("/", methods=["GET", "POST"])
@role_required("editor")
def import_index():
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            run, sheet_names = runs.accept_upload(
                upload.stream, upload.filename, actor=current_user, max_bytes=current_app.config["IMPORT_MAX_BYTES"]
            )
        except UnreadableFile as error:
            db.session.rollback()
            form.file.errors = [str(error)]
        else:
            db.session.commit()
            if len(sheet_names) > 1:
                return redirect(url_for("imports.import_sheet", run_id=run.id))
            return redirect(url_for("imports.import_mapping", run_id=run.id))
    status = 422 if form.errors else 200
    return render_template("imports/index.html", form=form, runs=runs.history()), status


@bp.route("/<int:run_id>/sheet", methods=["GET", "POST"])
@role_required("editor")
def import_sheet(run_id: int):
    run = _editable(run_id)
    if run is None:
        return redirect(url_for("imports.import_detail", run_id=run_id))
    form = SheetForm()
    form.sheet.choices = [(name, name) for name in stages.sheet_names(runs.stored_path(run))]
    if form.validate_on_submit():
        run.sheet = form.sheet.data
        run.mapping = {}
        db.session.commit()
        return redirect(url_for("imports.import_mapping", run_id=run.id))
    return render_template("imports/sheet.html", run=run, form=form)


@bp.route("/<int:run_id>/mapping", methods=["GET", "POST"])
@role_required("editor")
def import_mapping(run_id: int):
    run = _editable(run_id)
    if run is None:
        return redirect(url_for("imports.import_detail", run_id=run_id))
    try:
        inspection = stages.inspect(runs.stored_path(run), run.sheet, preset=request.args.get("preset") or run.preset)
    except UnreadableFile as error:
        flash(str(error), "danger")
        return redirect(url_for("imports.import_index"))
    form = MappingForm()
    form.prepare(inspection.labels, stages.preset_choices(), [(c.name, c.name) for c in categories()])
    if request.method == "GET":
        # The person's earlier choice stands, unless they just picked a preset to apply.
        keep = run.mapping and "preset" not in request.args
        chosen = {int(k): v for k, v in run.mapping.items()} if keep else inspection.mapping
        for index, entry in enumerate(form.columns):
            entry.data = chosen.get(index, "")
        form.preset.data = inspection.preset_name or ""
        form.on_duplicate.data = run.on_duplicate
        defaults = run.defaults or {}
        form.category.data = defaults.get("category", "")
        form.tags.data = defaults.get("tags", "")
        form.source.data = defaults.get("source", "")
    elif form.validate_on_submit():
        try:
            stages.save_choices(run, _choices(form, inspection.labels))
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            return redirect(url_for("imports.import_preview", run_id=run.id))
    return render_template("imports/mapping.html", run=run, form=form, inspection=inspection)


def _choices(form: MappingForm, labels: list[str]) -> stages.MappingChoices:
    return stages.MappingChoices(
        mapping=form.mapping(),
        labels=labels,
        preset=form.preset.data or None,
        on_duplicate=form.on_duplicate.data,
        category=form.category.data or "",
        tags=form.tags.data or "",
        source=form.source.data or "",
        save_as=form.save_as.data or None,
    )


@bp.route("/<int:run_id>/preview", methods=["GET", "POST"])
@role_required("editor")
def import_preview(run_id: int):
    run = _editable(run_id)
    if run is None:
        return redirect(url_for("imports.import_detail", run_id=run_id))
    form = ConfirmImportForm()
    if form.validate_on_submit():
        run.overrides = {
            key.removeprefix("row-"): value
            for key, value in request.form.items()
            if key.startswith("row-") and key[4:].isdigit() and value in ON_DUPLICATE
        }
        if request.form.get("recount"):  # without JavaScript: the decisions kept, the button's count follows
            db.session.commit()
            return redirect(url_for("imports.import_preview", run_id=run.id, _anchor="decisions"))
        run_id = runs.queue(run)
        db.session.commit()
        runs.enqueue(run_id)
        return redirect(url_for("imports.import_detail", run_id=run_id))
    preview = previews.summary(run)
    if preview is None:
        previews.start(run)
        db.session.commit()
        preview = previews.summary(run)  # ready at once when jobs run inline
    if preview is None:
        return render_template("imports/preview_wait.html", run=run, done=previews.progress(run))
    if "error" in preview:
        flash(preview["error"], "danger")
        return redirect(url_for("imports.import_mapping", run_id=run_id))
    decisions = run.overrides or {}  # saved by "Recount": what each possible duplicate will be
    return render_template(
        "imports/preview.html",
        run=run,
        preview=preview,
        form=form,
        actions=ON_DUPLICATE,
        decisions=decisions,
        decided_rows=[int(row) for row, action in decisions.items() if action != "skip"],
    )


@bp.route("/<int:run_id>/preview/progress")
@role_required("editor")
def import_preview_progress(run_id: int):
    run = runs.get_run(run_id)
    return jsonify(ready=previews.summary(run) is not None, rows_done=previews.progress(run))


@bp.route("/<int:run_id>")
@role_required("editor")
def import_detail(run_id: int):
    run = runs.get_run(run_id)
    if run.status == ImportStatus.UPLOADED:
        return redirect(url_for("imports.import_mapping", run_id=run.id))
    return render_template(
        "imports/detail.html",
        run=run,
        rows_done=runs.rows_done(run),
        can_retry=runs.can_retry(run),
        files_gone=None if run.files_kept else _files_gone(run),
        problems=error_file.problems_page(
            run, (RowStatus.REJECTED, RowStatus.SKIPPED), page_of(request.args, "problems_page"), PROBLEMS_PER_PAGE
        ),
        warned=error_file.problems(run, statuses=(RowStatus.CREATED, RowStatus.UPDATED), limit=200),
    )


def _files_gone(run: ImportRun) -> str:
    return (
        f"The uploaded file and the rows not imported, as they were, are no longer kept: they were removed on "
        f"{run.files_removed_at:%d %B %Y}, {retention.retention_days()} days after the import ended."
    )


@bp.route("/<int:run_id>/progress")
@role_required("editor")
def import_progress(run_id: int):
    run = runs.get_run(run_id)
    done = runs.rows_done(run)
    percent = 100 if run.finished else int(100 * done / run.rows_total) if run.rows_total else 0
    return jsonify(status=run.status, rows_done=done, rows_total=run.rows_total, percent=min(percent, 100))


@bp.route("/<int:run_id>/retry", methods=["POST"])
@role_required("editor")
def import_retry(run_id: int):
    """Import a failed run's file again (its worker died, say): it wrote nothing the first time."""
    run = runs.get_run(run_id)
    try:
        runs.retry(run)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "warning")
    else:
        db.session.commit()
        flash(f"Import #{run_id} is queued again.", "info")
    return redirect(url_for("imports.import_detail", run_id=run_id))


@bp.route("/<int:run_id>/errors.xlsx")
@role_required("editor")
def import_errors(run_id: int):
    run = runs.get_run(run_id)
    if not run.rejected:
        abort(404)
    if not run.files_kept:
        flash(_files_gone(run), "warning")
        return redirect(url_for("imports.import_detail", run_id=run_id))
    path = error_file.write(run)
    return send_file(path, as_attachment=True, download_name=f"import-{run.id}-errors.xlsx")


@bp.route("/<int:run_id>/undo", methods=["GET", "POST"])
@role_required("editor")
def import_undo(run_id: int):
    run = runs.get_run(run_id)
    form = UndoForm()
    conflicts = find_conflicts(run) if run.status == ImportStatus.DONE else None
    if form.validate_on_submit():
        try:
            undo_import(run, actor=current_user, keep_conflicting=form.keep_conflicting.data)
        except UndoRefused as error:
            db.session.rollback()
            flash(str(error), "warning")
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(f"Import #{run_id}: {run.message}", "success")
            return redirect(url_for("imports.import_detail", run_id=run_id))
    return render_template("imports/undo.html", run=run, form=form, conflicts=conflicts)


@bp.route("/<int:run_id>/discard", methods=["POST"])
@role_required("editor")
def import_discard(run_id: int):
    """Drop an upload that was never imported: the file goes, nothing else existed."""
    run = _editable(run_id)
    if run is None:
        flash("This import has started; undo it instead.", "warning")
        return redirect(url_for("imports.import_detail", run_id=run_id))
    folder, file_name = runs.stored_path(run).parent, run.file_name
    db.session.delete(run)
    db.session.commit()
    shutil.rmtree(folder, ignore_errors=True)
    flash(f"Discarded the upload of {file_name}.", "info")
    return redirect(url_for("imports.import_index"))
