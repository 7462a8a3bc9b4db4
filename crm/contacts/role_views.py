"""Adding, editing, ending and deleting a person's roles."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from crm.auth.access import role_required
from crm.contacts import roles as service
from crm.contacts.blueprint import bp
from crm.contacts.forms import RoleForm
from crm.contacts.organisations import get_organisation
from crm.contacts.people import get_person
from crm.errors import DomainError
from crm.extensions import db
from crm.forms_support import ConfirmForm, apply_errors
from crm.ids import db_int


def _person_url(person_id: int) -> str:
    return url_for("contacts.person_detail", person_id=person_id) + "#roles"


@bp.route("/people/<int:person_id>/roles/new", methods=["GET", "POST"])
@role_required("editor")
def role_new(person_id: int):
    person = get_person(person_id)
    form = RoleForm()
    if request.method == "GET" and request.args.get("organisation_id", type=db_int):
        organisation = get_organisation(request.args.get("organisation_id", type=db_int))
        form.organisation_id.data, form.organisation_label.data = str(organisation.id), organisation.name
    if form.validate_on_submit():
        try:
            role = service.add_role(person, form.to_data(), actor=current_user)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
            return render_template("contacts/role_form.html", form=form, person=person, role=None), 422
        db.session.commit()
        flash(f"Added the role at {role.organisation.name}.", "success")
        if request.form.get("next_action") == "another":
            return redirect(url_for("contacts.role_new", person_id=person.id))
        return redirect(_person_url(person.id))
    return render_template("contacts/role_form.html", form=form, person=person, role=None)


@bp.route("/people/<int:person_id>/roles/<int:role_id>/edit", methods=["GET", "POST"])
@role_required("editor")
def role_edit(person_id: int, role_id: int):
    person = get_person(person_id)
    role = service.get_role(person, role_id)
    form = RoleForm(obj=role)
    if request.method == "GET":
        form.organisation_id.data, form.organisation_label.data = str(role.organisation_id), role.organisation.name
    if form.validate_on_submit():
        try:
            service.update_role(person, role, form.to_data(), actor=current_user)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
            return render_template("contacts/role_form.html", form=form, person=person, role=role), 422
        db.session.commit()
        flash("Role saved.", "success")
        return redirect(_person_url(person.id))
    return render_template("contacts/role_form.html", form=form, person=person, role=role)


@bp.route("/people/<int:person_id>/roles/<int:role_id>/delete", methods=["GET", "POST"])
@role_required("editor")
def role_delete(person_id: int, role_id: int):
    person = get_person(person_id)
    role = service.get_role(person, role_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        service.delete_role(person, role, actor=current_user)
        db.session.commit()
        flash("Role deleted; the person's history records it.", "success")
        return redirect(_person_url(person.id))
    return render_template(
        "confirm.html",
        form=form,
        title=f"Delete this role of {person.display_name}?",
        message=(
            f"“{role.title or 'Role'}” at {role.organisation.name}. Delete only roles entered by mistake: "
            "a role that ended should get an end date, so the history stays."
        ),
        cancel_url=_person_url(person.id),
        button="Delete role",
    )
