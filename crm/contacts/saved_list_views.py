"""Saved lists screens: the team's lists with their counts, one list's page, save, rename, delete."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from crm.auth.access import role_required
from crm.contacts import saved_lists as service
from crm.contacts.blueprint import bp
from crm.contacts.forms import RenameListForm, SavedListForm
from crm.contacts.models import Person
from crm.contacts.search import PeopleFilter
from crm.errors import Conflict, DomainError
from crm.extensions import db
from crm.forms_support import ConfirmForm, apply_errors
from crm.privacy.erasure import erased_condition


def _people_args(saved) -> dict[str, list[str]]:
    """The people list's query arguments that show a list's people (also what exports and outreach take)."""
    args: dict[str, list[str]] = {}
    for key, value in service.people_filter(saved).as_args():
        args.setdefault(key, []).append(value)
    return args


@bp.route("/lists")
def saved_list_index():
    lists = service.all_lists()
    return render_template(
        "contacts/saved_lists.html",
        lists=[(saved, service.count_people(saved), service.describe_source(saved)) for saved in lists],
        people_args=_people_args,
    )


@bp.route("/lists/new", methods=["GET", "POST"])
@role_required("editor")
def saved_list_new():
    form = SavedListForm()
    if request.method == "GET":
        form.query.data = PeopleFilter.from_args(request.args).query_string()
    filters = PeopleFilter.from_query_string(form.query.data or "")
    if form.validate_on_submit():
        try:
            saved = service.create_list(form.name.data, form.kind.data, filters, actor=current_user)
            db.session.commit()
        except (DomainError, IntegrityError) as error:
            db.session.rollback()
            apply_errors(form, _same_moment(error))
        else:
            count = service.count_people(saved)
            flash(f"Saved “{saved.name}” ({'frozen' if saved.frozen else 'live'}): {_people(count)}.", "success")
            return redirect(url_for("contacts.saved_list_detail", saved_list_id=saved.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "contacts/saved_list_new.html",
        form=form,
        filters=filters,
        count=service.count_matching(filters),
        kind_labels=service.KIND_LABELS,
    ), status


@bp.route("/lists/<int:saved_list_id>")
def saved_list_detail(saved_list_id: int):
    saved = service.get_list(saved_list_id)
    state = service.frozen_state(saved) if saved.frozen else None
    erased: set[int] = set()
    if state and state.archived:
        ids = [person.id for person in state.archived]
        erased = set(db.session.scalars(select(Person.id).where(Person.id.in_(ids), erased_condition(Person.id))))
    args = _people_args(saved)
    return render_template(
        "contacts/saved_list_detail.html",
        saved=saved,
        source=service.describe_source(saved),
        count=service.count_people(saved),
        state=state,
        erased=erased,
        people_args=args,
        query_string=urlencode(args, doseq=True),
        used_by=service.lists_using(saved),
    )


@bp.route("/lists/<int:saved_list_id>/rename", methods=["GET", "POST"])
@role_required("editor")
def saved_list_rename(saved_list_id: int):
    saved = service.get_list(saved_list_id)
    form = RenameListForm()
    if request.method == "GET":
        form.name.data = saved.name
    elif form.validate_on_submit():
        before = saved.name
        try:
            service.rename_list(saved, form.name.data, actor=current_user)
            db.session.commit()
        except (DomainError, IntegrityError) as error:
            db.session.rollback()
            apply_errors(form, _same_moment(error))
        else:
            flash(f"Renamed “{before}” to “{saved.name}”.", "success")
            return redirect(url_for("contacts.saved_list_detail", saved_list_id=saved.id))
    status = 422 if request.method == "POST" else 200
    return render_template("contacts/saved_list_rename.html", form=form, saved=saved), status


@bp.route("/lists/<int:saved_list_id>/delete", methods=["GET", "POST"])
@role_required("editor")
def saved_list_delete(saved_list_id: int):
    saved = service.get_list(saved_list_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = saved.name
        service.delete_list(saved, actor=current_user)
        db.session.commit()
        flash(f"Deleted the saved list “{name}”. Nobody in it was changed.", "success")
        return redirect(url_for("contacts.saved_list_index"))
    message = "The list goes for everyone on the team; the people in it stay as they are."
    used_by = service.lists_using(saved)
    if used_by:
        names = ", ".join(f"“{other.name}”" for other in used_by)
        message += (
            f" The live {'list' if len(used_by) == 1 else 'lists'} {names}, made from it, will then match nobody."
        )
    return render_template(
        "confirm.html",
        form=form,
        title=f"Delete the saved list “{saved.name}”?",
        message=message,
        cancel_url=url_for("contacts.saved_list_detail", saved_list_id=saved.id),
        button="Delete the list",
    )


def _same_moment(error: Exception) -> DomainError:
    """A name a colleague gave a list at the same moment (the unique index, past the service's check)."""
    if isinstance(error, DomainError):
        return error
    return Conflict("A colleague saved a list of that name a moment ago: choose another name.", "name")


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"
