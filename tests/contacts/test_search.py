"""People search: case, diacritics and script insensitive; filters; sorting; pages."""

from datetime import date

import pytest

from crm.contacts.people import set_archived
from crm.contacts.search import (
    OrganisationFilter,
    PeopleFilter,
    lookup_organisations,
    search_organisations,
    search_people,
)
from crm.extensions import db
from tests.factories import category_id, make_organisation, make_person, make_role


@pytest.fixture
def people(app):
    ep = make_organisation("European Parliament", short_name="EP", type_code="parliament")
    epp = make_organisation("Group of the European People's Party", short_name="EPP", type_code="political_group")
    sd = make_organisation(
        "Progressive Alliance of Socialists and Democrats", short_name="S&D", type_code="political_group"
    )
    zdechovsky = make_person(
        "Zdechovský", "Tomáš", country="CZ", category_id=category_id("MEP"), tags=["Dzhakishev case"]
    )
    dzhakishev = make_person(
        "Dzhakishev",
        "Mukhtar",
        native_name="Мухтар Джакишев",
        country="KZ",
        category_id=category_id("Political prisoner"),
    )
    ward = make_person(
        "Ward", "Julie", country="GB", category_id=category_id("MEP"), emails=("julie.ward@example.org",)
    )
    kozlovska = make_person("Kozlovska", "Lyudmyla", emails=("lyudmylakozlovska@odfoundation.eu",))
    for mep, group in ((zdechovsky, epp), (ward, sd)):
        make_role(mep, ep, "Member of the European Parliament", date(2014, 7, 1))
        make_role(mep, group, "Member", date(2014, 7, 1))
    make_role(ward, epp, "Member", date(2009, 7, 1), date(2010, 1, 1))  # a past group does not count
    return {
        "zdechovsky": zdechovsky,
        "dzhakishev": dzhakishev,
        "ward": ward,
        "kozlovska": kozlovska,
        "epp": epp,
        "sd": sd,
        "ep": ep,
    }


def names(**filters) -> list[str]:
    return [p.family_name for p in search_people(PeopleFilter(**filters)).items]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zdechovsky", ["Zdechovský"]),
        ("ZDECHOVSKÝ", ["Zdechovský"]),
        ("Djakishev", ["Dzhakishev"]),
        ("Джакишев", ["Dzhakishev"]),
        ("Мухтар", ["Dzhakishev"]),
        ("dzhakishev mukhtar", ["Dzhakishev"]),
        ("tomas zdech", ["Zdechovský"]),
        ("julie.ward@", ["Ward"]),
        ("odfoundation", ["Kozlovska"]),
        ("S&D", ["Ward"]),
        ("european parliament", ["Ward", "Zdechovský"]),
        ("nobody-here", []),
        ("100%", []),
        ("_", []),
    ],
)
def test_search_by_name_email_or_organisation(people, query, expected):
    assert names(q=query) == expected


def test_filters(people):
    assert names(category_id=category_id("MEP")) == ["Ward", "Zdechovský"]
    assert names(country="KZ") == ["Dzhakishev"]
    assert names(political_group_id=people["epp"].id) == ["Zdechovský"]  # Ward left EPP in 2010
    assert names(organisation_id=people["ep"].id, q="ward") == ["Ward"]
    tag_id = people["zdechovsky"].tags[0].id
    assert names(tag_id=tag_id) == ["Zdechovský"]


def test_archived_people_are_hidden_unless_asked_for(people):
    set_archived(people["ward"], True, actor=None)
    db.session.commit()
    assert "Ward" not in names()
    assert names(archived="archived") == ["Ward"]
    assert "Ward" in names(archived="all")


def test_sorting_and_pages(people):
    assert names() == ["Dzhakishev", "Kozlovska", "Ward", "Zdechovský"]
    assert names(sort="-name") == ["Zdechovský", "Ward", "Kozlovska", "Dzhakishev"]
    assert names(sort="country")[0] == "Zdechovský"  # CZ < GB < KZ, then people without a country
    page = search_people(PeopleFilter(), page=2, per_page=3)
    assert page.total == 4 and page.pages == 2 and [p.family_name for p in page.items] == ["Zdechovský"]
    assert (page.first_index, page.last_index) == (4, 4)
    beyond = search_people(PeopleFilter(), page=9, per_page=3)
    assert beyond.items == [] and beyond.total == 4


def test_organisation_search_and_lookup(people):
    assert [o.short_name for o in search_organisations(OrganisationFilter(q="socialists")).items] == ["S&D"]
    page = search_organisations(OrganisationFilter(q="european"))
    assert page.extra["member_counts"][people["ep"].id] == 2
    assert [o.short_name for o in lookup_organisations("europ")][:1] == ["EP"]  # shortest name first
