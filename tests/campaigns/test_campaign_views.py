"""The campaign screens through the test client: status codes, messages, redirects, what the pages show."""

from datetime import date, timedelta

from crm.campaigns.models import Campaign
from crm.campaigns.service import AskData, MilestoneData, get_campaign, save_ask, save_milestone
from crm.extensions import db
from crm.timeutil import today
from tests.factories import make_campaign, make_organisation, make_outreach, make_person, make_response


def campaign_form(**fields) -> dict:
    data = {"name": "Free Mukhtar Dzhakishev", "status": "active", "subject_label": "", "subject_person_id": ""}
    data.update(fields)
    return data


def test_add_a_campaign_with_subject_and_owners(client, auth, staff):
    person = make_person("Dzhakishev", "Mukhtar")
    auth.login("editor")
    form = client.get("/campaigns/new").get_data(as_text=True)
    assert 'data-lookup="/contacts/people/lookup"' in form and "Admin" in form and "Viewer" in form
    response = client.post(
        "/campaigns/new",
        data=campaign_form(
            subject_label="Mukhtar Dzhakishev",
            subject_person_id=person.id,
            owner_ids=[staff["editor"].id, staff["admin"].id],
            description="Former head of Kazatomprom, sentenced in 2010.",
        ),
    )
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Added the campaign Free Mukhtar Dzhakishev." in page
    assert "About <a" in page and "Mukhtar Dzhakishev" in page and "Owners: Admin, Editor" in page
    listing = client.get("/campaigns/").get_data(as_text=True)
    assert "Free Mukhtar Dzhakishev" in listing and "none planned" in listing


def test_campaign_validation_messages(client, auth):
    make_campaign("Free Mukhtar Dzhakishev")
    auth.login("editor")
    duplicate = client.post("/campaigns/new", data=campaign_form(name="free mukhtar  dzhakishev"))
    page = duplicate.get_data(as_text=True)
    assert duplicate.status_code == 422
    assert "Nothing was saved" in page and "There is already a campaign called" in page
    empty = client.post("/campaigns/new", data=campaign_form(name=""))
    assert empty.status_code == 422 and "A name is required." in empty.get_data(as_text=True)
    # Typed text that was never picked from the suggestions would silently save no subject.
    unpicked = client.post("/campaigns/new", data=campaign_form(name="Other", subject_label="Somebody"))
    assert unpicked.status_code == 422 and "Choose the person from the suggestions" in unpicked.get_data(as_text=True)
    assert db.session.query(Campaign).count() == 1


def test_edit_conflict_shows_what_changed(client, auth):
    campaign = make_campaign("Free Mukhtar Dzhakishev")
    opened = campaign.version
    auth.login("editor")
    assert client.get(f"/campaigns/{campaign.id}/edit").status_code == 200
    first = client.post(
        f"/campaigns/{campaign.id}/edit",
        data=campaign_form(status="on_hold", description="Paused during the appeal", version=opened),
    )
    assert first.status_code == 302

    # A second form opened at the same version now arrives.
    stale = client.post(f"/campaigns/{campaign.id}/edit", data=campaign_form(name="Renamed", version=opened))
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "Someone else changed this record" in page and "Paused during the appeal" in page and "On hold" in page
    db.session.expire_all()
    current = get_campaign(campaign.id)
    assert current.name == "Free Mukhtar Dzhakishev" and f'value="{current.version}"' in page
    again = client.post(f"/campaigns/{campaign.id}/edit", data=campaign_form(name="Renamed", version=current.version))
    assert again.status_code == 302


