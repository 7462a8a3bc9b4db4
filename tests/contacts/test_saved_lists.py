"""The richer people filter (several organisations, a role title, roles on a date) and saved lists, live
and frozen, as services: what they select, alone and with other filters, and what they say in words."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from crm.audit.models import AuditEntry
from crm.contacts import saved_lists
from crm.contacts.models import SavedListMember
from crm.contacts.people import set_archived
from crm.contacts.search import PeopleFilter, people_ids, search_people
from crm.duplicates.merge import merge_people
from crm.errors import Conflict, InvalidInput, NotFound
from crm.extensions import db
from crm.letters.audience import people_filter as letters_filter
from crm.outreach.recipients import PeopleSource, chosen_person_ids
from crm.privacy.erasure import erase_person
from crm.reports.scorecard import ScorecardFilter, scorecard
from crm.timeutil import today
from tests.factories import category_id, make_organisation, make_outreach, make_person, make_role

TERM = (date(2014, 7, 1), date(2019, 7, 1))
IN_2018 = date(2018, 6, 1)


@pytest.fixture
def world(app):
    """Committees and delegations of the 8th term, and of today."""
    droi = make_organisation("Subcommittee on Human Rights", short_name="DROI", type_code="committee")
    afet = make_organisation("Committee on Foreign Affairs", short_name="AFET", type_code="committee")
    dcas = make_organisation("Delegation for relations with Central Asia", short_name="D-CAS", type_code="delegation")
    epp = make_organisation("Group of the European People's Party", short_name="EPP", type_code="political_group")
    mep = category_id("MEP")
    panzeri = make_person("Panzeri", "Pier Antonio", country="IT", category_id=mep)
    make_role(panzeri, droi, "Chair", date(2017, 1, 1), TERM[1])
    make_role(panzeri, droi, "Member", TERM[0], date(2016, 12, 31))
    kelam = make_person("Kelam", "Tunne", country="EE", category_id=mep, tags=["Dzhakishev case"])
    make_role(kelam, afet, "Member", *TERM)
    make_role(kelam, epp, "Member", *TERM)
    tarand = make_person("Tarand", "Indrek", country="EE", category_id=mep)
    make_role(tarand, dcas, "Vice-Chair", *TERM)
    # Today's members: nobody above holds a role today.
    now = make_person("Satouri", "Mounir", country="FR", category_id=mep)
    make_role(now, droi, "Chair", date(2024, 7, 23))
    aide = make_person("Kozlovska", "Lyudmyla", country="PL")
    make_role(aide, dcas, "Member", today() - timedelta(days=30))
    return {
        "droi": droi,
        "afet": afet,
        "dcas": dcas,
        "epp": epp,
        "panzeri": panzeri,
        "kelam": kelam,
        "tarand": tarand,
        "now": now,
        "aide": aide,
    }


def names(filters: PeopleFilter) -> list[str]:
    return [person.family_name for person in search_people(filters).items]


def args(query: str) -> PeopleFilter:
    from urllib.parse import parse_qsl

    return PeopleFilter.from_args(MultiDict(parse_qsl(query)))


# --- The filter --------------------------------------------------------------------------------------------


def test_several_organisations_at_once_member_of_any(world):
    droi, afet, dcas = world["droi"].id, world["afet"].id, world["dcas"].id
    assert names(args(f"organisation_id={droi}&organisation_id={dcas}")) == ["Kozlovska", "Satouri"]
    on_2018 = args(f"organisation_id={droi}&organisation_id={afet}&organisation_id={dcas}&on=2018-06-01")
    assert names(on_2018) == ["Kelam", "Panzeri", "Tarand"]


def test_one_organisation_keeps_its_old_url_and_field(world):
    filters = args(f"organisation_id={world['droi'].id}")
    assert filters.organisation_id == world["droi"].id and filters.organisation_ids == ()
    assert names(filters) == ["Satouri"]
    assert names(PeopleFilter(organisation_id=world["droi"].id, on=IN_2018)) == ["Panzeri"]


def test_a_role_title_at_the_organisations_chosen_or_anywhere(world):
    droi = world["droi"].id
    assert names(args(f"organisation_id={droi}&role=chair&on=2018-06-01")) == ["Panzeri"]
    assert names(args(f"organisation_id={droi}&role=Member&on=2018-06-01")) == []  # his membership ended 2016
    assert names(args(f"organisation_id={droi}&role=Member&on=2015-06-01")) == ["Panzeri"]
    assert names(args("role=Vice-Chair&on=2018-06-01")) == ["Tarand"]
    assert names(args("role=CHAIR")) == ["Satouri"]  # today, anywhere


def test_on_a_date_reads_the_roles_held_that_day(world):
    droi = world["droi"].id
    assert names(args(f"organisation_id={droi}")) == ["Satouri"]
    assert names(args(f"organisation_id={droi}&on=2018-06-01")) == ["Panzeri"]
    assert names(args(f"organisation_id={droi}&on=2013-06-01")) == []  # before the term
    # The political group filter reads the same day.
    assert names(args(f"political_group_id={world['epp'].id}&on=2018-06-01")) == ["Kelam"]
    assert names(args(f"political_group_id={world['epp'].id}")) == []


@pytest.mark.parametrize("junk", ["2018-13-01", "2018-02-30", "yesterday", "20180601", "1-1-2018", " ", "9" * 30])
def test_an_invalid_date_is_ignored(world, junk):
    filters = args(f"organisation_id={world['droi'].id}&on={junk}")
    assert filters.on is None
    assert names(filters) == ["Satouri"]


def test_the_query_string_goes_there_and_back(world):
    droi, dcas = world["droi"].id, world["dcas"].id
    query = f"q=kel&organisation_id={droi}&organisation_id={dcas}&role=Chair&on=2018-06-01&list_id=7&archived=all"
    filters = args(query)
    assert filters.organisations == (droi, dcas)
    assert args(filters.query_string()) == filters
    assert "page" not in filters.query_string()
    assert args(f"organisation_id={droi}&organisation_id={droi}&organisation_id=x").organisations == (droi,)
    assert PeopleFilter.from_args({"organisation_id": str(droi)}).organisations == (droi,)  # a plain mapping


def test_describe_names_things_in_words(world):
    tag_id = world["kelam"].tags[0].id
    filters = PeopleFilter(
        category_id=category_id("MEP"),
        country="KZ",
        organisation_id=world["droi"].id,
        organisation_ids=(world["dcas"].id,),
        role="Chair",
        on=IN_2018,
        tag_id=tag_id,
        contact="ok",
    )
    text = filters.describe()
    assert (
        text == "MEP, Kazakhstan, “Chair” at DROI or D-CAS on 1 June 2018, tagged “Dzhakishev case”, may be contacted"
    )
    assert "country" not in text and "tag_id" not in text and "KZ" not in text
    assert PeopleFilter(organisation_id=world["droi"].id).describe() == "members of DROI"
    assert PeopleFilter(political_group_id=world["epp"].id, on=IN_2018).describe() == "in the EPP group on 1 June 2018"
    assert PeopleFilter(country="XK", archived="all").describe() == "Kosovo, active and archived"
    assert PeopleFilter().describe() == "everyone in the list"
    saved = saved_lists.create_list("DROI members", "live", PeopleFilter(organisation_id=world["droi"].id), actor=None)
    assert PeopleFilter(list_id=saved.id, q="pan").describe() == "the saved list “DROI members”, search “pan”"
    assert "deleted" in PeopleFilter(list_id=saved.id + 1, tag_id=999_999).describe()


# --- Saved lists -------------------------------------------------------------------------------------------


def test_a_live_list_runs_its_filter_again(world):
    saved = saved_lists.create_list(
        "DROI members", "live", PeopleFilter(organisation_id=world["droi"].id), actor=world_user()
    )
    db.session.commit()
    assert names(PeopleFilter(list_id=saved.id)) == ["Satouri"]
    newcomer = make_person("Arena", "Maria", country="BE")
    make_role(newcomer, world["droi"], "Member", date(2019, 7, 2))
    assert names(PeopleFilter(list_id=saved.id)) == ["Arena", "Satouri"]
    assert saved.query == f"organisation_id={world['droi'].id}" and saved.person_count == 0


def test_a_frozen_list_keeps_its_people(world):
    filters = PeopleFilter(organisation_id=world["droi"].id, organisation_ids=(world["dcas"].id,), on=IN_2018)
    saved = saved_lists.create_list("Wrote to in 2018", "frozen", filters, actor=None)
    db.session.commit()
    assert names(PeopleFilter(list_id=saved.id)) == ["Panzeri", "Tarand"]
    assert saved.person_count == 2
    make_role(make_person("Arena", "Maria"), world["droi"], "Member", date(2018, 1, 1))  # a match now, not then
    assert names(PeopleFilter(list_id=saved.id)) == ["Panzeri", "Tarand"]
    assert saved_lists.count_people(saved) == 2


def test_a_list_combines_with_other_filters(world):
    saved = saved_lists.create_list(
        "Committees 2018",
        "frozen",
        PeopleFilter(
            organisation_id=world["droi"].id, organisation_ids=(world["afet"].id, world["dcas"].id), on=IN_2018
        ),
        actor=None,
    )
    live = saved_lists.create_list("MEPs", "live", PeopleFilter(category_id=category_id("MEP")), actor=None)
    assert names(PeopleFilter(list_id=saved.id, country="EE")) == ["Kelam", "Tarand"]
    assert names(PeopleFilter(list_id=saved.id, q="tunne")) == ["Kelam"]
    assert names(PeopleFilter(list_id=saved.id, role="Chair", organisation_id=world["droi"].id, on=IN_2018)) == [
        "Panzeri"
    ]
    assert names(PeopleFilter(list_id=live.id, country="EE")) == ["Kelam", "Tarand"]
    assert names(PeopleFilter(list_id=live.id, organisation_id=world["dcas"].id)) == []  # the aide is no MEP


def test_a_list_made_from_a_list_and_a_deleted_list(world):
    base = saved_lists.create_list("Estonians", "live", PeopleFilter(country="EE"), actor=None)
    nested = saved_lists.create_list("Estonian MEPs", "live", PeopleFilter(list_id=base.id, q="kelam"), actor=None)
    frozen = saved_lists.create_list("Kelam only", "frozen", PeopleFilter(list_id=nested.id), actor=None)
    again = saved_lists.create_list("Kelam again", "frozen", PeopleFilter(list_id=frozen.id, country="EE"), actor=None)
    assert names(PeopleFilter(list_id=nested.id)) == ["Kelam"]
    assert again.person_count == 1 and names(PeopleFilter(list_id=again.id, q="tunne")) == ["Kelam"]
    assert saved_lists.lists_using(base) == [nested]
    saved_lists.delete_list(base, actor=None)
    assert names(PeopleFilter(list_id=nested.id)) == []  # made from a list that is gone: nobody
    assert names(PeopleFilter(list_id=frozen.id)) == ["Kelam"]  # frozen before: its people stay
    assert names(PeopleFilter(list_id=999_999)) == []


def test_a_list_in_a_circle_matches_nobody(world):
    first = saved_lists.create_list("First", "live", PeopleFilter(country="EE"), actor=None)
    second = saved_lists.create_list("Second", "live", PeopleFilter(list_id=first.id), actor=None)
    first.query = f"list_id={second.id}"  # as a hand-edited database or a reused id could leave it
    db.session.flush()
    assert names(PeopleFilter(list_id=first.id)) == []


def test_archived_people_of_a_list(world):
    saved = saved_lists.create_list("Estonians", "frozen", PeopleFilter(country="EE"), actor=None)
    live = saved_lists.create_list("Estonians now", "live", PeopleFilter(country="EE"), actor=None)
    set_archived(world["tarand"], True, actor=None)
    for list_id in (saved.id, live.id):
        assert names(PeopleFilter(list_id=list_id)) == ["Kelam"]
        assert names(PeopleFilter(list_id=list_id, archived="archived")) == ["Tarand"]
    state = saved_lists.frozen_state(saved)
    assert (state.saved, state.active, [p.family_name for p in state.archived]) == (2, 1, ["Tarand"])


def test_a_live_list_of_archived_people_opens_on_them(world):
    set_archived(world["tarand"], True, actor=None)
    saved = saved_lists.create_list("Gone", "live", PeopleFilter(archived="archived"), actor=None)
    assert saved_lists.people_filter(saved).archived == "archived"
    assert saved_lists.count_people(saved) == 1


def test_a_merge_puts_the_person_kept_in_the_frozen_lists(world):
    duplicate = make_person("Kelam", "Tunne", country="EE")
    both = saved_lists.create_list("Both Kelams", "frozen", PeopleFilter(q="kelam"), actor=None)
    only = saved_lists.create_list("Second Kelam", "frozen", PeopleFilter(q="kelam", country="EE"), actor=None)
    db.session.execute(
        SavedListMember.__table__.delete().where(
            SavedListMember.saved_list_id == only.id, SavedListMember.person_id == world["kelam"].id
        )
    )
    merge_people(world["kelam"], duplicate, {}, actor=None)
    db.session.commit()
    for saved in (both, only):
        assert people_ids(PeopleFilter(list_id=saved.id), 10) == [world["kelam"].id]
    state = saved_lists.frozen_state(only)
    assert [(person.id, merged_from) for person, merged_from in state.merged] == [(world["kelam"].id, duplicate.id)]
    assert state.active == 1 and state.archived == []
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.entity_id == world["kelam"].id, AuditEntry.action == "merge")
    )
    assert entry.changes["saved lists moved in"] == [None, ["Both Kelams", "Second Kelam"]]


def test_an_erased_person_stays_counted_but_out_of_use(world):
    saved = saved_lists.create_list("Estonians", "frozen", PeopleFilter(country="EE"), actor=None)
    erase_person(world["tarand"].id, "asked us to", actor=None)
    db.session.commit()
    assert names(PeopleFilter(list_id=saved.id)) == ["Kelam"]
    state = saved_lists.frozen_state(saved)
    assert [person.id for person in state.archived] == [world["tarand"].id]


def test_people_deleted_since_are_counted(world):
    saved = saved_lists.create_list("Estonians", "frozen", PeopleFilter(country="EE"), actor=None)
    db.session.delete(world["tarand"])  # as an undone import deletes the people it made
    db.session.flush()
    state = saved_lists.frozen_state(saved)
    assert (state.saved, state.active, state.deleted) == (2, 1, 1)


# --- Names, audit -----------------------------------------------------------------------------------------


def world_user():
    from crm.auth.service import create_user

    return create_user("lists@example.org", "correct horse battery", role="editor")


def test_names_are_unique_whatever_their_case(world):
    saved_lists.create_list("DROI members", "live", PeopleFilter(), actor=None)
    with pytest.raises(Conflict, match="already"):
        saved_lists.create_list("  droi   MEMBERS ", "frozen", PeopleFilter(), actor=None)
    with pytest.raises(InvalidInput):
        saved_lists.create_list("   ", "live", PeopleFilter(), actor=None)
    with pytest.raises(InvalidInput):
        saved_lists.create_list("x" * 121, "live", PeopleFilter(), actor=None)
    with pytest.raises(InvalidInput):
        saved_lists.create_list("Other", "sometimes", PeopleFilter(), actor=None)


def test_rename_and_delete_are_audited(world):
    user = world_user()
    saved = saved_lists.create_list("DROI", "frozen", PeopleFilter(organisation_id=world["droi"].id), actor=user)
    other = saved_lists.create_list("Others", "live", PeopleFilter(), actor=user)
    with pytest.raises(Conflict):
        saved_lists.rename_list(other, "droi", actor=user)
    saved_lists.rename_list(saved, "Droi", actor=user)  # its own name in another case is fine
    saved_lists.rename_list(saved, "DROI members", actor=user)
    list_id = saved.id
    saved_lists.delete_list(saved, actor=user)
    db.session.commit()
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == "saved_list", AuditEntry.entity_id == list_id)
    ).all()
    assert [entry.action for entry in entries] == ["create", "rename", "rename", "delete"]
    assert entries[0].changes["filter"] == [None, "members of DROI"] and entries[0].changes["people"] == [None, 1]
    assert entries[2].changes == {"name": ["Droi", "DROI members"]}
    assert entries[3].changes["name"] == ["DROI members", None] and entries[3].changes["people"] == [1, None]
    assert all(entry.actor_id == user.id for entry in entries)
    assert db.session.scalar(select(SavedListMember).where(SavedListMember.saved_list_id == list_id)) is None
    with pytest.raises(NotFound):
        saved_lists.get_list(list_id)


def test_find_a_list_by_name_or_id(world):
    saved = saved_lists.create_list("DROI members", "live", PeopleFilter(), actor=None)
    assert saved_lists.find_list("droi members") is saved
    assert saved_lists.find_list(f" {saved.id} ") is saved
    with pytest.raises(NotFound, match="“Nobody”"):
        saved_lists.find_list("Nobody")


# --- Wherever a filter is --------------------------------------------------------------------------------


def test_outreach_email_and_letters_take_a_list(world):
    saved = saved_lists.create_list(
        "DROI 2018", "live", PeopleFilter(organisation_id=world["droi"].id, on=IN_2018), actor=None
    )
    source = PeopleSource(people_filter=f"list_id={saved.id}")
    assert chosen_person_ids(source, 100) == [world["panzeri"].id]
    assert source.describe() == "people list: the saved list “DROI 2018”"
    query = letters_filter(["list=droi 2018", "country=IT"])
    assert chosen_person_ids(PeopleSource(people_filter=query), 100) == [world["panzeri"].id]
    assert letters_filter([f"organisation_id={world['droi'].id}&on=2018-06-01&role=Chair"]).count("=") == 3
    with pytest.raises(InvalidInput, match="no saved list"):
        letters_filter(["list=nobody"])


def test_the_scorecard_takes_a_list(world):
    saved = saved_lists.create_list("Estonians", "frozen", PeopleFilter(country="EE"), actor=None)
    make_outreach("Appeal", to=[world["kelam"], world["panzeri"]])
    everyone = {row.name for row in scorecard(ScorecardFilter()).rows}
    assert everyone == {"Tunne Kelam", "Pier Antonio Panzeri"}
    assert [row.name for row in scorecard(ScorecardFilter(list_id=saved.id)).rows] == ["Tunne Kelam"]
