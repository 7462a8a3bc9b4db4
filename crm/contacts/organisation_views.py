"""Organisation screens."""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from crm.audit import service as audit
from crm.auth.access import role_required
from crm.contacts import organisations as service
from crm.contacts.blueprint import bp
from crm.contacts.forms import OrganisationFilterForm, OrganisationForm
from crm.contacts.search import ORGANISATION_SORTS, OrganisationFilter, lookup_organisations, search_organisations
from crm.errors import DomainError, EditConflict
from crm.extensions import db
from crm.forms_support import ConfirmForm, apply_errors
from crm.ids import db_int
from crm.outreach.history import organisation_history
from crm.sections import PER_PAGE, page_of
from crm.selections.history import actions_on
from crm.selections.state import selection_state
from crm.taxonomy.service import all_tags, organisation_types
from crm.values import country_choices


@bp.route("/organisations")
def organisation_list():
    form = OrganisationFilterForm(request.args)
    form.type_id.choices = [("", "Any type")] + [(t.id, t.name) for t in organisation_types()]
    form.country.choices = [("", "Any country")] + country_choices()
    form.tag_id.choices = [("", "Any tag")] + [(tag.id, tag.name) for tag in all_tags()]
    form.sort.choices = [(key, label) for key, (label, _) in ORGANISATION_SORTS.items()]
    filters = OrganisationFilter(
        q=(form.q.data or "").strip()[:200],
        type_id=form.type_id.data,
        country=form.country.data or None,
        tag_id=form.tag_id.data,
        archived=form.archived.data or "active",
        sort=form.sort.data or "name",
    )
    page = search_organisations(
        filters, page=request.args.get("page", 1, type=db_int), per_page=current_app.config["PEOPLE_PER_PAGE"]
    )
    selection = selection_state(current_user.id, "organisations", [o.id for o in page.items], page.total, request.args)
    return render_template("contacts/organisation_list.html", form=form, page=page, selection=selection)


@bp.route("/organisations/lookup")
def organisation_lookup():
    organisations = lookup_organisations(request.args.get("q", "")[:100])
    return jsonify(
        [
            {
                "id": o.id,
                "label": o.display_name,
                "detail": o.type.name if o.type else "",
                "url": url_for("contacts.organisation_detail", organisation_id=o.id),
            }
            for o in organisations
        ]
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
@role_required("editor")
def organisation_new():
    form = OrganisationForm().prepare()
    if form.validate_on_submit():
        try:
            organisation = service.create_organisation(form.to_data(), actor=current_user)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
            return render_template("contacts/organisation_form.html", form=form, organisation=None), 422
        db.session.commit()
        flash(f"Added {organisation.name}.", "success")
        return redirect(url_for("contacts.organisation_detail", organisation_id=organisation.id))
    return render_template("contacts/organisation_form.html", form=form, organisation=None)


@bp.route("/organisations/<int:organisation_id>")
def organisation_detail(organisation_id: int):
    organisation = service.get_organisation(organisation_id)
    current, past = service.members(organisation)
    return render_template(
        "contacts/organisation_detail.html",
        organisation=organisation,
        current_members=current,
        past_members=past,
        history=audit.history_page("organisation", organisation.id, page_of(request.args, "history_page"), PER_PAGE),
        bulk_actions=actions_on("organisations", organisation.id),
        outreach=organisation_history(
            organisation.id, page_of(request.args, "outreach_page"), page_of(request.args, "replies_page")
        ),
        confirm_form=ConfirmForm(),
    )


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@role_required("editor")
def organisation_edit(organisation_id: int):
    organisation = service.get_organisation(organisation_id)
    form = OrganisationForm().prepare()
    if request.method == "GET":
        form.load(organisation)
    elif form.validate_on_submit():
        try:
            service.update_organisation(
                organisation, form.to_data(), actor=current_user, expected_version=int(form.version.data or 0)
            )
        except EditConflict as conflict:
            db.session.rollback()
            organisation = service.get_organisation(organisation_id)
            form.version.data = str(organisation.version)
            changes = audit.history("organisation", organisation.id, since_version=conflict.expected_version)
            return render_template(
                "contacts/organisation_form.html",
                form=form,
                organisation=organisation,
                conflict=changes,
                current=service.snapshot(organisation),
            ), 409
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
            return render_template("contacts/organisation_form.html", form=form, organisation=organisation), 422
        db.session.commit()
        flash(f"Saved {organisation.name}.", "success")
        return redirect(url_for("contacts.organisation_detail", organisation_id=organisation.id))
    return render_template("contacts/organisation_form.html", form=form, organisation=organisation)


@bp.route("/organisations/<int:organisation_id>/archive", methods=["GET", "POST"])
@role_required("editor")
def organisation_archive(organisation_id: int):
    organisation = service.get_organisation(organisation_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        service.set_archived(organisation, True, actor=current_user)
        db.session.commit()
        flash(f"Archived {organisation.name}. Its members' roles are kept.", "success")
        return redirect(url_for("contacts.organisation_detail", organisation_id=organisation.id))
    return render_template(
        "confirm.html",
        form=form,
        title=f"Archive {organisation.name}?",
        message="Archived organisations are hidden from lists and cannot get new roles; nothing is deleted and you can restore it.",
        cancel_url=url_for("contacts.organisation_detail", organisation_id=organisation.id),
        button="Archive",
    )


@bp.route("/organisations/<int:organisation_id>/restore", methods=["POST"])
@role_required("editor")
def organisation_restore(organisation_id: int):
    organisation = service.get_organisation(organisation_id)
    if ConfirmForm().validate_on_submit():
        service.set_archived(organisation, False, actor=current_user)
        db.session.commit()
        flash(f"Restored {organisation.name}.", "success")
    return redirect(url_for("contacts.organisation_detail", organisation_id=organisation.id))
