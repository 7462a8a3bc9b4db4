"""The campaign page: its timeline newest or oldest first (remembered), long runs of replies folded, a table
of contents, and owners set from the page."""

from datetime import date, timedelta

from crm.audit.service import history
from crm.campaigns.service import MilestoneData, get_campaign, save_milestone
from crm.campaigns.views import ORDER_COOKIE
from crm.extensions import db
from crm.outreach.campaign_overview import RUN_SHOWN, TimelineRow, fold_reply_runs
from crm.timeutil import today
from tests.factories import make_campaign, make_outreach, make_person, make_response
from tests.web import form_with


def timeline_of(page: str) -> str:
    return page[page.index('id="timeline"') : page.index('id="threads"')]


def test_newest_first_is_remembered_until_oldest_is_asked_for(client, auth):
    campaign = make_campaign()
    save_milestone(campaign, MilestoneData(date(2010, 1, 1), "Arrested"), actor=None)
    save_milestone(campaign, MilestoneData(today() + timedelta(days=30), "Appeal hearing"), actor=None)
    db.session.commit()
    make_outreach("Letter to the MEPs", to=[make_person("Kelam")], sent_on=date(2017, 10, 11), campaign_id=campaign.id)
    auth.login("viewer")
    url = f"/campaigns/{campaign.id}"

    oldest = timeline_of(client.get(url).get_data(as_text=True))
    assert oldest.index("Arrested") < oldest.index("Letter to the MEPs") < oldest.index("today-marker")
    assert oldest.index("today-marker") < oldest.index("Appeal hearing")

    response = client.get(f"{url}?order=newest")
    assert ORDER_COOKIE in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    newest = timeline_of(response.get_data(as_text=True))
    assert newest.index("Appeal hearing") < newest.index("today-marker") < newest.index("Letter to the MEPs")
    assert newest.index("Letter to the MEPs") < newest.index("Arrested")
    # Remembered: the page reads newest first without asking again, until oldest first is asked for.
    again = timeline_of(client.get(url).get_data(as_text=True))
    assert again.index("Appeal hearing") < again.index("Arrested")
    client.get(f"{url}?order=oldest")
    back = timeline_of(client.get(url).get_data(as_text=True))
    assert back.index("Arrested") < back.index("Appeal hearing")
    # Junk is neither shown nor remembered.
    response = client.get(f"{url}?order=sideways")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers


def test_a_long_run_of_replies_to_one_outreach_is_folded_with_a_count(client, auth):
    campaign = make_campaign()
    people = [make_person(f"Member{number}") for number in range(6)]
    letter = make_outreach("Please act", to=people, sent_on=date(2017, 10, 1), campaign_id=campaign.id)
    for day, person in enumerate(people, start=2):
        make_response(letter, person, received_on=date(2017, 10, day))
    auth.login("viewer")
    timeline = timeline_of(client.get(f"/campaigns/{campaign.id}").get_data(as_text=True))
    shown, folded = timeline.split('<details class="folded-replies')
    assert "Member0" in shown and "Member1" not in shown
    assert "5 more replies to this outreach, 03 Oct 2017 to 07 Oct 2017" in folded
    assert all(f"Member{number}" in folded for number in range(1, 6))
    # Newest first, the latest reply is the line left showing.
    newest = timeline_of(client.get(f"/campaigns/{campaign.id}?order=newest").get_data(as_text=True))
    shown, folded = newest.split('<details class="folded-replies')
    assert "Member5" in shown and "Member4" not in shown and "07 Oct 2017" not in folded


def test_short_runs_stay_line_by_line(app):
    letter, other = make_outreach("Please act"), make_outreach("Another")

    def replies(item, count):
        return TimelineRow(date(2017, 10, 1), "replies", item, replies=[None] * count)

    short = [replies(letter, 1) for _ in range(RUN_SHOWN)]
    assert fold_reply_runs(short) == short
    run = [replies(letter, 2), replies(letter, 1), replies(letter, 1), replies(other, 1)]
    folded = fold_reply_runs(run)
    assert len(folded) == 2 and folded[0].folded_replies == 2 and folded[1].item is other


def test_the_page_has_a_table_of_contents_whose_anchors_exist(client, auth):
    campaign = make_campaign()
    auth.login("viewer")
    page = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    contents = page[page.index('class="small mb-3 page-contents"') :].split("</nav>")[0]
    anchors = [part.split('"')[0] for part in contents.split('href="#')[1:]]
    assert anchors == [
        "timeline",
        "threads",
        "targets",
        "asks",
        "owners",
        "awaiting",
        "follow-ups",
        "supporters",
        "history",
    ]
    for anchor in anchors:
        assert f'id="{anchor}"' in page


def test_owners_are_set_from_the_campaign_page(client, auth, staff):
    campaign = make_campaign(owner_ids=[staff["editor"].id])
    auth.login("editor")
    page = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    form = form_with(page, "owner_ids", button="Save owners")
    response = client.post(form.action, data=form.data(owner_ids=[str(staff["admin"].id), str(staff["editor"].id)]))
    assert response.status_code == 302 and response.location.endswith("#owners")
    db.session.expire_all()
    assert [user.label for user in get_campaign(campaign.id).owners] == ["Admin", "Editor"]
    assert history("campaign", campaign.id)[0].action == "owners"
    # Without its CSRF token nothing changes.
    client.post(form.action, data={"owner_ids": [str(staff["viewer"].id)]}, csrf=False)
    db.session.expire_all()
    assert [user.label for user in get_campaign(campaign.id).owners] == ["Admin", "Editor"]
    auth.logout()
    auth.login("viewer")
    page = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert "Save owners" not in page and "Admin, Editor" in page
