"""Calendar screens: the month view, the subscribed feed, the account's feed URL, and meetings from invitations."""

from __future__ import annotations

from datetime import timedelta

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from crm.agenda.blueprint import bp
from crm.agenda.events import AgendaEvent, agenda_events, feed_scope
from crm.agenda.feed_tokens import feed_for_token, issue_token, revoke_token, set_all_campaigns
from crm.agenda.forms import CalendarFeedForm, InviteOutreachForm, InviteUploadForm
from crm.agenda.ical_feed import build_feed
from crm.agenda.invite_people import add_people, match_attendees
from crm.agenda.invites import MAX_INVITE_BYTES, Invite, read_invite
from crm.agenda.month import month_agenda, parse_month
from crm.auth.access import role_required
from crm.auth.models import User
from crm.auth.service import list_users
from crm.auth.views import account_page
from crm.campaigns.service import campaign_choices
from crm.errors import DomainError, InvalidInput
from crm.extensions import db
from crm.forms_support import apply_errors
from crm.ids import db_int, optional_int
from crm.outreach import attachments
from crm.outreach.data import ParticipantData
from crm.outreach.service import create_outreach
from crm.taxonomy.service import kind_by_code, outreach_kinds
from crm.timeutil import to_local, today, utcnow

FEED_NAME = "Advocacy CRM"
INVITE_SOURCE = "Meeting invitation"


# --- The month view ---------------------------------------------------------------------------------------------


@bp.route("/")
def month():
    first = parse_month(request.args.get("month"), today())
    campaign_id = request.args.get("campaign_id", type=db_int)
    owner_id = request.args.get("owner_id", type=db_int)
    agenda = month_agenda(first, campaign_id=campaign_id, owner_id=owner_id)
    return render_template(
        "agenda/month.html",
        month=agenda,
        campaigns=campaign_choices(),
        owners=[(user.id, user.label) for user in list_users()],
        campaign_id=campaign_id,
        owner_id=owner_id,
        today=today(),
    )


# --- The feed a calendar app subscribes to ----------------------------------------------------------------------


