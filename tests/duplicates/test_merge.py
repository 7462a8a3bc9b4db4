"""Merging two records of one person: what moves, what stays, what is recorded."""

from datetime import date

import pytest

from crm.audit.service import history
from crm.campaigns.models import Campaign
from crm.contacts.data import EmailData, PersonData, PhoneData
from crm.contacts.models import ExternalId, Person
from crm.contacts.people import create_person
from crm.duplicates.merge import merge_people
from crm.errors import EditConflict, InvalidInput
from crm.extensions import db
from crm.outreach.models import Outreach, Participant, Response
from tests.factories import make_campaign, make_organisation, make_outreach, make_response, make_role


@pytest.fixture
def pair(app, staff):
    kazatomprom, ep = make_organisation("Kazatomprom"), make_organisation("European Parliament", short_name="EP")
    keep = person(
        "Dzhakishev", "Mukhtar", country="KZ", emails=("m.dzhakishev@example.kz",), tags=["Dzhakishev case"],
        notes="Political prisoner.", languages=["ru"],
    )  # fmt: skip
    other = person(
        "Djakichev", "Moukhtar", native_name="Мухтар Джакишев", emails=("m.dzhakishev@example.kz", "mukhtar@example.org"),
        phones=[PhoneData("+7 727 000 0000")], tags=["Kazakhstan"], notes="Former head of Kazatomprom.",
        languages=["kk"], allow_shared_email=True,
    )  # fmt: skip
    make_role(keep, kazatomprom, "President", ends_on=date(2009, 5, 31))
    make_role(other, kazatomprom, "President", ends_on=date(2009, 5, 31))  # the same role twice
    make_role(other, ep, "Guest", date(2017, 10, 11), date(2017, 10, 11))
    db.session.add(ExternalId(person_id=other.id, scheme="odf", value="42"))
    both = make_outreach("Letter to both records", to=[keep, other])
    only_other = make_outreach("Letter to the other", to=[other])
    make_response(both, other)
    make_response(only_other, other)
    campaign = make_campaign(subject_person_id=other.id)
    db.session.commit()
    return keep, other, both, only_other, campaign, staff["editor"]


def person(family, given, *, emails=(), allow_shared_email=False, **fields):
    # tests.factories.make_person, with "save anyway" for an email both records have
    data = PersonData(family_name=family, given_name=given, emails=[EmailData(e) for e in emails], **fields)
    created = create_person(data, actor=None, allow_shared_email=allow_shared_email)
    db.session.commit()
    return created


def test_merge_moves_everything_to_the_kept_person(pair):
    keep, other, both, only_other, campaign, editor = pair
    versions = keep.version, other.version
    merge_people(keep, other, {"native_name": "other", "given_name": "keep"}, actor=editor)
    db.session.commit()
    db.session.expire_all()
    keep, other = db.session.get(Person, keep.id), db.session.get(Person, other.id)

    assert keep.native_name == "Мухтар Джакишев" and keep.given_name == "Mukhtar"
    assert [e.address for e in keep.emails] == ["m.dzhakishev@example.kz", "mukhtar@example.org"]
    assert [e.is_primary for e in keep.emails] == [True, False]
    assert [p.number for p in keep.phones] == ["+7 727 000 0000"]
    assert {t.name for t in keep.tags} == {"Dzhakishev case", "Kazakhstan"}
    assert keep.languages == "ru,kk"
    assert [(e.scheme, e.value) for e in keep.external_ids] == [("odf", "42")]
    assert sorted(r.organisation.name for r in keep.roles) == ["European Parliament", "Kazatomprom"]
    assert "Political prisoner." in keep.notes and "Former head of Kazatomprom." in keep.notes
    # The identical email and role stay with the archived record: nothing is deleted.
    assert [e.address for e in other.emails] == ["m.dzhakishev@example.kz"]
    assert [r.organisation.name for r in other.roles] == ["Kazatomprom"]
    assert other.archived and f"Merged into #{keep.id}" in other.notes
    assert keep.version > versions[0] and other.version > versions[1]
    assert db.session.get(Campaign, campaign.id).subject_person_id == keep.id


