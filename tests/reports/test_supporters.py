"""Supporters on the report: staff are left out unless a reply says they acted; the page lists the first."""

from __future__ import annotations

from datetime import date

from crm.reports.supporters import supporters
from tests.factories import category_id, make_outreach, make_person, make_response


def _lines(rows):
    return [(s.name, s.signed, s.wrote, s.acted, s.committed) for s in rows]


def test_staff_who_sign_are_not_supporters_unless_they_acted(known):
    staff = category_id("Foundation staff")
    writer = make_person("Writer", "W", category_id=staff)
    helper = make_person("Helper", "H", category_id=staff)
    letter = make_outreach(
        "Staff letter",
        sent_on=date(2018, 2, 1),
        to=[helper],
        authors=[writer, helper],
        campaign_id=known["campaign_id"],
    )
    make_response(letter, helper, date(2018, 2, 5), "acted")

    rows, total, named = supporters(known["campaign_id"])

    assert _lines(rows) == [("A Adler", 1, 0, 0, 1), ("D Dupont", 0, 0, 1, 0), ("H Helper", 0, 0, 1, 0)]
    assert (total, named) == (3, 0)


def test_the_page_gets_the_first_supporters_and_how_many_there_are(known):
    rows, total, named = supporters(known["campaign_id"], limit=1)

    assert _lines(rows) == [("A Adler", 1, 0, 0, 1)]
    assert (total, named) == (2, 0)
    assert supporters(known["other_id"]) == ([], 0, 0)
