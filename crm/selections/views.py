"""The selection bar's endpoints (tick, select all that match, clear), the export of a selection, and
the bulk actions with their result page and undo.

Ticking only changes the user's own selection, so viewers may select (and export) too: the three
endpoints are self-service in crm.auth.access. Tag, untag, archive, add to a campaign and undo need an
editor."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Response, flash, jsonify, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from crm.auth.access import role_required
from crm.campaigns.service import campaign_choice_groups
from crm.contacts.search import OrganisationFilter, PeopleFilter
from crm.errors import DomainError
from crm.exports import service as exports
from crm.exports.views import MIMETYPES
from crm.extensions import db
from crm.forms_support import apply_errors
from crm.ids import optional_int
from crm.outreach.search import OutreachFilter
from crm.selections import bulk
from crm.selections import service as selection
from crm.selections.blueprint import bp
from crm.selections.forms import BackForm, CampaignMembersForm, TagForm, UntagForm
from crm.timeutil import today

# Outreach entries carry no tags and are closed rather than archived: their selection is for exporting.
LIST_PAGES = {
    "people": "contacts.person_list",
    "organisations": "contacts.organisation_list",
    "outreach": "outreach.outreach_list",
}
# Every record of the list, archived ones included: the selection, not the list's default, says who.
EVERYONE = {
    "people": PeopleFilter(archived="all"),
    "organisations": OrganisationFilter(archived="all"),
    "outreach": OutreachFilter(),
}


def _back(list_name: str, back: str | None = None) -> str:
    """The list the user came from: its endpoint and their query string (never a URL from outside)."""
    query = (back if back is not None else request.values.get("back", ""))[:2000]
    url = url_for(LIST_PAGES[list_name])
    return f"{url}?{query}" if query else url


def _ids(name: str) -> list[int]:
    return [i for i in map(optional_int, request.form.getlist(name)) if i]


def _answer(list_name: str):
    """JSON for the page's script (the bar's new count), a redirect back for a form posted without it."""
    db.session.commit()
    count = selection.count(current_user.id, list_name)
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"count": count, "label": f"{count} selected"})
    return redirect(_back(list_name))


@bp.route("/<any(people, organisations, outreach):list_name>/update", methods=["POST"])
def update(list_name: str):
    """The rows `shown` on a page become ticked or not as their boxes `selected` say."""
    selection.list_kind(list_name)
    shown, ticked = _ids("shown"), set(_ids("selected"))
    selection.select_items(current_user.id, list_name, [i for i in shown if i in ticked])
    selection.unselect_items(current_user.id, list_name, [i for i in shown if i not in ticked])
    return _answer(list_name)


@bp.route("/<any(people, organisations, outreach):list_name>/all", methods=["POST"])
def select_all(list_name: str):
    """Everything the list matches, on every page."""
    selection.list_kind(list_name)
    args = MultiDict(parse_qsl(request.form.get("back", "")[:2000]))
    added = selection.select_matching(current_user.id, list_name, args)
    flash(f"Added {selection.list_kind(list_name).noun(added)} to your selection.", "success")
    return _answer(list_name)


@bp.route("/<any(people, organisations, outreach):list_name>/clear", methods=["POST"])
def clear(list_name: str):
    selection.list_kind(list_name)
    selection.clear(current_user.id, list_name)
    return _answer(list_name)


def _export(list_name: str, fmt: str) -> Response:
    selection.list_kind(list_name)
    chosen = selection.selected_ids(current_user.id, list_name)
    chunks = exports.stream(
        list_name,
        fmt,
        actor=current_user._get_current_object(),
        filters=EVERYONE[list_name],
        within=chosen,
        selected=selection.count(current_user.id, list_name),
    )

    def committed():
        try:
            yield from chunks
        finally:
            db.session.commit()

    response = Response(stream_with_context(committed()), mimetype=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{list_name}-selected-{today().isoformat()}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<any(people, organisations, outreach):list_name>/export.xlsx")
def export_xlsx(list_name: str):
    return _export(list_name, "xlsx")


@bp.route("/<any(people, organisations, outreach):list_name>/export.csv")
def export_csv(list_name: str):
    return _export(list_name, "csv")


def _act(list_name: str, form, run, template: str, **context):
    """Show the action's form; on a valid POST run it, commit and show its result (with undo)."""
    list_kind = selection.list_kind(list_name)
    if request.method == "GET":
        form.back.data = request.args.get("back", "")
    count = selection.count(current_user.id, list_name)
    if form.validate_on_submit():
        try:
            action = run()
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()  # the result page says what was done, with its undo
            return redirect(url_for("selections.action_detail", action_id=action.id, back=form.back.data))
    status = 422 if request.method == "POST" else 200
    return render_template(
        template, form=form, kind=list_kind, count=count, back_url=_back(list_name, form.back.data), **context
    ), status


@bp.route("/<any(people, organisations):list_name>/tag", methods=["GET", "POST"])
@role_required("editor")
def tag(list_name: str):
    form = TagForm()
    return _act(
        list_name, form, lambda: bulk.tag_selection(current_user, list_name, form.tag.data or ""), "selections/tag.html"
    )


@bp.route("/<any(people, organisations):list_name>/untag", methods=["GET", "POST"])
@role_required("editor")
def untag(list_name: str):
    form = UntagForm()
    present = bulk.tags_in_selection(current_user, list_name)
    form.tag_id.choices = [("", "Choose a tag…")] + [
        (tag_id, f"{name} ({count} selected)") for tag_id, name, count in present
    ]
    return _act(
        list_name,
        form,
        lambda: bulk.untag_selection(current_user, list_name, form.tag_id.data),
        "selections/untag.html",
        present=present,
    )


@bp.route("/<any(people, organisations):list_name>/archive", methods=["GET", "POST"])
@role_required("editor")
def archive(list_name: str):
    form = BackForm()
    return _act(list_name, form, lambda: bulk.archive_selection(current_user, list_name), "selections/archive.html")


@bp.route("/people/campaign", methods=["GET", "POST"])
@role_required("editor")
def add_to_campaign():
    form = CampaignMembersForm()
    form.campaign_id.choices = {"": [("", "Choose a campaign…")], **campaign_choice_groups()}
    if request.method == "GET" and not form.campaign_id.data:
        form.campaign_id.data = request.args.get("campaign_id", type=optional_int)
    return _act(
        "people",
        form,
        lambda: bulk.add_selection_to_campaign(current_user, form.campaign_id.data, form.role.data or ""),
        "selections/campaign.html",
    )


@bp.route("/actions/<int:action_id>")
def action_detail(action_id: int):
    action = bulk.get_action(action_id)
    return render_template(
        "selections/action.html",
        action=action,
        summary=bulk.describe(action),
        kind=selection.list_kind(action.kind),
        form=BackForm(back=request.args.get("back", "")),
        back_url=_back(action.kind, request.args.get("back", "")),
    )


@bp.route("/actions/<int:action_id>/undo", methods=["POST"])
@role_required("editor")
def action_undo(action_id: int):
    action = bulk.get_action(action_id)
    form = BackForm()
    if form.validate_on_submit():
        try:
            reverted = bulk.undo(action, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.one_line(), "danger")
        else:
            db.session.commit()
            flash(bulk.describe_undo(action, reverted), "success")
    return redirect(url_for("selections.action_detail", action_id=action.id, back=form.back.data or ""))