def test_merge_moves_outreach_and_responses_without_duplicate_participants(pair):
    keep, other, both, only_other, _, editor = pair
    merge_people(keep, other, {}, actor=editor)
    db.session.commit()
    db.session.expire_all()
    recipients = db.session.scalars(select_participants(both.id)).all()
    assert [(p.person_id, p.reply_state) for p in recipients] == [(keep.id, "replied")]
    assert [p.person_id for p in db.session.scalars(select_participants(only_other.id))] == [keep.id]
    assert db.session.scalars(db.select(Response.person_id).where(Response.person_id == other.id)).all() == []
    assert len(db.session.scalars(db.select(Response).where(Response.person_id == keep.id)).all()) == 2
    refreshed = db.session.get(Outreach, both.id)
    assert (refreshed.recipient_count, refreshed.replied_count, refreshed.status) == (1, 1, "answered")


def test_merge_combines_a_stopped_wait_with_the_other_record_s_state(pair):
    from crm.outreach.waiting import stop_waiting

    keep, other, _, _, _, editor = pair
    on_keep = make_outreach("Stopped on the kept record", to=[keep, other])
    on_other = make_outreach("Stopped on the other record", to=[keep, other])
    on_both = make_outreach("Stopped on both records", to=[keep, other])
    for participant in (on_keep.participants[0], on_other.participants[1], *on_both.participants):
        stop_waiting(participant, actor=editor)
    db.session.commit()
    merge_people(keep, other, {}, actor=editor)
    db.session.commit()
    db.session.expire_all()

    def state(entry):
        [recipient] = db.session.scalars(select_participants(entry.id)).all()
        return recipient.reply_state, recipient.stopped_waiting_on is not None

    # One record still awaited outranks a wait stopped on the other, as the merge combines states.
    assert state(on_keep) == state(on_other) == ("awaiting", False)
    assert state(on_both) == ("closed", True)


def select_participants(outreach_id: int):
    return db.select(Participant).where(Participant.outreach_id == outreach_id).order_by(Participant.id)


def test_merge_is_audited_on_both_records(pair):
    keep, other, *_, editor = pair
    merge_people(keep, other, {"native_name": "other"}, actor=editor)
    db.session.commit()
    [kept_entry, *_] = history("person", keep.id)
    assert kept_entry.action == "merge" and kept_entry.actor_id == editor.id
    assert kept_entry.changes["merged"] == [None, f"#{other.id} Moukhtar Djakichev"]
    assert kept_entry.changes["native_name"] == ["", "Мухтар Джакишев"]
    assert kept_entry.changes["roles moved in"][1] == ["Guest, European Parliament"]
    assert len(kept_entry.changes["outreach moved in"][1]) == 2
    assert len(kept_entry.changes["responses moved in"][1]) == 2
    [other_entry, *_] = history("person", other.id)
    assert other_entry.action == "merged into"
    assert other_entry.changes["archived"] == [False, True]
    assert other_entry.changes["emails moved out"] == [None, ["mukhtar@example.org"]]


def test_merge_refuses_what_it_cannot_do(pair):
    keep, other, *_, editor = pair
    with pytest.raises(InvalidInput):
        merge_people(keep, keep, {}, actor=editor)
    with pytest.raises(InvalidInput):
        merge_people(keep, other, {"notes": "other"}, actor=editor)
    with pytest.raises(InvalidInput):
        merge_people(keep, other, {"given_name": "both"}, actor=editor)
    with pytest.raises(EditConflict):
        merge_people(keep, other, {}, actor=editor, expected_versions=(keep.version, other.version - 1))
    other.archived = True
    db.session.commit()
    with pytest.raises(InvalidInput, match="archived"):
        merge_people(keep, other, {}, actor=editor)
