from __future__ import annotations

from flask import flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from crm.agenda.feed_tokens import feed_state
from crm.agenda.forms import CalendarFeedForm
from crm.auth import service as users
from crm.auth import sessions
from crm.auth.access import role_required
from crm.auth.blueprint import bp
from crm.auth.forms import ChangePasswordForm, EditUserForm, LoginForm, NewUserForm, RemindersForm, TimeZoneForm
from crm.errors import DomainError, InvalidInput
from crm.extensions import db
from crm.forms_support import apply_errors
from crm.timeutil import local_zone, zone_names
from crm.values import same_site_path


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an attacker's link must not bounce a login elsewhere.
    return same_site_path(target) or url_for("home.dashboard")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in; crm.auth.throttle limits the attempts that fail."""
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = users.authenticate(form.email.data, form.password.data)
        if user is None:
            db.session.commit()  # the failed attempt's audit entry
            flash("That email and password do not match an active account.", "danger")
        else:
            _sign_in(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


def _sign_in(user, *, remember: bool) -> None:
    sessions.open_session(user, remember=remember)
    db.session.commit()
    # A new CSRF token for the signed-in session: one planted in the browser before does not carry over.
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)  # Flask-WTF's copy for this request
    login_user(user, remember=remember)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    users.sign_out(current_user)
    db.session.commit()
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
            user, remember = current_user._get_current_object(), sessions.remembered(current_user.session_token)
            users.set_password(user, form.password.data, actor=user)
            _sign_in(user, remember=remember)  # this browser stays signed in; every other one is out
            flash("Your password is changed. Any other browser signed in to your account is signed out.", "success")
            return redirect(url_for("home.dashboard"))
    return account_page(form)


def account_page(
    form: ChangePasswordForm | None = None,
    reminders: RemindersForm | None = None,
    *,
    time_zone: TimeZoneForm | None = None,
    calendar_form: CalendarFeedForm | None = None,
    new_feed_url: str | None = None,
):
    """The account page: password, reminders, time zone, calendar feed. The calendar's section is the agenda's."""
    user = current_user._get_current_object()
    calendar = feed_state(user)
    time_zone = time_zone or TimeZoneForm(formdata=None, time_zone=local_zone().key)
    time_zone.time_zone.choices = zone_names()
    return render_template(
        "auth/change_password.html",
        form=form or ChangePasswordForm(formdata=None),
        reminders=reminders or RemindersForm(formdata=None, email_digest=user.email_digest),
        time_zone=time_zone,
        calendar=calendar,
        calendar_form=calendar_form or CalendarFeedForm(formdata=None, all_campaigns=calendar.all_campaigns),
        new_feed_url=new_feed_url,
    )


@bp.route("/account/reminders", methods=["POST"])
@login_required
def email_reminders():
    form = RemindersForm()
    if form.validate_on_submit():
        users.set_email_digest(current_user._get_current_object(), bool(form.email_digest.data), actor=current_user)
        db.session.commit()
        flash("The daily digest is " + ("on." if form.email_digest.data else "off."), "success")
        return redirect(url_for("auth.change_password"))
    return account_page(reminders=form), 400


@bp.route("/account/time-zone", methods=["POST"])
@login_required
def time_zone():
    form = TimeZoneForm()
    if form.validate_on_submit():
        try:
            users.set_time_zone(current_user._get_current_object(), form.time_zone.data, actor=current_user)
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(f"Times are shown and entered in {form.time_zone.data}.", "success")
            return redirect(url_for("auth.change_password"))
    return account_page(time_zone=form), 400


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
        myself = user.id == current_user.id
        remember = myself and sessions.remembered(current_user.session_token)
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
            if myself and user.active:
                _sign_in(user, remember=remember)  # a new role or password ends sign-ins, not this one
            flash(f"Saved {user.email}.", "success")
            return redirect(url_for("auth.user_list"))
    return render_template("auth/user_form.html", form=form, user=user)
