from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from crm.auth import service as users
from crm.auth.access import role_required
from crm.auth.blueprint import bp
from crm.auth.forms import ChangePasswordForm, EditUserForm, LoginForm, NewUserForm
from crm.errors import DomainError, InvalidInput
from crm.extensions import db
from crm.forms_support import apply_errors


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an attacker's link must not bounce a login elsewhere.
    if target and urlsplit(target).netloc == "" and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("home.dashboard")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = users.authenticate(form.email.data, form.password.data)
        if user is None:
            flash("That email and password do not match an active account.", "danger")
        else:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append("That is not your current password.")
        else:
            users.set_password(current_user, form.password.data, actor=current_user)
            db.session.commit()
            flash("Your password is changed.", "success")
            return redirect(url_for("home.dashboard"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/admin/users")
@role_required("admin")
def user_list():
    return render_template("auth/user_list.html", users=users.list_users())


@bp.route("/admin/users/new", methods=["GET", "POST"])
@role_required("admin")
def user_new():
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = users.create_user(
                form.email.data, form.password.data, role=form.role.data, name=form.name.data or "", actor=current_user
            )
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(f"Account created for {user.email}.", "success")
            return redirect(url_for("auth.user_list"))
    return render_template("auth/user_form.html", form=form, user=None)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@role_required("admin")
def user_edit(user_id: int):
    user = users.get_user(user_id)
    form = EditUserForm(obj=user)
    if form.validate_on_submit():
        try:
            users.update_user(
                user, role=form.role.data, active=form.active.data, name=form.name.data or "", actor=current_user
            )
            if form.password.data:
                users.set_password(user, form.password.data, actor=current_user)
        except (DomainError, InvalidInput) as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(f"Saved {user.email}.", "success")
            return redirect(url_for("auth.user_list"))
    return render_template("auth/user_form.html", form=form, user=user)
