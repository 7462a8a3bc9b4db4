"""Admin screens for the salutations: list, add, edit, delete."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from crm.auth.access import role_required
from crm.errors import DomainError
from crm.extensions import db
from crm.forms_support import ConfirmForm, apply_errors
from crm.ids import optional_int
from crm.salutations import service
from crm.salutations.blueprint import bp
from crm.salutations.forms import SalutationForm
from crm.taxonomy.service import categories
from crm.values import language_names


@bp.route("/")
@role_required("admin")
def salutation_list():
    return render_template(
        "salutations/list.html",
        salutations=service.list_salutations(),
        labels=service.HONORIFIC_LABELS,
    )


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:salutation_id>/edit", methods=["GET", "POST"])
@role_required("admin")
def salutation_edit(salutation_id: int | None = None):
    salutation = service.get_salutation(salutation_id) if salutation_id else None
    form = SalutationForm(obj=salutation)
    form.category_id.choices = [("", "Any category")] + [(str(c.id), c.name) for c in categories()]
    if salutation is not None and not form.is_submitted():
        form.category_id.data = str(salutation.category_id or "")
    if form.validate_on_submit():
        data = service.SalutationData(
            language=form.language.data or "",
            honorific=form.honorific.data or "",
            text=form.text.data or "",
            category_id=optional_int(form.category_id.data),
        )
        try:
            saved = service.save_salutation(data, actor=current_user, salutation=salutation)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(f"Saved “{saved.text}” ({saved.language}).", "success")
            return redirect(url_for("salutations.salutation_list"))
    status = 422 if form.errors else 200
    return render_template("salutations/edit.html", form=form, salutation=salutation), status


@bp.route("/<int:salutation_id>/delete", methods=["GET", "POST"])
@role_required("admin")
def salutation_delete(salutation_id: int):
    salutation = service.get_salutation(salutation_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        service.delete_salutation(salutation, actor=current_user)
        db.session.commit()
        flash("Salutation deleted.", "success")
        return redirect(url_for("salutations.salutation_list"))
    return render_template(
        "confirm.html",
        form=form,
        title=f"Delete the salutation “{salutation.text}” ({language_names(salutation.language)})?",
        message="People of that language and honorific are then flagged before an email is sent to them.",
        cancel_url=url_for("salutations.salutation_list"),
        button="Delete",
    )
