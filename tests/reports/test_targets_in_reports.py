"""Targets and named supporters in the campaign report, its workbook and the campaign page's summary.

The known campaign (tests/sample_data.py): A replied to O1, C was asked by O1 and never replied, D acted
in reply to O2, A signed O3; B was asked by the other campaign's email and never replied."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from crm.campaigns.members import add_members, get_member, remove_member
from crm.campaigns.models import Campaign
from crm.contacts.models import Person
from crm.extensions import db
from crm.outreach.campaign_overview import campaign_overview
from crm.outreach.campaign_targets import TargetCounts, counts_of, target_counts
from crm.reports.service import campaign_report
from crm.reports.supporters import supporters
from tests.factories import category_id, make_organisation, make_outreach, make_person, make_response


@pytest.fixture
def members(known):
    """Targets A (replied), C (asked, no reply) and G (not asked: only a draft to G); named supporters A
    (outreach shows A too) and E (outreach does not); in the other campaign, B a target (asked)."""
    campaign = db.session.get(Campaign, known["campaign_id"])
    other = db.session.get(Campaign, known["other_id"])
    people = known["people"]
    newcomer = make_person("Gauss", "G")
    make_outreach("Draft to G", sent_on=None, to=[newcomer], campaign_id=campaign.id, status="draft")
    add_members(campaign, [people["A"], people["C"], newcomer.id], "target", actor=None)
    add_members(campaign, [people["A"], people["E"]], "supporter", actor=None)
    add_members(other, [people["B"]], "target", actor=None)
    db.session.commit()
    return {"campaign": campaign, "other": other, "newcomer": newcomer.id}


def test_targets_are_counted_by_how_far_the_outreach_got(members):
    campaign = members["campaign"]

    counts = target_counts(campaign.id)

    assert counts == TargetCounts(targets=3, asked=2, replied=1)
    assert (counts.not_asked, counts.reply_rate) == (1, 0.5)
    assert counts_of(campaign_overview(campaign).targets) == counts  # the page and the report agree
    assert target_counts(members["other"].id) == TargetCounts(1, 1, 0)
    assert target_counts(None) == TargetCounts(4, 3, 1)  # each campaign's targets


def test_a_target_who_replied_for_the_organisation_asked_counts_as_asked(members):
    campaign = members["campaign"]
    ministry = make_organisation("Ministry of Foreign Affairs")
    letter = make_outreach("To the ministry", to=[ministry], campaign_id=campaign.id)
    make_response(letter, db.session.get(Person, members["newcomer"]), date(2017, 11, 2))

    assert target_counts(campaign.id) == TargetCounts(targets=3, asked=3, replied=2)


def test_no_targets_no_rate(known):
    counts = target_counts(known["campaign_id"])

    assert counts == TargetCounts(0, 0, 0) and counts.reply_rate is None


def test_named_supporters_count_once_with_those_outreach_shows(known, members):
    rows, total, named = supporters(known["campaign_id"])

    lines = {row.name: (row.signed, row.acted, row.committed, row.named) for row in rows}
    assert lines == {"A Adler": (1, 0, 1, 1), "D Dupont": (0, 1, 0, 0), "E Ewa": (0, 0, 0, 1)}
    assert (total, named) == (3, 2)
    assert {row.name: row.actions for row in rows}["E Ewa"] == "named a supporter"
    overview = campaign_overview(members["campaign"])
    assert (len(overview.supporters), overview.named_supporters) == (3, 2)  # the page counts the same


def test_a_staff_member_named_a_supporter_stays(known, members):
    staff = make_person("Staffer", "S", category_id=category_id("Foundation staff"))
    add_members(members["campaign"], [staff.id], "supporter", actor=None)
    db.session.commit()

    rows, total, named = supporters(known["campaign_id"])

    assert "S Staffer" in [row.name for row in rows] and (total, named) == (4, 3)


def test_the_report_counts_targets_and_supporters_and_follows_membership_changes(known, members):
    campaign = members["campaign"]
    before = campaign_report(campaign.id)
    assert (before.targets, before.supporters_total, before.named_supporters) == (TargetCounts(3, 2, 1), 3, 2)
    assert campaign_report(None).targets == TargetCounts(4, 3, 1)

    # The report is kept until report data changes: adding and taking off members changes it.
    add_members(campaign, [known["people"]["D"]], "target", actor=None)
    db.session.commit()
    assert campaign_report(campaign.id).targets == TargetCounts(4, 3, 2)

    member = next(m for m in _members(campaign, "supporter") if m.person_id == known["people"]["E"])
    remove_member(campaign, get_member(campaign, member.id), actor=None)
    db.session.commit()
    after = campaign_report(campaign.id)
    assert (after.supporters_total, after.named_supporters) == (2, 1)


def _members(campaign, role):
    from crm.campaigns.members import campaign_members

    return campaign_members(campaign.id, role)


def test_the_report_page_and_workbook_show_the_targets(known, members, client, auth):
    auth.login("viewer")
    html = client.get(f"/reports/campaigns/{known['campaign_id']}").get_data(as_text=True)

    for figure, value in (
        ("targets", "3"),
        ("targets-asked", "2"),
        ("targets-replied", "1"),
        ("target-reply-rate", "50 %"),
        ("supporters", "3"),
        ("named-supporters", "2"),
    ):
        assert f'data-figure="{figure}">{value}<' in html, figure
    assert "2 of them named by staff" in html

    response = client.get(f"/reports/campaigns/{known['campaign_id']}.xlsx")
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    header, row = list(book["Summary"].iter_rows(values_only=True))[:2]
    summary = dict(zip(header, row, strict=True))
    assert [summary[name] for name in ("Targets", "Targets asked", "Targets replied", "Target reply rate")] == [
        3,
        2,
        1,
        0.5,
    ]
    assert (summary["Supporters"], summary["Supporters named by staff"]) == (3, 2)
    sheet = list(book["Supporters"].iter_rows(values_only=True))
    named = {line[0]: line[sheet[0].index("Named by staff")] for line in sheet[1:]}
    assert named == {"A Adler": 1, "D Dupont": 0, "E Ewa": 1}


def test_the_campaign_page_summary_says_how_far_the_targets_are(known, members, client, auth):
    auth.login("viewer")
    html = client.get(f"/campaigns/{known['campaign_id']}").get_data(as_text=True)

    figures = html.split('class="card-body py-2 target-figures">', 1)[1].split("</div></div></div>", 1)[0]
    assert "Targets replied" in figures and "1 of 3" in figures
    assert "2 asked, 50% of them replied" in figures and "1 not asked yet" in figures
    supporters_box = html.split('class="card-body py-2 supporter-figures">', 1)[1].split("</div></div></div>", 1)[0]
    assert ">3<" in supporters_box and "2 named here" in supporters_box


def test_a_kept_report_reads_back_its_targets(known, members):
    from crm.reports import codec
    from crm.reports.figures import CampaignReport

    built = campaign_report(known["campaign_id"])
    kept = campaign_report(known["campaign_id"])  # no change since: read back from the database

    assert kept == built == codec.loads(codec.dumps(built), CampaignReport)
    assert kept.targets == TargetCounts(3, 2, 1) and kept.named_supporters == 2
    assert {row.name: row.named for row in kept.supporters} == {"A Adler": 1, "D Dupont": 0, "E Ewa": 1}
