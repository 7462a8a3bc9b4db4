"""People screens: thin translations between forms and the person services."""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from crm.audit import service as audit
from crm.auth.access import role_required
from crm.campaigns.members import person_campaigns
from crm.contacts import people as service
from crm.contacts.blueprint import bp
from crm.contacts.forms import PeopleFilterForm, PersonForm
from crm.contacts.models import SavedList
from crm.contacts.people import SharedEmail
from crm.contacts.person_page import get_person_page
from crm.contacts.saved_lists import all_lists
from crm.contacts.search import (
    PEOPLE_SORTS,
    PeopleFilter,
    chosen_organisations,
    lookup_people,
    political_groups,
    role_titles,
    search_people,
)
from crm.duplicates.lookalikes import Lookalike, likely_matches
from crm.duplicates.suggestions import suggest_people
from crm.errors import DomainError, EditConflict
from crm.extensions import db
from crm.forms_support import ConfirmForm, apply_errors
from crm.ids import db_int
from crm.outreach.history import person_history
from crm.sections import PER_PAGE, page_of
from crm.selections.history import actions_on
from crm.selections.state import selection_state
from crm.taxonomy.service import all_tags, categories
from crm.values import country_choices


@bp.route("/people")
def person_list():
    form = PeopleFilterForm(request.args)
    form.category_id.choices = [("", "Any category")] + [(c.id, c.name) for c in categories()]
    form.country.choices = [("", "Any country")] + country_choices()
    form.political_group_id.choices = [("", "Any political group")] + political_groups()
    form.tag_id.choices = [("", "Any tag")] + [(tag.id, tag.name) for tag in all_tags()]
    form.sort.choices = [(key, label) for key, (label, _) in PEOPLE_SORTS.items()]
    saved_lists = all_lists()
    form.list_id.choices = [("", "Any saved list")] + [(saved.id, saved.name) for saved in saved_lists]
    filters = PeopleFilter.from_args(request.args)
    page = search_people(
        filters, page=request.args.get("page", 1, type=db_int), per_page=current_app.config["PEOPLE_PER_PAGE"]
    )
    # Nothing found for a name: the people it may be misspelt from, as the duplicate finder sees names.
    suggestions = suggest_people(filters.q) if filters.q and not page.total and page.page == 1 else []
    selection = selection_state(current_user.id, "people", [p.id for p in page.items], page.total, request.args)
    chosen = chosen_organisations(filters.organisations)
    organisation = chosen[0] if len(chosen) == 1 else None
    on_typed = (request.args.get("on") or "").strip()
    return render_template(
        "contacts/person_list.html",
        form=form,
        page=page,
        filters=filters,
        organisation=organisation,
        suggestions=suggestions,
        selection=selection,
        chosen_organisations=chosen,
        saved_lists=saved_lists,
        saved_list=db.session.get(SavedList, filters.list_id) if filters.list_id else None,
        # "the targets of “Free Mukhtar Dzhakishev”": a campaign page links here; no box of the form sets it.
        in_campaign=(
            PeopleFilter(in_campaign=filters.in_campaign, campaign_role=filters.campaign_role).describe()
            if filters.in_campaign
            else ""
        ),
        on_error=(
            f"“{on_typed[:40]}” is not a date (write it as 2018-06-01): showing the roles held today."
            if on_typed and filters.on is None
            else ""
        ),
    )


@bp.route("/people/role-titles")
def role_title_lookup():
    """Type-ahead JSON for the people filter's role title: [{id, label}], the title as both."""
    return jsonify([{"id": title, "label": title} for title in role_titles(request.args.get("q", "")[:100])])


@bp.route("/people/lookup")
def person_lookup():
    """Type-ahead JSON: [{id, label, detail, url, suggested}]; `suggested` items are the
    "Did you mean" guesses, given only when nothing matches what was typed."""
    query = request.args.get("q", "")[:100]
    people, suggested = lookup_people(query), False
    if not people:
        people, suggested = suggest_people(query), True
    return jsonify(
        [
            {
                "id": p.id,
                "label": p.display_name + (f" ({p.other_script_name})" if p.other_script_name else ""),
                "detail": ", ".join(r.organisation.short_name or r.organisation.name for r in p.current_roles[:3]),
                "url": url_for("contacts.person_detail", person_id=p.id),
                "suggested": suggested,
            }
            for p in people
        ]
    )