def test_asks_through_the_screens(client, auth):
    campaign = make_campaign()
    auth.login("editor")
    bad = client.post(f"/campaigns/{campaign.id}/asks/new", data={"title": "", "status": "open"})
    assert bad.status_code == 422 and "Say what we ask for." in bad.get_data(as_text=True)
    good = client.post(
        f"/campaigns/{campaign.id}/asks/new",
        data={"title": "MEPs write to the Commission", "of_whom": "MEPs", "status": "open"},
    )
    assert good.status_code == 302 and good.location.endswith(f"/campaigns/{campaign.id}#asks")
    ask_id = campaign.asks[0].id
    assert client.get(f"/campaigns/{campaign.id}/asks/{ask_id}/edit").status_code == 200
    edited = client.post(
        f"/campaigns/{campaign.id}/asks/{ask_id}/edit",
        data={"title": "MEPs write to the Commission", "of_whom": "MEPs", "status": "achieved"},
    )
    assert edited.status_code == 302
    page = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert "MEPs write to the Commission" in page and "Achieved" in page
    other = make_campaign("Another case")
    assert client.get(f"/campaigns/{other.id}/asks/{ask_id}/edit").status_code == 404


def test_milestones_through_the_screens(client, auth):
    campaign = make_campaign()
    auth.login("editor")
    bad = client.post(f"/campaigns/{campaign.id}/milestones/new", data={"title": "", "url": "ftp://x"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "A milestone needs a date." in page and "Say what happens on that date." in page
    assert "A link starts with http" in page
    another = client.post(
        f"/campaigns/{campaign.id}/milestones/new",
        data={"on": "2010-08-04", "title": "Sentenced to 14 years", "next_action": "another"},
    )
    assert another.location == f"/campaigns/{campaign.id}/milestones/new"
    milestone = campaign.milestones[0]
    edited = client.post(
        f"/campaigns/{campaign.id}/milestones/{milestone.id}/edit",
        data={"on": "2010-08-04", "title": "Sentenced to 14 years, Almaty"},
    )
    assert edited.status_code == 302
    confirm = client.get(f"/campaigns/{campaign.id}/milestones/{milestone.id}/delete")
    assert confirm.status_code == 200 and "Delete this milestone" in confirm.get_data(as_text=True)
    assert client.post(f"/campaigns/{campaign.id}/milestones/{milestone.id}/delete").status_code == 302
    db.session.expire_all()
    assert get_campaign(campaign.id).milestones == []
    assert "Delete milestone" in client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)


def test_detail_shows_timeline_asks_supporters_and_chain(client, auth):
    campaign = make_campaign()
    commission = make_organisation("European Commission")
    kelam, paet = make_person("Kelam", "Tunne"), make_person("Paet", "Urmas")
    save_ask(campaign, AskData("MEPs write to the Commission", of_whom="MEPs"), actor=None)
    save_milestone(campaign, MilestoneData(date(2010, 8, 4), "Sentenced to 14 years"), actor=None)
    save_milestone(campaign, MilestoneData(today() + timedelta(days=30), "Parole hearing"), actor=None)
    db.session.commit()
    ask = make_outreach("Please act for Dzhakishev", to=[kelam, paet], campaign_id=campaign.id)
    reply = make_response(ask, kelam, received_on=date(2017, 10, 20), outcome="acted", action_taken="Tabled a question")
    make_outreach(
        "Written question E-2017-007094",
        kind="written_question",
        sent_on=date(2017, 10, 20),
        authors=[kelam],
        to=[commission],
        campaign_id=campaign.id,
        prompted_by_response_id=reply.id,
    )
    auth.login("viewer")
    page = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    # Timeline: oldest first, with a marker before what is still to come.
    order = ["Sentenced to 14 years", "Please act for Dzhakishev", "Tabled a question", "Today,", "Upcoming milestone"]
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions)
    assert "MEPs write to the Commission" in page and "of MEPs" in page
    supporters = page[page.index('id="supporters"') :]
    assert "Tunne Kelam" in supporters and "acted in reply to: Please act for Dzhakishev" in supporters
    chains = page[page.index('id="threads"') : page.index('id="asks"')]
    assert chains.index("Please act for Dzhakishev") < chains.index("reply from") < chains.index("E-2017-007094")
    assert "1 of 3 recipients replied" in page
    milestones_only = client.get(f"/campaigns/{campaign.id}?show=milestones").get_data(as_text=True)
    timeline = milestones_only[milestones_only.index('id="timeline"') : milestones_only.index('id="threads"')]
    assert "Sentenced to 14 years" in timeline and "Please act for Dzhakishev" not in timeline
    # A viewer gets no buttons that lead to forbidden pages.
    for label in ("Log outreach", "Add milestone", "Add ask", ">Edit<", "record a reply"):
        assert label not in page
    auth.logout()
    auth.login("editor")
    editor_page = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert f"/outreach/new?campaign_id={campaign.id}" in editor_page and "Add milestone" in editor_page


