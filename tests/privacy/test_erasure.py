"""Erasure: the person's data gone, their participation still counted, the erasure audited without them."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from crm.audit import service as audit
from crm.audit.models import AuditEntry
from crm.contacts.models import EmailAddress, ExternalId, Person, Role
from crm.contacts.search import PeopleFilter, search_people
from crm.duplicates.distinct import mark_distinct
from crm.duplicates.finder import find_duplicates
from crm.errors import Conflict, InvalidInput, NotFound
from crm.extensions import db
from crm.outreach.attachments import storage_dir
from crm.outreach.models import Attachment, Participant, Response
from crm.privacy.erasure import ERASED_NAME, erase_person, is_erased, preview, remove_files
from crm.reports.service import figures
from tests.factories import make_person


def _erase(person_id, reason="Request received 3 March", actor=None):
    done = erase_person(person_id, reason, actor=actor)
    db.session.commit()
    remove_files(done)
    return done


def test_the_person_is_blanked_and_their_points_roles_and_files_are_gone(subject):
    person_id, attachment_path = subject.person.id, storage_dir() / subject.attachment.stored_name
    assert attachment_path.exists()
    done = _erase(person_id)
    db.session.expire_all()
    person = db.session.get(Person, person_id)
    assert person.display_name == ERASED_NAME and person.archived
    assert (person.given_name, person.native_name, person.notes, person.country, person.search_text) == (
        "",
        "",
        "",
        None,
        "",
    )
    assert person.tags == [] and person.category is None
    for model in (EmailAddress, Role, ExternalId):
        assert not db.session.scalar(select(func.count()).select_from(model).where(model.person_id == person_id))
    assert db.session.get(Attachment, subject.attachment.id) is None and not attachment_path.exists()
    reply = db.session.get(Response, subject.response.id)
    assert (reply.summary, reply.action_taken, reply.received_on) == ("", "", date(2017, 11, 20))
    assert done.counts["attachments deleted"] == 1 and done.counts["roles deleted"] == 1
    assert is_erased(person_id)


def test_campaign_figures_stay_true(subject):
    before, _ = figures(subject.campaign.id, ())
    _erase(subject.person.id)
    after, _ = figures(subject.campaign.id, ())
    assert (after.recipients, after.replied, after.responses) == (before.recipients, before.replied, before.responses)
    assert (after.recipients, after.replied) == (2, 1)
    participants = db.session.scalars(select(Participant).where(Participant.outreach_id == subject.outreach.id))
    assert sorted(p.party_name for p in participants) == ["Aruzhan Dzhakisheva", ERASED_NAME]


def test_the_audit_log_no_longer_names_them(subject, staff):
    mark_distinct(subject.person.id, subject.bystander.id, actor=None)  # quotes each one's name on the other
    db.session.commit()
    _erase(subject.person.id, actor=staff["admin"])
    db.session.expire_all()
    everything = json.dumps([e.changes for e in db.session.scalars(select(AuditEntry))], ensure_ascii=False)
    for text in ("Mukhtar", "Dzhakishev ", "mukhtar@example.org", "Мухтар", "tortured"):
        assert text not in everything, text
    # The bystander keeps her own data; her entry about the pair loses only his name.
    bystander = audit.history("person", subject.bystander.id)
    assert next(e for e in bystander if e.action == "create").changes["given_name"] == [None, "Aruzhan"]
    marked = next(e for e in bystander if e.action == "marked distinct")
    assert marked.changes == {"not the same as": [None, f"#{subject.person.id} [erased]"]}
    own = audit.history("person", subject.person.id)
    create = next(e for e in own if e.action == "create")
    assert create.changes["given_name"] == [None, "[erased]"]
    [erase] = [e for e in own if e.action == "erase"]
    assert erase.actor_id == staff["admin"].id and erase.changes["reason"] == [None, "Request received 3 March"]
    outreach = db.session.get(type(subject.outreach), subject.outreach.id)
    assert outreach.subject == "Letter about [erased]" and "[erased]'s health" in outreach.summary


def test_they_are_not_found_by_search_nor_offered_as_a_duplicate(subject):
    make_person("Djakishev", "Mukhtar")  # a likely duplicate of the person
    assert any(subject.person.id in (pair.a_id, pair.b_id) for pair in find_duplicates(db.session))
    _erase(subject.person.id)
    for archived in ("all", "archived"):
        page = search_people(PeopleFilter(q="Dzhakishev Mukhtar", archived=archived))
        assert subject.person.id not in [p.id for p in page.items]
    assert not any(subject.person.id in (pair.a_id, pair.b_id) for pair in find_duplicates(db.session))


def test_the_reason_is_required_and_must_not_name_them(subject):
    for reason, message in (
        ("  ", "Say why"),
        ("Mukhtar Dzhakishev asked", "leave out"),
        ("MUKHTAR@example.org", "leave out"),
    ):
        with pytest.raises(InvalidInput, match=message):
            erase_person(subject.person.id, reason, actor=None)
        db.session.rollback()
    assert not is_erased(subject.person.id)


def test_erasing_twice_or_nobody_is_refused(subject):
    _erase(subject.person.id)
    with pytest.raises(Conflict):
        erase_person(subject.person.id, "again", actor=None)
    with pytest.raises(NotFound):
        erase_person(999, "nobody", actor=None)


def test_the_preview_counts_what_goes(subject):
    counts = preview(subject.person.id)
    assert (counts.contact_points, counts.roles, counts.replies, counts.attachments, counts.participations) == (
        1,
        1,
        1,
        1,
        1,
    )
