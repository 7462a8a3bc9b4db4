"""Campaign screens: thin translations between forms and the campaign services."""

from __future__ import annotations

import re

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from crm.audit import service as audit
from crm.auth.access import role_required
from crm.campaigns import service
from crm.campaigns.blueprint import bp
from crm.campaigns.forms import AskForm, CampaignForm, MemberForm, MilestoneForm, OwnersForm
from crm.campaigns.models import CAMPAIGN_STATUSES, Ask, Campaign, Milestone
from crm.errors import DomainError, EditConflict, NotFound
from crm.extensions import db
from crm.forms_support import ConfirmForm, apply_errors
from crm.outreach.campaign_overview import campaign_overview, fold_reply_runs, is_ahead, timeline_rows
from crm.outreach.campaign_summaries import campaign_summaries
from crm.outreach.queues import follow_up_rows
from crm.timeutil import today

PARAGRAPH_BREAK = re.compile(r"\r?\n\s*\r?\n")
# A letter to hundreds of MEPs gets hundreds of replies: the page lists this many, the outreach the rest.
REPLY_LIMIT = 20
# Years of a busy case make a page nobody reads; the latest lines and a link to show everything.
TIMELINE_LIMIT = 200
SUPPORTER_LIMIT = 100
TIMELINE_VIEWS = {"all": "Everything", "milestones": "Milestones", "outreach": "Outreach and replies"}
TIMELINE_ORDERS = {"oldest": "Oldest first", "newest": "Newest first"}
ORDER_COOKIE = "campaign_timeline_order"
ORDER_KEPT = 365 * 24 * 3600  # seconds


def campaign_url(campaign_id: int, section: str = "") -> str:
    return url_for("campaigns.campaign_detail", campaign_id=campaign_id) + (f"#{section}" if section else "")