def test_list_shows_next_milestone_and_response_rate(client, auth):
    campaign = make_campaign(subject_person_id=make_person("Dzhakishev", "Mukhtar").id)
    save_milestone(campaign, MilestoneData(today() + timedelta(days=10), "Parole hearing"), actor=None)
    db.session.commit()
    outreach = make_outreach("Letter to MEPs", to=[make_person("Kelam", "Tunne"), make_person("Paet", "Urmas")])
    outreach.campaign_id = campaign.id
    db.session.commit()
    make_response(outreach, outreach.participants[0].person)
    make_campaign("Closed case", status="closed")
    auth.login("viewer")
    page = client.get("/campaigns/").get_data(as_text=True)
    assert "Parole hearing" in page and "50%" in page and "1 of 2 replied" in page and "Mukhtar Dzhakishev" in page
    active = client.get("/campaigns/?status=active").get_data(as_text=True)
    assert "Closed case" not in active and "Add a campaign" not in active


def test_replies_to_one_outreach_on_one_day_share_a_timeline_line(client, auth):
    campaign = make_campaign(description="Sentenced in 2010.\r\n\r\nSources: the ODF report.")
    people = [make_person(name, "MEP") for name in ("Kelam", "Paet", "Tarand")]
    letter = make_outreach("Please act for Dzhakishev", to=people, campaign_id=campaign.id)
    for person in people[:2]:
        make_response(letter, person, received_on=date(2017, 10, 20), outcome="acted")
    make_response(letter, people[2], received_on=date(2017, 11, 2))
    auth.login("viewer")
    page = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    timeline = page[page.index('id="timeline"') : page.index('id="threads"')]
    assert timeline.count("Please act for Dzhakishev") == 3  # the outreach, one line of 2 replies, 1 reply
    assert "2 replies" in timeline and ">Reply<" in timeline
    # The first paragraph shows; the rest (sources) opens on demand.
    assert "Sentenced in 2010." in page and "Read the full description" in page


def test_a_long_timeline_shows_the_latest_entries_first_and_everything_on_request(client, auth, monkeypatch):
    from crm.campaigns import views

    monkeypatch.setattr(views, "TIMELINE_LIMIT", 3)
    campaign = make_campaign()
    for year in range(2010, 2015):
        save_milestone(campaign, MilestoneData(date(year, 1, 1), f"Hearing of {year}"), actor=None)
    db.session.commit()
    auth.login("viewer")
    page = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    timeline = page[page.index('id="timeline"') : page.index('id="threads"')]
    assert "2 earlier entries are not shown." in timeline
    assert "Hearing of 2011" not in timeline and "Hearing of 2012" in timeline and "Hearing of 2014" in timeline
    full = client.get(f"/campaigns/{campaign.id}?full=1").get_data(as_text=True)
    timeline = full[full.index('id="timeline"') : full.index('id="threads"')]
    assert "Hearing of 2010" in timeline and "earlier entries" not in timeline


def test_what_was_sent_or_received_today_is_behind_the_today_line_and_todays_milestone_ahead(client, auth):
    campaign = make_campaign()
    kelam = make_person("Kelam", "Tunne")
    save_milestone(campaign, MilestoneData(today(), "Pardon commission meets"), actor=None)
    db.session.commit()
    ask = make_outreach("Email to the MEPs", to=[kelam], campaign_id=campaign.id, sent_on=today())
    make_response(ask, kelam, received_on=today())
    auth.login("viewer")
    page = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    timeline = page[page.index('id="timeline"') : page.index('id="threads"')]
    marker = timeline.index("today-marker")
    assert timeline.index("Email to the MEPs") < marker < timeline.index("Pardon commission meets")
    sent = timeline[
        timeline.rindex("<li", 0, timeline.index("Email to the MEPs")) : timeline.index("Email to the MEPs")
    ]
    assert "upcoming" not in sent  # done, not still to come