@bp.route("/people/new", methods=["GET", "POST"])
@role_required("editor")
def person_new():
    form = PersonForm().prepare()
    if form.validate_on_submit():
        data = form.to_data()
        try:
            lookalikes = likely_matches(data, ruled_out=form.ruled_out())
            if lookalikes:
                return _lookalikes(form, lookalikes)
            person = service.create_person(data, actor=current_user, allow_shared_email=form.allow_shared_email.data)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
            return render_template(
                "contacts/person_form.html", form=form, person=None, shared=isinstance(error, SharedEmail)
            ), 422
        db.session.commit()
        flash(f"Added {person.display_name}.", "success")
        if request.form.get("next_action") == "another":
            return redirect(url_for("contacts.person_new"))
        return redirect(url_for("contacts.person_detail", person_id=person.id))
    return render_template("contacts/person_form.html", form=form, person=None, shared=False)


def _lookalikes(form: PersonForm, lookalikes: list[Lookalike]):
    """Nothing saved yet: the people this may be, with everything typed kept, and a button to
    say it is someone else. Asked before the shared-email question, which may follow."""
    form.rule_out(lookalike.person.id for lookalike in lookalikes)
    return render_template(
        "contacts/person_form.html",
        form=form,
        person=None,
        shared=form.allow_shared_email.data,
        lookalikes=lookalikes,
        next_action=request.form.get("next_action", "view"),
    )


@bp.route("/people/<int:person_id>")
def person_detail(person_id: int):
    person = get_person_page(person_id)
    return render_template(
        "contacts/person_detail.html",
        person=person,
        history=audit.history_page("person", person.id, page_of(request.args, "history_page"), PER_PAGE),
        bulk_actions=actions_on("people", person.id),
        outreach=person_history(
            person.id, page_of(request.args, "outreach_page"), page_of(request.args, "replies_page")
        ),
        confirm_form=ConfirmForm(),
        campaigns=person_campaigns(person.id),
    )


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@role_required("editor")
def person_edit(person_id: int):
    person = service.get_person(person_id)
    form = PersonForm().prepare()
    if request.method == "GET":
        form.load(person)
    elif form.validate_on_submit():
        try:
            expected = int(form.version.data or 0)
            service.update_person(
                person,
                form.to_data(),
                actor=current_user,
                expected_version=expected,
                allow_shared_email=form.allow_shared_email.data,
            )
        except EditConflict as conflict:
            db.session.rollback()
            return _conflict(form, conflict)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
            return render_template(
                "contacts/person_form.html", form=form, person=person, shared=isinstance(error, SharedEmail)
            ), 422
        db.session.commit()
        flash(f"Saved {person.display_name}.", "success")
        return redirect(url_for("contacts.person_detail", person_id=person.id))
    return render_template("contacts/person_form.html", form=form, person=person, shared=False)


def _conflict(form: PersonForm, conflict: EditConflict):
    """Show what the other person changed, with the user's edit ready to review and save again."""
    person = service.get_person(conflict.record.id)
    changes = audit.history("person", person.id, since_version=conflict.expected_version)
    form.version.data = str(person.version)
    return (
        render_template(
            "contacts/person_form.html",
            form=form,
            person=person,
            shared=False,
            conflict=changes,
            current=service.snapshot(person),
        ),
        409,
    )


@bp.route("/people/<int:person_id>/archive", methods=["GET", "POST"])
@role_required("editor")
def person_archive(person_id: int):
    person = service.get_person(person_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        service.set_archived(person, True, actor=current_user)
        db.session.commit()
        flash(f"Archived {person.display_name}. They are hidden from lists; restore them from their page.", "success")
        return redirect(url_for("contacts.person_detail", person_id=person.id))
    return render_template(
        "confirm.html",
        form=form,
        title=f"Archive {person.display_name}?",
        message="Archived people are hidden from lists and searches but nothing is deleted; you can restore them at any time.",
        cancel_url=url_for("contacts.person_detail", person_id=person.id),
        button="Archive",
    )


@bp.route("/people/<int:person_id>/restore", methods=["POST"])
@role_required("editor")
def person_restore(person_id: int):
    person = service.get_person(person_id)
    if ConfirmForm().validate_on_submit():
        service.set_archived(person, False, actor=current_user)
        db.session.commit()
        flash(f"Restored {person.display_name}.", "success")
    return redirect(url_for("contacts.person_detail", person_id=person.id))
