"""The campaign report's figures on the known fixture (see conftest), exact on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from crm.contacts.models import Person
from crm.errors import NotFound
from crm.extensions import db
from crm.reports.figures import ReplyStats, bucket_of, median_of
from crm.reports.service import campaign_report
from tests.factories import make_role
from tests.sample_data import SINCE

AS_OF = date(2018, 6, 1)


def _rows(report, key):
    breakdown = next(b for b in report.breakdowns if b.key == key)
    return {row.label: row.stats for row in breakdown.rows}


def _summary(stats):
    return (stats.recipients, stats.replied, stats.response_rate, stats.median_days)


def test_median_of_a_histogram():
    assert median_of({}) is None
    assert median_of({7: 1}) == 7
    assert median_of({5: 1, 10: 1, 40: 1, 120: 1}) == 25
    assert median_of({3: 2, 9: 1}) == 3
    assert median_of({1: 1, 2: 2, 9: 1}) == 2


def test_a_count_below_one_from_a_moment_between_two_statements_is_left_out_not_fatal():
    # "No group" lost a recipient to a group held whose reply was logged between the two counts (a 500
    # of the campaign report under load, found by bench/load_bench.py).
    stats = ReplyStats.from_days([(None, 1), (3, 2), (5, -1), (9, 0)])
    assert _summary(stats) == (3, 2, 2 / 3, 3)


def test_buckets_have_inclusive_edges():
    assert [bucket_of(d) for d in (0, 7, 8, 14, 15, 30, 31, 60, 61, 90, 91, None)] == [
        "0–7", "0–7", "8–14", "8–14", "15–30", "15–30", "31–60", "31–60", "61–90", "61–90", ">90", "No reply"
    ]  # fmt: skip
    assert bucket_of(-2) == "0–7"  # a reply dated before the letter


def test_stats_from_day_counts():
    stats = ReplyStats.from_days([(None, 2), (5, 1), (40, 1)])
    assert _summary(stats) == (4, 2, 0.5, 22.5)


def test_campaign_totals(known):
    report = campaign_report(known["campaign_id"], as_of=AS_OF)

    assert report.title == "Free Mukhtar Dzhakishev"
    assert _summary(report.totals) == (6, 4, 4 / 6, 25.0)
    assert report.totals.buckets == {"0–7": 1, "8–14": 1, "15–30": 0, "31–60": 1, "61–90": 0, ">90": 1, "No reply": 2}
    assert report.totals.outcomes == {
        "acted": 1, "committed": 1, "acknowledged": 1, "declined": 1, "hostile": 0, "other": 0, None: 0
    }  # fmt: skip
    assert report.totals.responses == 4


def test_breakdown_by_political_group_uses_the_group_on_the_day_sent(known):
    groups = _rows(campaign_report(known["campaign_id"], as_of=AS_OF), "group")

    # C was in S&D when asked in October 2017, though in the Greens since 2018.
    assert {label: _summary(stats) for label, stats in groups.items()} == {
        "EPP": (2, 2, 1.0, 22.5),
        "S&D": (2, 1, 0.5, 10.0),
        "Greens/EFA": (2, 1, 0.5, 120.0),
    }
    assert groups["EPP"].outcomes["committed"] == 1 and groups["EPP"].outcomes["acknowledged"] == 1
    assert groups["S&D"].outcomes["acted"] == 1
    assert groups["Greens/EFA"].buckets[">90"] == 1 and groups["Greens/EFA"].buckets["No reply"] == 1


def test_breakdowns_by_country_kind_category_and_organisation(known):
    report = campaign_report(known["campaign_id"], as_of=AS_OF)

    assert {k: _summary(s) for k, s in _rows(report, "country").items()} == {
        "Germany": (2, 2, 1.0, 22.5),
        "France": (2, 1, 0.5, 10.0),
        "Poland": (2, 1, 0.5, 120.0),
    }
    assert {k: _summary(s) for k, s in _rows(report, "kind").items()} == {
        "Letter": (4, 3, 0.75, 40.0),
        "Email": (2, 1, 0.5, 10.0),
    }
    assert {k: _summary(s) for k, s in _rows(report, "category").items()} == {
        "MEP": (4, 3, 0.75, 10.0),
        "PACE deputy": (2, 1, 0.5, 120.0),
    }
    assert {k: _summary(s) for k, s in _rows(report, "organisation").items()} == {
        "European Parliament": (4, 3, 0.75, 10.0),
        "Parliamentary Assembly of the Council of Europe": (2, 1, 0.5, 120.0),
    }
    assert [b.key for b in report.breakdowns] == ["kind", "category", "group", "country", "organisation"]


def test_months_supporters_asks_and_awaiting(known):
    report = campaign_report(known["campaign_id"], as_of=AS_OF)

    assert report.kinds == ["Letter", "Email"]
    assert [(m.month, m.by_kind, m.replies) for m in report.months] == [
        ("2017-10", {"Letter": 1}, 1),
        ("2017-11", {"Email": 1}, 2),
        ("2018-01", {"Letter": 1}, 0),
        ("2018-05", {}, 1),
    ]
    assert [(s.name, s.signed, s.wrote, s.acted, s.committed) for s in report.supporters] == [
        ("A Adler", 1, 0, 0, 1),
        ("D Dupont", 0, 0, 1, 0),
    ]
    assert [ask.title for ask in report.open_asks] == ["MEPs write to the Commission"]
    assert sorted(line.party for line in report.awaiting) == ["C Chevalier", "E Ewa"]
    assert report.awaiting_total == 2


def test_cross_campaign_view_adds_the_other_campaign(known):
    report = campaign_report(None, as_of=AS_OF)

    assert report.title == "All campaigns"
    assert _summary(report.totals) == (7, 4, 4 / 7, 25.0)
    assert report.totals.buckets["No reply"] == 3
    assert {k: _summary(s) for k, s in _rows(report, "campaign").items()} == {
        "Free Mukhtar Dzhakishev": (6, 4, 4 / 6, 25.0),
        "Another case": (1, 0, 0.0, None),
    }
    assert _summary(_rows(report, "group")["EPP"]) == (3, 2, 2 / 3, 22.5)
    assert sorted(line.party for line in report.awaiting) == ["B Brandt", "C Chevalier", "E Ewa"]


def test_unknown_campaign_is_not_found(app):
    with pytest.raises(NotFound):
        campaign_report(999)


def test_two_roles_in_one_group_count_once(known):
    person = db.session.get(Person, known["people"]["A"])
    epp = next(role.organisation for role in person.roles if role.organisation.short_name == "EPP")
    make_role(person, epp, "Vice-chair", SINCE)  # member and vice-chair of the EPP group at once

    groups = _rows(campaign_report(known["campaign_id"], as_of=AS_OF), "group")

    assert _summary(groups["EPP"]) == (2, 2, 1.0, 22.5)
