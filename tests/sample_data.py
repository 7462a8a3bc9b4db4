"""The small world of contacts and outreach the suites share (the `sample_world` fixture); each suite adds
only what is particular to it (the reports their asks, the exports fully filled-in people).

Six recipients in three political groups and three countries, on three outreach entries:

  O1 letter 2017-10-11 to A, B, C    A replies 2017-10-16 (5 days, committed), B 2017-11-20 (40, acknowledged)
  O2 email  2017-11-01 to D, E       D replies 2017-11-11 (10 days, acted)
  O3 letter 2018-01-15 to F          F replies 2018-05-15 (120 days, declined); A signs O3

A, B: MEPs, Germany, EPP.  C, D: MEPs, France, S&D (C moves to the Greens on 2018-01-01).
E, F: PACE deputies, Poland, Greens/EFA.  Members of the European Parliament (A-D) or PACE (E, F).
All three entries belong to the campaign "Free Mukhtar Dzhakishev"; a second campaign has one email to
B (2018-03-01), unanswered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crm.campaigns.models import Campaign
from crm.contacts.models import Organisation, Person
from crm.extensions import db
from crm.outreach.models import Outreach
from tests.factories import (
    category_id,
    make_campaign,
    make_organisation,
    make_outreach,
    make_person,
    make_response,
    make_role,
)

SINCE = date(2014, 7, 1)


@dataclass(frozen=True)
class SampleWorld:
    parliament: Organisation
    pace: Organisation
    epp: Organisation
    sd: Organisation
    greens: Organisation
    people: dict[str, Person]  # by letter, "A" to "F"
    campaign: Campaign
    other: Campaign
    outreach: dict[str, Outreach]  # "O1" to "O3", and "other" (the second campaign's email)


def build_sample_world() -> SampleWorld:
    parliament = make_organisation("European Parliament", short_name="EP")
    pace = make_organisation("Parliamentary Assembly of the Council of Europe", short_name="PACE")
    epp = make_organisation("Group of the European People's Party", short_name="EPP", type_code="political_group")
    sd = make_organisation(
        "Group of the Progressive Alliance of Socialists and Democrats", short_name="S&D", type_code="political_group"
    )
    greens = make_organisation(
        "Group of the Greens/European Free Alliance", short_name="Greens/EFA", type_code="political_group"
    )
    mep, deputy = category_id("MEP"), category_id("PACE deputy")
    people = {}
    for key, family, country, category, house, group in (
        ("A", "Adler", "DE", mep, parliament, epp),
        ("B", "Brandt", "DE", mep, parliament, epp),
        ("C", "Chevalier", "FR", mep, parliament, sd),
        ("D", "Dupont", "FR", mep, parliament, sd),
        ("E", "Ewa", "PL", deputy, pace, greens),
        ("F", "Fijalkowski", "PL", deputy, pace, greens),
    ):
        person = make_person(family, key, country=country, category_id=category)
        make_role(person, house, "Member", SINCE)
        make_role(person, group, "Member", SINCE, date(2017, 12, 31) if key == "C" else None)
        people[key] = person
    make_role(people["C"], greens, "Member", date(2018, 1, 1))
    campaign = make_campaign("Free Mukhtar Dzhakishev")
    other = make_campaign("Another case")
    o1 = make_outreach(
        "Letter to MEPs",
        kind="letter",
        sent_on=date(2017, 10, 11),
        to=[people[k] for k in "ABC"],
        campaign_id=campaign.id,
    )
    o2 = make_outreach(
        "Email to D and E",
        kind="email",
        sent_on=date(2017, 11, 1),
        to=[people["D"], people["E"]],
        campaign_id=campaign.id,
    )
    o3 = make_outreach(
        "Letter to F",
        kind="letter",
        sent_on=date(2018, 1, 15),
        to=[people["F"]],
        signatories=[people["A"]],
        campaign_id=campaign.id,
    )
    to_b = make_outreach("Email to B", kind="email", sent_on=date(2018, 3, 1), to=[people["B"]], campaign_id=other.id)
    make_response(o1, people["A"], date(2017, 10, 16), "committed")
    make_response(o1, people["B"], date(2017, 11, 20), "acknowledged")
    make_response(o2, people["D"], date(2017, 11, 11), "acted")
    make_response(o3, people["F"], date(2018, 5, 15), "declined")
    db.session.commit()
    return SampleWorld(
        parliament=parliament,
        pace=pace,
        epp=epp,
        sd=sd,
        greens=greens,
        people=people,
        campaign=campaign,
        other=other,
        outreach={"O1": o1, "O2": o2, "O3": o3, "other": to_b},
    )
