"""A report goes to the database as JSON and comes back equal, with no pickle on the way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest

from crm.reports import codec
from crm.reports.figures import CampaignReport, Scorecard, ScorecardRow
from crm.reports.service import build_report


def test_a_campaign_report_comes_back_equal(known):
    report = build_report(known["campaign_id"], date(2018, 6, 1), None)
    assert report.totals.outcomes[None] == 0 and report.awaiting  # a None key, dates: the awkward parts

    text = codec.dumps(report)

    assert codec.loads(text, CampaignReport) == report
    assert "pickle" not in text and text.startswith("{")


def test_the_values_of_another_report_come_back_with_their_types():
    card = Scorecard([ScorecardRow(1, "Ada", "MEP", "DE", "EPP", 4, 3, 1, 1, 2.5)], total=1)
    assert codec.loads(codec.dumps(card), Scorecard) == card

    @dataclass
    class Dated:
        at: datetime
        days: dict[int, tuple[date, ...]]
        ratio: float | None

    dated = Dated(datetime(2026, 11, 26, 9, 30), {3: (date(2026, 1, 2),)}, 2)
    back = codec.loads(codec.dumps(dated), Dated)
    assert back == dated and isinstance(back.ratio, float) and isinstance(next(iter(back.days)), int)


def test_values_it_cannot_read_back_are_refused():
    with pytest.raises(TypeError):
        codec.dumps({"a set": {1, 2}})
