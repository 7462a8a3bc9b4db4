"""Campaign lines and the supporters to mobilise, read in one statement for many campaigns."""

from datetime import date, timedelta

from crm.campaigns.service import MilestoneData, save_milestone
from crm.contacts.people import set_archived
from crm.extensions import db
from crm.outreach.campaign_summaries import campaign_summaries, recent_supporters
from crm.timeutil import today
from tests.factories import category_id, make_campaign, make_outreach, make_person, make_response


def _names(supporters) -> list[str]:
    return [supporter.display_name for supporter in supporters]


def test_recent_supporters_newest_first_per_campaign(app):
    ours, gone = make_person("Kozlovska", "Lyudmyla", category_id=category_id("Foundation staff")), make_person("Gone")
    set_archived(gone, True, actor=None)
    kelam, paet, tarand, ojuland = (make_person(name, "MEP") for name in ("Kelam", "Paet", "Tarand", "Ojuland"))
    dzhakishev, viasna = make_campaign(), make_campaign("Viasna defenders")
    make_outreach("Old letter", sent_on=date(2016, 1, 1), authors=[ours, kelam], campaign_id=dzhakishev.id)
    make_outreach(
        "Joint letter", kind="joint_letter", sent_on=date(2017, 5, 1), signatories=[paet, gone, kelam],
        to=[tarand], campaign_id=dzhakishev.id,
    )  # fmt: skip
    ask = make_outreach("Please act", sent_on=date(2017, 1, 1), to=[tarand, ojuland], campaign_id=dzhakishev.id)
    make_response(ask, tarand, received_on=date(2017, 6, 1), outcome="acted")  # supports, and most recently
    make_response(ask, ojuland, received_on=date(2017, 7, 1), outcome="declined")  # does not
    make_outreach("Elsewhere", sent_on=date(2017, 8, 1), authors=[ojuland], campaign_id=viasna.id)
    db.session.commit()

    found = recent_supporters([dzhakishev.id, viasna.id], 5)
    # Tarand acted in June; Paet and Kelam signed in May (same day: newest row first); staff and archived left out.
    assert _names(found[dzhakishev.id]) == ["MEP Tarand", "MEP Kelam", "MEP Paet"]
    assert _names(found[viasna.id]) == ["MEP Ojuland"]
    assert _names(recent_supporters([dzhakishev.id], 2)[dzhakishev.id]) == ["MEP Tarand", "MEP Kelam"]
    assert recent_supporters([], 5) == {}


def test_summaries_give_totals_and_the_next_milestone(app):
    campaign, quiet = make_campaign(), make_campaign("Viasna defenders")
    for days, title in ((-5, "Appeal rejected"), (30, "Parole hearing"), (30, "Vigil"), (90, "Review")):
        save_milestone(campaign, MilestoneData(today() + timedelta(days=days), title), actor=None)
    db.session.commit()
    people = [make_person(name, "MEP") for name in ("Kelam", "Paet")]
    letter = make_outreach("Please act", to=people, sent_on=date(2017, 10, 11), campaign_id=campaign.id)
    make_outreach("Draft", to=people, sent_on=None, status="draft", campaign_id=campaign.id)
    make_response(letter, people[0])

    first, second = campaign_summaries([campaign, quiet])
    assert (first.campaign, first.outreach, first.last_outreach_on) == (campaign, 1, date(2017, 10, 11))
    assert (first.recipients, first.replied, first.response_rate) == (2, 1, 0.5)
    assert first.next_milestone.title == "Parole hearing"  # of two on the same day, the first saved
    assert (second.campaign, second.outreach, second.next_milestone, second.response_rate) == (quiet, 0, None, None)
    assert campaign_summaries([]) == []
