"""The engagement scorecard on the known fixture (see conftest)."""

from __future__ import annotations

from datetime import date

from crm.reports.scorecard import ScorecardFilter, scorecard
from tests.factories import category_id, make_outreach, make_response


def _lines(card):
    return {row.name: (row.asked, row.answered, row.acted, row.committed, row.median_days) for row in card.rows}


def test_scorecard_counts_for_everyone(known):
    card = scorecard()

    assert _lines(card) == {
        "A Adler": (1, 1, 1, 1, 5.0),
        "B Brandt": (2, 1, 0, 0, 40.0),
        "C Chevalier": (1, 0, 0, 0, None),
        "D Dupont": (1, 1, 1, 0, 10.0),
        "E Ewa": (1, 0, 0, 0, None),
        "F Fijalkowski": (1, 1, 0, 0, 120.0),
    }
    assert card.rows[0].name == "B Brandt"  # the most asked first
    assert card.total == 6
    by_name = {row.name: row for row in card.rows}
    assert by_name["B Brandt"].response_rate == 0.5
    assert by_name["C Chevalier"].group == "Greens/EFA"  # today's group
    assert (by_name["A Adler"].country, by_name["A Adler"].category) == ("Germany", "MEP")


def test_scorecard_filters(known):
    in_campaign = scorecard(ScorecardFilter(campaign_id=known["campaign_id"]))
    assert _lines(in_campaign)["B Brandt"] == (1, 1, 0, 0, 40.0)

    deputies = scorecard(ScorecardFilter(category_id=category_id("PACE deputy")))
    assert sorted(_lines(deputies)) == ["E Ewa", "F Fijalkowski"]

    french = scorecard(ScorecardFilter(country="FR"))
    assert sorted(_lines(french)) == ["C Chevalier", "D Dupont"]


def test_median_per_person_of_an_even_and_odd_count(known):
    people = known["people"]
    from crm.contacts.models import Person
    from crm.extensions import db

    adler = db.session.get(Person, people["A"])
    for sent, received in ((date(2018, 2, 1), date(2018, 2, 8)), (date(2018, 3, 1), date(2018, 4, 30))):
        outreach = make_outreach(f"Again {sent}", to=[adler], sent_on=sent)
        make_response(outreach, adler, received)
    # Days 5, 7, 60: the middle one.
    assert _lines(scorecard())["A Adler"][4] == 7.0
    outreach = make_outreach("Once more", to=[adler], sent_on=date(2018, 6, 1))
    make_response(outreach, adler, date(2018, 6, 10))
    # Days 5, 7, 9, 60: the mean of the middle two.
    assert _lines(scorecard())["A Adler"][4] == 8.0
