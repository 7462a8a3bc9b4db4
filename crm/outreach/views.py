"""Outreach screens: log an ask to many people, record the replies, work the queues."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask import flash, jsonify, redirect, render_template, request, send_file, session, url_for
from flask_login import current_user

from crm.audit import service as audit
from crm.auth.access import role_required
from crm.auth.service import list_users
from crm.campaigns.service import campaign_choices
from crm.contacts.models import Organisation, Person
from crm.contacts.search import PeopleFilter, lookup_organisations, lookup_people, people_ids
from crm.errors import DomainError, EditConflict
from crm.extensions import db
from crm.forms_support import ConfirmForm, apply_errors
from crm.ids import db_int, optional_int
from crm.outreach import attachments, service
from crm.outreach import responses as response_service
from crm.outreach.blueprint import bp
from crm.outreach.data import ParticipantData
from crm.outreach.forms import OutreachFilterForm, OutreachForm, ResponseForm, parse_party
from crm.outreach.models import OUTREACH_STATUSES, REPLY_ROLES, Participant
from crm.outreach.queues import awaiting_rows
from crm.outreach.recipients import names_of
from crm.outreach.search import OutreachFilter, search_outreach
from crm.outreach.waiting_views import WAITING_UNDO_KEY
from crm.selections.service import selected_in_order
from crm.selections.state import selection_state
from crm.taxonomy.service import kind_by_code, outcomes, outreach_kinds
from crm.timeutil import today


@bp.route("/parties")
def party_lookup():
    """Type-ahead over people and organisations at once: [{id: "p:12" | "o:3", label, detail}]."""
    query = request.args.get("q", "")[:100]
    people = [
        {"id": f"p:{p.id}", "label": p.display_name, "detail": p.role_summary or "person"}
        for p in lookup_people(query, limit=8)
    ]
    organisations = [
        {"id": f"o:{o.id}", "label": o.display_name, "detail": o.type.name if o.type else "organisation"}
        for o in lookup_organisations(query, limit=5)
    ]
    # An organisation whose own name matches comes before people who only match through a role there.
    words = query.casefold().split()
    named = [o for o in organisations if words and all(w in o["label"].casefold() for w in words)]
    rest = [o for o in organisations if o not in named]
    return jsonify(named + people + rest)


def _choices(form: OutreachForm) -> OutreachForm:
    form.kind_id.choices = [("", "Kind…")] + [(k.id, k.name) for k in outreach_kinds()]
    form.campaign_id.choices = [("", "(no campaign)"), *campaign_choices()]
    form.owner_id.choices = [("", "(nobody)")] + [(u.id, u.label) for u in list_users() if u.active]
    return form


@dataclass
class BulkRecipients:
    """Recipients from a people-list filter or the user's selection, listed to review: a box unticked
    leaves that person out."""

    source: str  # "the people list (country EE)", "your selection on the people list"
    people: list[tuple[int, str]]  # (id, name), in the list's order
    kept: set[int]
    role: str = "to"  # recipients (the campaign's targets), or signatories or authors (its supporters)

    @property
    def participants(self) -> list[ParticipantData]:
        return [ParticipantData(self.role, person_id=i) for i, _ in self.people if i in self.kept]


def _bulk_recipients(form: OutreachForm) -> BulkRecipients | None:
    limit = service.MAX_PARTICIPANTS + 1  # one more than allowed: the service then says so
    if form.selection.data == "people":
        source, ids = "your selection on the people list", selected_in_order(current_user.id, "people", limit)
    elif form.bulk.data:
        filters = PeopleFilter.from_query_string(form.bulk.data)
        source, ids = f"the people list ({filters.describe()})", people_ids(filters, limit)
    else:
        return None
    kept = set(ids)
    if request.method == "POST" and request.form.get("recipients_reviewed"):
        kept &= {i for i in map(optional_int, request.form.getlist("keep")) if i}
    return BulkRecipients(source, names_of(ids), kept, form.bulk_role.data or "to")


def _render_form(form, outreach=None, status=200, **extra):
    bulk = _bulk_recipients(form)
    return render_template(
        "outreach/outreach_form.html",
        form=form,
        outreach=outreach,
        bulk=bulk,
        bulk_count=len(bulk.kept) if bulk else 0,
        **extra,
    ), status


def _save_with_attachments(save, form, owner: str = "outreach"):
    """Run a service call and store its files; on any error nothing stays, files included."""
    stored = []
    try:
        record = save()
        uploads = [(f.filename, f.stream) for f in form.attachments.data or [] if f and f.filename]
        stored = attachments.store(uploads, actor=current_user, **{owner: record})
        db.session.flush()
    except DomainError:
        db.session.rollback()
        attachments.discard_files(stored)
        raise
    db.session.commit()
    return record


@bp.route("/")
def outreach_list():
    form = OutreachFilterForm(request.args)
    form.campaign_id.choices = [("", "Any campaign"), *campaign_choices()]
    form.kind_id.choices = [("", "Any kind")] + [(k.id, k.name) for k in outreach_kinds()]
    form.status.choices = [("", "Any status")] + list(OUTREACH_STATUSES.items())
    filters = OutreachFilter.from_args(request.args)
    page = search_outreach(filters, page=request.args.get("page", 1, type=db_int))
    selection = selection_state(current_user.id, "outreach", [o.id for o in page.items], page.total, request.args)
    return render_template("outreach/outreach_list.html", form=form, page=page, selection=selection)


@bp.route("/new", methods=["GET", "POST"])
@role_required("editor")
def outreach_new():
    form = _choices(OutreachForm())
    if request.method == "GET":
        letter = kind_by_code("letter")
        form.kind_id.data = letter.id if letter else None
        form.campaign_id.data = request.args.get("campaign_id", type=db_int)
        form.bulk.data = request.args.get("bulk", "")
        form.selection.data = "people" if request.args.get("selection") == "people" else ""
        form.prompted_by_response_id.data = request.args.get("prompted_by", "")
        form.owner_id.data = current_user.id
        _prefill_participants(form)
    elif form.validate_on_submit():
        bulk = _bulk_recipients(form)
        try:
            outreach = _save_with_attachments(
                lambda: service.create_outreach(form.to_data(bulk.participants if bulk else []), actor=current_user),
                form,
            )
        except DomainError as error:
            apply_errors(form, error)
            return _render_form(form, status=422)
        flash(f"Logged “{outreach.subject}” with {len(outreach.participants)} participants.", "success")
        if request.form.get("next_action") == "another":
            return redirect(url_for("outreach.outreach_new", campaign_id=outreach.campaign_id))
        return redirect(url_for("outreach.outreach_detail", outreach_id=outreach.id))
    return _render_form(form, status=422 if request.method == "POST" else 200)


def _prefill_participants(form: OutreachForm) -> None:
    """?to=p:12&to=o:3 (from a person page) and ?prompted_by= (a reply that reported an action)."""
    wanted = request.args.getlist("to")
    if prompted_by := optional_int(form.prompted_by_response_id.data):
        response = response_service.get_response(prompted_by)
        # The one who answered is the author of the action their answer reports.
        party = f"p:{response.person_id}" if response.person_id else f"o:{response.organisation_id}"
        form.participants.entries[0].form.party.data = party
        form.participants.entries[0].form.party_label.data = response.party_name
        form.participants.entries[0].form.role.data = "from"
        form.campaign_id.data = form.campaign_id.data or response.outreach.campaign_id
        form.subject.data = response.action_taken[:300] if response.action_taken else ""
        form.sent_on.data = response.received_on
    start = 1 if form.prompted_by_response_id.data else 0
    for index, value in enumerate(wanted[: len(form.participants.entries) - start]):
        entry = form.participants.entries[start + index].form
        entry.party.data, entry.role.data = value, "to"
        entry.party_label.data = _party_label(value)


def _party_label(value: str) -> str:
    person_id, organisation_id = parse_party(value)
    record = db.session.get(Person, person_id) if person_id else db.session.get(Organisation, organisation_id or 0)
    if record is None:
        return ""
    return record.display_name


@bp.route("/<int:outreach_id>")
def outreach_detail(outreach_id: int):
    outreach = service.get_outreach(outreach_id)
    root = service.chain_root(outreach)
    recipients = [p for p in outreach.participants if p.role in REPLY_ROLES]
    others = [p for p in outreach.participants if p.role not in REPLY_ROLES]
    # A merged letter belongs to its recipient (attachment.participant_id): shown on their row, not among
    # the entry's own files, so 17 letters do not read as 17 unrelated attachments.
    own_files = defaultdict(list)
    for attachment in outreach.attachments:
        own_files[attachment.participant_id].append(attachment)
    return render_template(
        "outreach/outreach_detail.html",
        outreach=outreach,
        root=root,
        recipients=recipients,
        others=others,
        attachments=own_files.pop(None, []),
        participant_files=own_files,
        history=audit.history("outreach", outreach.id),
        confirm_form=ConfirmForm(),
        today=today(),
        waiting_undo=session.pop(WAITING_UNDO_KEY, None),  # offered once, right after
    )


@bp.route("/<int:outreach_id>/edit", methods=["GET", "POST"])
@role_required("editor")
def outreach_edit(outreach_id: int):
    outreach = service.get_outreach(outreach_id)
    form = _choices(OutreachForm())
    if request.method == "GET":
        form.process(obj=outreach)
        form.show_times(outreach)
        form.version.data = str(outreach.version)
        form.prompted_by_response_id.data = str(outreach.prompted_by_response_id or "")
        while len(form.participants.entries) < len(outreach.participants) + 2:
            form.participants.append_entry()
        for entry, participant in zip(form.participants.entries, outreach.participants, strict=False):
            entry.form.party.data = (
                f"p:{participant.person_id}" if participant.person_id else f"o:{participant.organisation_id}"
            )
            entry.form.party_label.data = participant.party_name
            entry.form.role.data = participant.role
        if outreach.status not in ("draft", "closed"):
            form.status.data = "sent"
    elif form.validate_on_submit():
        try:
            _save_with_attachments(
                lambda: service.update_outreach(
                    outreach, form.to_data(), actor=current_user, expected_version=int(form.version.data or 0)
                ),
                form,
            )
        except EditConflict as conflict:
            outreach = service.get_outreach(outreach_id)
            form.version.data = str(outreach.version)
            changes = audit.history("outreach", outreach.id, since_version=conflict.expected_version)
            return _render_form(form, outreach, status=409, conflict=changes)
        except DomainError as error:
            apply_errors(form, error)
            return _render_form(form, outreach, status=422)
        flash("Outreach saved.", "success")
        return redirect(url_for("outreach.outreach_detail", outreach_id=outreach.id))
    return _render_form(form, outreach, status=422 if request.method == "POST" else 200)


@bp.route("/<int:outreach_id>/close", methods=["GET", "POST"])
@role_required("editor")
def outreach_close(outreach_id: int):
    outreach = service.get_outreach(outreach_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        service.close_outreach(outreach, actor=current_user)
        db.session.commit()
        flash("Closed: nobody on it shows as awaiting a reply any more.", "success")
        return redirect(url_for("outreach.outreach_detail", outreach_id=outreach.id))
    waiting = sum(p.reply_state == "awaiting" for p in outreach.participants)
    return render_template(
        "confirm.html",
        form=form,
        title=f"Close “{outreach.subject}”?",
        message=f"{waiting} recipients still owe a reply; they leave the awaiting-reply queue. Replies can still be recorded later, and the history keeps this step.",
        cancel_url=url_for("outreach.outreach_detail", outreach_id=outreach.id),
        button="Close",
    )


@bp.route("/<int:outreach_id>/responses/new", methods=["GET", "POST"])
@role_required("editor")
def response_new(outreach_id: int):
    outreach = service.get_outreach(outreach_id)
    form = ResponseForm()
    form.outcome_id.choices = [("", "Outcome…")] + [(o.id, o.name) for o in outcomes()]
    recipients = [p for p in outreach.participants if p.role in REPLY_ROLES]
    form.recipient.choices = [("", "Choose…")] + [
        (_party_key(p), f"{p.party_name} ({p.reply_state.replace('_', ' ')})") for p in recipients
    ]
    if request.method == "GET":
        form.recipient.data = request.args.get("party") or next(
            (_party_key(p) for p in recipients if p.reply_state == "awaiting"), ""
        )
    elif form.validate_on_submit():
        try:
            response = _save_with_attachments(
                lambda: response_service.record_response(outreach, form.to_data(), actor=current_user),
                form,
                owner="response",
            )
        except DomainError as error:
            apply_errors(form, error)
            return render_template("outreach/response_form.html", form=form, outreach=outreach), 422
        flash(f"Recorded the reply of {response.party_name}.", "success")
        if request.form.get("next_action") == "chain":
            return redirect(url_for("outreach.outreach_new", prompted_by=response.id))
        return redirect(url_for("outreach.outreach_detail", outreach_id=outreach.id) + "#responses")
    status = 422 if request.method == "POST" else 200
    return render_template("outreach/response_form.html", form=form, outreach=outreach), status


def _party_key(participant: Participant) -> str:
    return f"p:{participant.person_id}" if participant.person_id else f"o:{participant.organisation_id}"


@bp.route("/responses/<int:response_id>/delete", methods=["GET", "POST"])
@role_required("editor")
def response_delete(response_id: int):
    response = response_service.get_response(response_id)
    outreach_id = response.outreach_id
    form = ConfirmForm()
    if form.validate_on_submit():
        response_service.delete_response(response, actor=current_user)
        db.session.commit()
        flash("Reply deleted; the recipients it answered for wait again. The history records it.", "success")
        return redirect(url_for("outreach.outreach_detail", outreach_id=outreach_id))
    return render_template(
        "confirm.html",
        form=form,
        title=f"Delete the reply of {response.party_name}?",
        message="Delete only a reply recorded by mistake; the outreach history keeps a note of it.",
        cancel_url=url_for("outreach.outreach_detail", outreach_id=outreach_id),
        button="Delete reply",
    )


@bp.route("/<int:outreach_id>/follow-up-done", methods=["POST"])
@role_required("editor")
def outreach_follow_up_done(outreach_id: int):
    outreach = service.get_outreach(outreach_id)
    if ConfirmForm().validate_on_submit():
        service.follow_up_done(outreach, actor=current_user)
        db.session.commit()
        flash("Follow-up marked as done.", "success")
    return redirect(url_for("outreach.outreach_detail", outreach_id=outreach_id))


@bp.route("/responses/<int:response_id>/follow-up-done", methods=["POST"])
@role_required("editor")
def response_follow_up_done(response_id: int):
    response = response_service.get_response(response_id)
    if ConfirmForm().validate_on_submit():
        service.follow_up_done(response, actor=current_user)
        db.session.commit()
        flash("Follow-up marked as done.", "success")
    return redirect(url_for("outreach.outreach_detail", outreach_id=response.outreach_id) + "#responses")


@bp.route("/attachments/<int:attachment_id>")
def attachment_download(attachment_id: int):
    attachment, path = attachments.get_attachment(attachment_id)
    return send_file(path, mimetype=attachment.content_type, as_attachment=True, download_name=attachment.filename)


@bp.route("/awaiting")
def awaiting_queue():
    campaign_id = request.args.get("campaign_id", type=db_int)
    # The oldest hundred are a day's work; rendering 500 rows cost more than their query.
    queue = awaiting_rows(limit=100, campaign_id=campaign_id)
    return render_template(
        "outreach/awaiting.html",
        queue=queue,
        campaigns=campaign_choices(),
        campaign_id=campaign_id,
        waiting_undo=session.pop(WAITING_UNDO_KEY, None),
    )
