"""The daily reminder digest: what goes to whom (--dry-run), sending it once a day, the account setting."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crm.auth.models import User
from crm.campaigns.service import MilestoneData, save_milestone
from crm.extensions import db
from crm.timeutil import today
from tests.factories import make_campaign, make_outreach, make_person


@pytest.fixture
def owned_work(app, staff):
    """For the editor: an overdue reply, a follow-up this week, a milestone of their campaign with a supporter."""
    editor = staff["editor"]
    editor.email_digest = True
    kelam = make_person("Kelam", "Tunne", emails=("kelam@ep.example.eu",))
    supporter = make_person("Zdechovsky", "Tomas")
    campaign = make_campaign(owner_ids=[editor.id])
    make_outreach("Letter on the parole hearing", to=[kelam], sent_on=today() - timedelta(days=60), owner_id=editor.id)
    make_outreach(
        "Joint statement",
        kind="joint_letter",
        signatories=[supporter],
        sent_on=today() - timedelta(days=5),
        campaign_id=campaign.id,
        follow_up_on=today() + timedelta(days=3),
        owner_id=editor.id,
    )
    save_milestone(campaign, MilestoneData(today() + timedelta(days=10), "Appeal hearing in Almaty"), actor=None)
    make_outreach("Someone else's letter", to=[kelam], sent_on=today() - timedelta(days=60), owner_id=staff["admin"].id)
    db.session.commit()
    return editor


def test_dry_run_shows_what_would_go_to_whom_and_sends_nothing(runner, owned_work, smtp):
    result = runner.invoke(args=["crm", "mail", "digest", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "editor@example.org: would send — Advocacy CRM" in result.output
    assert "1 overdue reply, 1 follow-up, 1 milestone" in result.output
    assert "Tunne Kelam: “Letter on the parole hearing”" in result.output
    assert "“Joint statement”" in result.output
    assert (
        "Appeal hearing in Almaty (Free Mukhtar Dzhakishev); supporters to mobilise: Tomas Zdechovsky" in result.output
    )
    assert "Someone else's letter" not in result.output and "admin@example.org" not in result.output
    assert smtp.received == []


def test_the_digest_is_sent_once_a_day(runner, owned_work, smtp):
    result = runner.invoke(args=["crm", "mail", "digest"])
    assert result.exit_code == 0, result.output
    assert "editor@example.org: sent" in result.output
    [received] = smtp.received
    assert received.rcpt_tos == ["editor@example.org"] and received.message["Auto-Submitted"] == "auto-generated"
    assert "Replies overdue on your outreach:" in received.message.get_content()

    again = runner.invoke(args=["crm", "mail", "digest"])  # a worker restarting runs its chores again
    assert "Nobody is due a digest today" in again.output and len(smtp.received) == 1
    assert db.session.get(User, owned_work.id).digest_sent_on == today()


def test_the_daily_chore_is_registered(app):
    assert "mailing-digest" in app.extensions["job_chores"]


def test_anyone_turns_their_digest_on_from_the_account_page(client, auth, staff):
    auth.login("viewer")
    page = client.get("/account/password").get_data(as_text=True)
    assert 'action="/account/reminders"' in page
    assert client.post("/account/reminders", data={"email_digest": "y"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, staff["viewer"].id).email_digest is True
    assert client.post("/account/reminders", data={"email_digest": "y"}, csrf=False).status_code == 400


def test_two_workers_at_once_send_one_digest(app, owned_work, smtp):
    """Each worker runs the chore: the second finds the user claimed while the first one was sending."""
    from crm.mailing import digest

    first_pass = digest.wanting_digest(today(), again=False)  # both workers read who is due ...
    assert [user.id for user in first_pass] == [owned_work.id]
    outcomes = digest.send_digests()  # ... the first sends
    assert [outcome.outcome for outcome in outcomes] == ["sent"]
    assert digest._claim(owned_work.id, today()) is False  # the second's claim fails: nothing sent twice
    db.session.rollback()
    assert len(smtp.received) == 1


def test_a_digest_that_fails_to_go_is_tried_again_at_the_next_run(runner, owned_work, smtp):
    smtp.refuse["editor@example.org"] = "451 4.3.0 Try again later"
    assert "failed: 451" in runner.invoke(args=["crm", "mail", "digest"]).output
    assert db.session.get(User, owned_work.id).digest_sent_on is None
    del smtp.refuse["editor@example.org"]
    assert "editor@example.org: sent" in runner.invoke(args=["crm", "mail", "digest"]).output