@bp.route("/")
def campaign_list():
    status = request.args.get("status") or None
    if status not in CAMPAIGN_STATUSES:
        status = None
    summaries = campaign_summaries(service.list_campaigns(status))
    return render_template(
        "campaigns/campaign_list.html", summaries=summaries, status=status, statuses=CAMPAIGN_STATUSES
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required("editor")
def campaign_new():
    form = CampaignForm().prepare()
    if request.method == "GET":
        form.owner_ids.data = [current_user.id]
        return render_template("campaigns/campaign_form.html", form=form, campaign=None)
    if not form.validate_on_submit():
        return render_template("campaigns/campaign_form.html", form=form, campaign=None), 422
    try:
        campaign = service.create_campaign(form.to_data(), actor=current_user)
    except DomainError as error:
        db.session.rollback()
        apply_errors(form, error)
        return render_template("campaigns/campaign_form.html", form=form, campaign=None), 422
    db.session.commit()
    flash(f"Added the campaign {campaign.name}.", "success")
    return redirect(campaign_url(campaign.id))


def _timeline_order() -> tuple[str, bool]:
    """Newest or oldest first: asked for in the link (and then remembered), else as remembered."""
    asked = request.args.get("order")
    if asked in TIMELINE_ORDERS:
        return asked, True
    remembered = request.cookies.get(ORDER_COOKIE)
    return (remembered if remembered in TIMELINE_ORDERS else "oldest"), False


@bp.route("/<int:campaign_id>")
def campaign_detail(campaign_id: int):
    campaign = service.get_campaign(campaign_id)
    overview = campaign_overview(campaign)
    as_of = today()
    show = request.args.get("show") if request.args.get("show") in TIMELINE_VIEWS else "all"
    order, remember = _timeline_order()
    full = request.args.get("full") == "1"
    timeline = timeline_rows(overview.timeline, show)
    earlier = 0 if full else max(0, len(timeline) - TIMELINE_LIMIT)
    timeline = timeline[earlier:]
    # Folded in reading order, so the line left showing is the first one read: the latest, newest first.
    timeline = fold_reply_runs(timeline[::-1] if order == "newest" else timeline)
    ahead = [is_ahead(row, as_of) for row in timeline]
    # "Today" is drawn between what is done and what is still to come: before the first entry to come
    # when the timeline reads oldest first, before the first one done when it reads newest first.
    today_index = next((i for i, row_ahead in enumerate(ahead) if row_ahead == (order == "oldest")), None)
    page = render_template(
        "campaigns/campaign_detail.html",
        campaign=campaign,
        description=[part for part in PARAGRAPH_BREAK.split(campaign.description, maxsplit=1) if part.strip()],
        overview=overview,
        timeline=timeline,
        earlier=earlier,
        supporters=overview.supporters if full else overview.supporters[:SUPPORTER_LIMIT],
        full=full,
        show=show,
        order=order,
        timeline_views=TIMELINE_VIEWS,
        timeline_orders=TIMELINE_ORDERS,
        reply_limit=REPLY_LIMIT,
        today=as_of,
        ahead=ahead,
        any_ahead=any(ahead),
        today_index=today_index,
        upcoming=[m for m in campaign.milestones if m.on >= as_of],
        follow_ups=follow_up_rows(overview.open_follow_ups),
        history=audit.history("campaign", campaign.id),
        owners_form=OwnersForm().prepare(campaign) if current_user.can("editor") else None,
        member_form=MemberForm() if current_user.can("editor") else None,
        targets_filter=f"in_campaign={campaign.id}&campaign_role=target",
    )
    response = make_response(page)
    if remember:
        # A way of reading the page, kept in the browser: no write to the database on a GET, and a
        # phone and a desk may each keep their own.
        response.set_cookie(
            ORDER_COOKIE,
            order,
            max_age=ORDER_KEPT,
            httponly=True,
            samesite="Lax",
            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        )
    return response


@bp.route("/<int:campaign_id>/owners", methods=["POST"])
@role_required("editor")
def campaign_owners(campaign_id: int):
    campaign = service.get_campaign(campaign_id)
    form = OwnersForm().prepare(campaign)
    if form.validate_on_submit():
        try:
            service.set_owners(campaign, list(form.owner_ids.data or []), actor=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "danger")
            return redirect(campaign_url(campaign.id, "owners"))
        db.session.commit()
        names = ", ".join(user.label for user in campaign.owners)
        flash(f"Owners of {campaign.name}: {names or 'nobody'}.", "success")
    else:
        flash("One of the owners is not a staff account.", "danger")
    return redirect(campaign_url(campaign.id, "owners"))


@bp.route("/<int:campaign_id>/edit", methods=["GET", "POST"])
@role_required("editor")
def campaign_edit(campaign_id: int):
    campaign = service.get_campaign(campaign_id)
    form = CampaignForm().prepare(campaign)
    if request.method == "GET":
        form.load(campaign)
        return render_template("campaigns/campaign_form.html", form=form, campaign=campaign)
    if not form.validate_on_submit():
        return render_template("campaigns/campaign_form.html", form=form, campaign=campaign), 422
    try:
        service.update_campaign(
            campaign, form.to_data(), actor=current_user, expected_version=int(form.version.data or 0)
        )
    except EditConflict as conflict:
        db.session.rollback()
        return _conflict(form, conflict)
    except DomainError as error:
        db.session.rollback()
        apply_errors(form, error)
        return render_template("campaigns/campaign_form.html", form=form, campaign=campaign), 422
    db.session.commit()
    flash(f"Saved {campaign.name}.", "success")
    return redirect(campaign_url(campaign.id))


def _conflict(form: CampaignForm, conflict: EditConflict):
    """Show what the other person changed, with the user's edit ready to review and save again."""
    campaign = service.get_campaign(conflict.record.id)
    changes = audit.history("campaign", campaign.id, since_version=conflict.expected_version)
    form.version.data = str(campaign.version)
    return render_template("campaigns/campaign_form.html", form=form, campaign=campaign, conflict=changes), 409


def _get_ask(campaign: Campaign, ask_id: int) -> Ask:
    ask = db.session.get(Ask, ask_id)
    if ask is None or ask.campaign_id != campaign.id:
        raise NotFound(f"Campaign {campaign.id} has no ask with id {ask_id}.")
    return ask


def _get_milestone(campaign: Campaign, milestone_id: int) -> Milestone:
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None or milestone.campaign_id != campaign.id:
        raise NotFound(f"Campaign {campaign.id} has no milestone with id {milestone_id}.")
    return milestone


def _save_ask(campaign: Campaign, ask: Ask | None):
    form = AskForm(obj=ask)
    if form.validate_on_submit():
        try:
            service.save_ask(campaign, form.to_data(), actor=current_user, ask=ask)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
            return render_template("campaigns/ask_form.html", form=form, campaign=campaign, ask=ask), 422
        db.session.commit()
        flash("Ask saved." if ask else "Ask added.", "success")
        if request.form.get("next_action") == "another":
            return redirect(url_for("campaigns.ask_new", campaign_id=campaign.id))
        return redirect(campaign_url(campaign.id, "asks"))
    status = 422 if form.errors else 200
    return render_template("campaigns/ask_form.html", form=form, campaign=campaign, ask=ask), status


@bp.route("/<int:campaign_id>/asks/new", methods=["GET", "POST"])
@role_required("editor")
def ask_new(campaign_id: int):
    return _save_ask(service.get_campaign(campaign_id), None)


@bp.route("/<int:campaign_id>/asks/<int:ask_id>/edit", methods=["GET", "POST"])
@role_required("editor")
def ask_edit(campaign_id: int, ask_id: int):
    campaign = service.get_campaign(campaign_id)
    return _save_ask(campaign, _get_ask(campaign, ask_id))


def _save_milestone(campaign: Campaign, milestone: Milestone | None):
    form = MilestoneForm(obj=milestone)
    if form.validate_on_submit():
        try:
            saved = service.save_milestone(campaign, form.to_data(), actor=current_user, milestone=milestone)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
            return render_template(
                "campaigns/milestone_form.html", form=form, campaign=campaign, milestone=milestone
            ), 422
        db.session.commit()
        flash(f"Milestone saved: {saved.title}, {saved.on:%d %b %Y}.", "success")
        if request.form.get("next_action") == "another":
            return redirect(url_for("campaigns.milestone_new", campaign_id=campaign.id))
        return redirect(campaign_url(campaign.id, "timeline"))
    status = 422 if form.errors else 200
    return render_template("campaigns/milestone_form.html", form=form, campaign=campaign, milestone=milestone), status


@bp.route("/<int:campaign_id>/milestones/new", methods=["GET", "POST"])
@role_required("editor")
def milestone_new(campaign_id: int):
    return _save_milestone(service.get_campaign(campaign_id), None)


@bp.route("/<int:campaign_id>/milestones/<int:milestone_id>/edit", methods=["GET", "POST"])
@role_required("editor")
def milestone_edit(campaign_id: int, milestone_id: int):
    campaign = service.get_campaign(campaign_id)
    return _save_milestone(campaign, _get_milestone(campaign, milestone_id))


@bp.route("/<int:campaign_id>/milestones/<int:milestone_id>/delete", methods=["GET", "POST"])
@role_required("editor")
def milestone_delete(campaign_id: int, milestone_id: int):
    campaign = service.get_campaign(campaign_id)
    milestone = _get_milestone(campaign, milestone_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        service.delete_milestone(campaign, milestone, actor=current_user)
        db.session.commit()
        flash("Milestone deleted; the campaign's history records it.", "success")
        return redirect(campaign_url(campaign.id, "timeline"))
    return render_template(
        "confirm.html",
        form=form,
        title=f"Delete this milestone of {campaign.name}?",
        message=f"{milestone.on:%d %b %Y}: “{milestone.title}”. The campaign's history keeps a record of it.",
        cancel_url=campaign_url(campaign.id, "timeline"),
        button="Delete milestone",
    )
