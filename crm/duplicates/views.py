"""Duplicate list and merge screen: thin translations between the finder, the merge service and pages."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from crm.auth.access import role_required
from crm.contacts.people import get_person
from crm.duplicates import scan
from crm.duplicates.blueprint import bp
from crm.duplicates.distinct import mark_distinct, marked_pairs, unmark_distinct
from crm.duplicates.finder import find_duplicates, people_names
from crm.duplicates.forms import MergeForm, PairForm, ScanForm
from crm.duplicates.merge import merge_people
from crm.duplicates.preview import merge_preview
from crm.errors import DomainError, EditConflict
from crm.extensions import db
from crm.ids import db_int
from crm.jobs import JobStatus

LIST_LIMIT = 200  # the likeliest first; merging them brings the next ones up


@bp.route("/")
def duplicate_list():
    found = None
    if scan.inline():
        pairs = find_duplicates(db.session, limit=LIST_LIMIT)
    else:
        found = scan.latest()
        if found is None or found.stuck:
            found = scan.request_scan()
            db.session.commit()  # sends the job; when jobs run inline (tests), `found` reloads finished
        pairs = scan.live_pairs(found.pairs, LIST_LIMIT) if found.status == JobStatus.DONE else []
    names = people_names(db.session, {pair.a_id for pair in pairs} | {pair.b_id for pair in pairs})
    return render_template(
        "duplicates/duplicate_list.html",
        pairs=pairs,
        names=names,
        limit=LIST_LIMIT,
        scan=found,
        form=ScanForm(),
        pair_form=PairForm(),
    )


@bp.post("/scan")
@role_required("editor")
def look_again():
    if ScanForm().validate_on_submit() and not scan.inline():
        found = scan.latest()
        if found is None or found.status != JobStatus.RUNNING or found.stuck:
            scan.request_scan()
            db.session.commit()
    return redirect(url_for("duplicates.duplicate_list"))


@bp.route("/merge", methods=["GET", "POST"])
@role_required("editor")
def merge():
    keep_id, other_id = request.args.get("keep", type=db_int), request.args.get("other", type=db_int)
    if not keep_id or not other_id or keep_id == other_id:
        flash("Choose two different people to merge.", "warning")
        return redirect(url_for("duplicates.duplicate_list"))
    keep, other = get_person(keep_id), get_person(other_id)
    form = MergeForm()
    if form.validate_on_submit():
        versions = form.versions()
        if versions is None:  # without the versions seen, a change made meanwhile would go unnoticed
            flash("The page was incomplete: check the values again and merge.", "warning")
            return redirect(request.full_path)
        # Named before the merge, which may move its values to the kept person.
        merged_name = other.display_name or other.native_name or f"#{other.id}"
        try:
            merge_people(keep, other, form.choices(), actor=current_user, expected_versions=versions)
        except EditConflict:
            db.session.rollback()
            flash("One of the two was changed after you opened this page: check the values again.", "warning")
            return redirect(request.full_path)
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "danger")
            return redirect(request.full_path)
        db.session.commit()
        flash(
            f"Merged {merged_name} into {keep.display_name}; {merged_name} is archived "
            f"and can be restored from their page.",
            "success",
        )
        return redirect(url_for("contacts.person_detail", person_id=keep.id))
    preview = merge_preview(keep, other)
    if request.method == "GET":
        for choice in preview.fields:
            form[choice.name].data = choice.suggested
        form.keep_version.data, form.other_version.data = str(keep.version), str(other.version)
    return render_template("duplicates/merge.html", form=form, preview=preview)


@bp.route("/different")
def different_people():
    pairs, total = marked_pairs(LIST_LIMIT)
    names = people_names(db.session, {pair.low_id for pair in pairs} | {pair.high_id for pair in pairs})
    return render_template(
        "duplicates/different_people.html", pairs=pairs, total=total, names=names, form=PairForm(), limit=LIST_LIMIT
    )


@bp.post("/different")
@role_required("editor")
def mark_different():
    return _on_pair(mark_distinct, "duplicates.duplicate_list", _marked_message)


@bp.post("/different/undo")
@role_required("editor")
def unmark_different():
    return _on_pair(
        unmark_distinct,
        "duplicates.different_people",
        lambda a, b: f"#{a} and #{b} may be offered as duplicates again.",
    )


def _on_pair(action, back: str, message):
    """Mark or unmark the form's pair, then back to the list with what happened."""
    form = PairForm()
    if not form.validate_on_submit():
        flash("The page was out of date: try again.", "warning")
        return redirect(url_for(back))
    try:
        done = action(form.a.data, form.b.data, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for(back))
    db.session.commit()
    if done:
        flash(message(form.a.data, form.b.data), "success")
    return redirect(url_for(back))


def _marked_message(a_id: int, b_id: int) -> str:
    names = people_names(db.session, {a_id, b_id})
    return (
        f"{names.get(a_id)} (#{a_id}) and {names.get(b_id)} (#{b_id}) are marked as different people and will not "
        'be offered again; "Marked as different" lists them, with Undo.'
    )