def _not_found() -> Response:
    # No page, no detail: a revoked URL, a renewed one and a guess all look alike.
    response = Response("Not found\n", status=404, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response


def _event_link(event: AgendaEvent) -> str:
    if event.outreach_id is not None:
        return url_for("outreach.outreach_detail", outreach_id=event.outreach_id, _external=True)
    return url_for("campaigns.campaign_detail", campaign_id=event.campaign_id, _external=True)


@bp.route("/<token>.ics")
def feed(token: str):
    """Public by design (PUBLIC_ENDPOINTS): the token in the URL is the credential."""
    found = feed_for_token(token)
    if found is None:
        return _not_found()
    now = utcnow()
    if found.last_read_at is None or now - found.last_read_at > timedelta(hours=1):
        found.last_read_at = now  # at most one write an hour, however often a calendar polls
        db.session.commit()
    scope = feed_scope(found.user_id, all_campaigns=found.all_campaigns, today=now.date())
    body = build_feed(
        agenda_events(scope), name=FEED_NAME, domain=request.host.split(":")[0], link=_event_link, now=now
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="advocacy-crm.ics"'
    response.headers["Cache-Control"] = "no-store"  # whoever holds the URL reads it fresh; no proxy keeps a copy
    return response


# --- The feed's URL on the account page -------------------------------------------------------------------------


@bp.route("/feed", methods=["POST"])
@login_required
def feed_settings():
    """Make, renew or revoke one's own feed URL, or change what it shows (SELF_SERVICE_ENDPOINTS: viewers too)."""
    form = CalendarFeedForm()
    if not form.validate_on_submit():
        return account_page(calendar_form=form), 400
    user = db.session.get(User, current_user.id)
    if form.revoke.data:
        revoked = revoke_token(user, actor=user)
        db.session.commit()
        flash(
            "Your calendar URL is revoked: calendars subscribed to it get nothing more."
            if revoked
            else "There was no calendar URL to revoke.",
            "success",
        )
        return redirect(url_for("auth.change_password"))
    if form.create.data or form.renew.data:
        token = issue_token(user, all_campaigns=bool(form.all_campaigns.data), actor=user)
        db.session.commit()
        # Shown this once, on this page and not through a redirect: only its hash is kept.
        return account_page(new_feed_url=url_for("agenda.feed", token=token, _external=True))
    set_all_campaigns(user, bool(form.all_campaigns.data), actor=user)
    db.session.commit()
    flash(
        "Your calendar shows the milestones of "
        + ("every campaign." if form.all_campaigns.data else "the campaigns you own."),
        "success",
    )
    return redirect(url_for("auth.change_password"))


# --- A meeting from an invitation -------------------------------------------------------------------------------


def _with_choices(form: InviteOutreachForm) -> InviteOutreachForm:
    form.kind_id.choices = [("", "Kind…")] + [(k.id, k.name) for k in outreach_kinds()]
    form.campaign_id.choices = [("", "(no campaign)"), *campaign_choices()]
    form.owner_id.choices = [("", "(nobody)")] + [(u.id, u.label) for u in list_users() if u.active]
    return form


def _render_meeting_form(form: InviteOutreachForm, invite: Invite | None = None, staff=(), status: int = 200):
    return render_template(
        "outreach/outreach_form.html",
        form=form,
        outreach=None,
        bulk_filters=None,
        bulk_count=0,
        form_action=url_for("agenda.invite_save"),
        invite=invite,
        staff_attendees=staff,
    ), status


@bp.route("/invite", methods=["POST"])
@role_required("editor")
def invite_read():
    """An uploaded .ics fills the meeting form for the editor to check and save: nothing is saved here."""
    upload = InviteUploadForm()
    file = upload.invite.data if upload.validate_on_submit() else None
    if not file or not file.filename:
        flash("Choose the invitation's .ics file first.", "danger")
        return redirect(url_for("outreach.outreach_new"))
    try:
        invite = read_invite(file.stream.read(MAX_INVITE_BYTES + 1))
    except InvalidInput as error:
        flash(error.one_line(), "danger")
        return redirect(url_for("outreach.outreach_new"))
    matched = match_attendees(invite.attendees)
    form = _with_choices(InviteOutreachForm(formdata=None))
    _prefill(form, invite, matched)
    form.campaign_id.data = optional_int(upload.campaign_id.data)
    return _render_meeting_form(form, invite, matched.staff)


def _prefill(form: InviteOutreachForm, invite: Invite, matched) -> None:
    meeting = kind_by_code("meeting")
    form.kind_id.data = meeting.id if meeting else None
    form.subject.data = invite.subject
    form.sent_on.data = invite.day
    form.starts_at.data = to_local(invite.starts_at) if invite.starts_at else None
    form.ends_at.data = to_local(invite.ends_at) if invite.ends_at else None
    form.location.data = invite.location
    repeats = f"Repeats ({invite.repeats}); logged: the first occurrence.\n\n" if invite.repeats else ""
    form.summary.data = (repeats + invite.description).strip()
    form.owner_id.data = current_user.id
    form.status.data = "sent"
    while len(form.participants.entries) < len(matched.people) + 2:
        form.participants.append_entry()
    for entry, (person, attendee) in zip(form.participants.entries, matched.people, strict=False):
        entry.form.party.data = f"p:{person.id}"
        entry.form.party_label.data = person.display_name
        entry.form.role.data = "from" if attendee.organiser else "attendee"
    for attendee in matched.unknown:
        form.unknown.append_entry({"email": attendee.email, "name": attendee.name, "add": False})


@bp.route("/invite/save", methods=["POST"])
@role_required("editor")
def invite_save():
    """The checked meeting form: the chosen new people, the entry and its files, in one commit or not at all."""
    form = _with_choices(InviteOutreachForm())
    if not form.validate_on_submit():
        return _render_meeting_form(form, status=422)
    stored = []
    try:
        new_people = add_people(form.people_to_add(), source=INVITE_SOURCE, actor=current_user)
        extra = [ParticipantData("attendee", person_id=person.id) for person in new_people]
        outreach = create_outreach(form.to_data(extra), actor=current_user)
        uploads = [(f.filename, f.stream) for f in form.attachments.data or [] if f and f.filename]
        stored = attachments.store(uploads, actor=current_user, outreach=outreach)
        db.session.flush()
    except DomainError as error:
        db.session.rollback()
        attachments.discard_files(stored)
        apply_errors(form, error)
        return _render_meeting_form(form, status=422)
    db.session.commit()
    added = f" and added {len(new_people)} new people" if new_people else ""
    flash(f"Logged the meeting “{outreach.subject}” with {len(outreach.participants)} participants{added}.", "success")
    return redirect(url_for("outreach.outreach_detail", outreach_id=outreach.id))
