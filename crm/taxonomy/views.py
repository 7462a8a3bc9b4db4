"""Admin screens for categories, organisation types and tags."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from crm.auth.access import role_required
from crm.errors import DomainError
from crm.extensions import db
from crm.forms_support import ConfirmForm, apply_errors
from crm.taxonomy import service
from crm.taxonomy.blueprint import bp
from crm.taxonomy.forms import ItemForm


def _kind(kind: str) -> str:
    if kind not in service.KINDS:
        abort(404)
    return kind


@bp.route("/")
@role_required("admin")
def index():
    return render_template(
        "taxonomy/index.html",
        categories=[(c, service.usage_count("categories", c)) for c in service.categories()],
        types=[(t, service.usage_count("organisation-types", t)) for t in service.organisation_types()],
        tags=service.tags_with_counts(),
        outreach_kinds=[(k, service.usage_count("outreach-kinds", k)) for k in service.outreach_kinds()],
        outcomes=[(o, service.usage_count("outcomes", o)) for o in service.outcomes()],
    )


@bp.route("/<kind>/new", methods=["GET", "POST"])
@bp.route("/<kind>/<int:item_id>/edit", methods=["GET", "POST"])
@role_required("admin")
def edit(kind: str, item_id: int | None = None):
    title, _ = service.KINDS[_kind(kind)]
    item = service.get_item(kind, item_id) if item_id else None
    form = ItemForm(obj=item)
    if form.validate_on_submit():
        try:
            saved = service.save_item(
                kind,
                form.name.data or "",
                actor=current_user,
                item_id=item_id,
                description=form.description.data or "",
                reply_after_days=form.reply_after_days.data,
                effect=form.effect.data or None,
            )
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(f"Saved “{saved.name}”.", "success")
            return redirect(url_for("taxonomy.index"))
    return render_template("taxonomy/edit.html", form=form, item=item, kind=kind, title=title)


@bp.route("/<kind>/<int:item_id>/delete", methods=["GET", "POST"])
@role_required("admin")
def delete(kind: str, item_id: int):
    title, _ = service.KINDS[_kind(kind)]
    item = service.get_item(kind, item_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            name = service.delete_item(kind, item_id, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(f"Deleted “{name}”.", "success")
        return redirect(url_for("taxonomy.index"))
    return render_template(
        "confirm.html",
        form=form,
        title=f"Delete “{item.name}” from {title.lower()}?",
        message="Only unused entries can be deleted; the deletion is recorded in the audit log.",
        cancel_url=url_for("taxonomy.index"),
        button="Delete",
    )
