"""Likely duplicates already in the database, as a service and as `flask crm duplicates`."""

import json

from crm.contacts.data import EmailData, PersonData
from crm.contacts.people import create_person
from crm.duplicates.finder import find_duplicates
from crm.extensions import db
from tests.factories import make_organisation, make_role


def _people():
    original = make_person("Dzhakishev", "Mukhtar", country="KZ", native_name="Мухтар Джакишев")
    cyrillic = make_person("", "", native_name="Мухтар Джакишев", country="KZ")
    french = make_person("Djakichev", "Moukhtar")
    saved = make_person("Savchenko", "Igor", emails=("igor.savchenko@odfoundation.eu",))
    by_email = make_person("Savchenko", "I.", emails=("igor.savchenko@odfoundation.eu",), allow=True)
    namesake = make_person("Dzhakishev", "Mukhtar", country="RU")
    make_role(namesake, make_organisation("Gazprom"))
    make_role(original, make_organisation("Kazatomprom"))
    make_person("Ablyazov", "Mukhtar", country="KZ")
    return original, cyrillic, french, saved, by_email, namesake


def make_person(family, given, *, allow=False, **fields):
    # tests.factories.make_person, with the service's "save anyway" for the second Savchenko's email
    emails = [EmailData(e) for e in fields.pop("emails", ())]
    person = create_person(
        PersonData(family_name=family, given_name=given, emails=emails, **fields), actor=None, allow_shared_email=allow
    )
    db.session.commit()
    return person


def test_find_duplicates_lists_each_pair_once_best_first(app):
    original, cyrillic, french, saved, by_email, namesake = _people()
    pairs = find_duplicates(db.session)
    found = {(p.a_id, p.b_id) for p in pairs}
    assert (original.id, cyrillic.id) in found
    assert (original.id, french.id) in found
    assert (saved.id, by_email.id) in found
    assert all(p.a_id < p.b_id for p in pairs) and len(found) == len(pairs)
    assert [p.score for p in pairs] == sorted((p.score for p in pairs), reverse=True)
    # The namesake in Russia with another organisation is not a likely duplicate of the prisoner.
    assert (original.id, namesake.id) not in found
    email_pair = next(p for p in pairs if (p.a_id, p.b_id) == (saved.id, by_email.id))
    assert email_pair.score >= 0.9 and email_pair.reasons[0] == "same email igor.savchenko@odfoundation.eu"


def test_archived_people_are_left_out_and_limit_applies(app):
    original, cyrillic, *_ = _people()
    cyrillic.archived = True
    db.session.commit()
    pairs = find_duplicates(db.session)
    assert all(cyrillic.id not in (p.a_id, p.b_id) for p in pairs)
    assert len(find_duplicates(db.session, limit=1)) == 1
    mine = find_duplicates(db.session, person_id=original.id)
    assert mine and all(original.id in (p.a_id, p.b_id) for p in mine)


def test_cli_json_has_the_documented_shape(app, runner):
    original, cyrillic, *_ = _people()
    result = runner.invoke(args=["crm", "duplicates", "--json"])
    assert result.exit_code == 0, result.output
    pairs = json.loads(result.output)
    assert pairs and all(set(pair) == {"a", "b", "score", "reasons"} for pair in pairs)
    assert all(isinstance(pair["a"], int) and isinstance(pair["b"], int) for pair in pairs)
    assert all(0 <= pair["score"] <= 1 and pair["score"] == round(pair["score"], 3) for pair in pairs)
    first = next(pair for pair in pairs if (pair["a"], pair["b"]) == (original.id, cyrillic.id))
    assert "same name in another script" in first["reasons"]


def test_cli_human_output_and_empty_database(app, runner):
    result = runner.invoke(args=["crm", "duplicates"])
    assert result.exit_code == 0 and "No likely duplicates." in result.output
    assert json.loads(runner.invoke(args=["crm", "duplicates", "--json"]).output) == []
    _people()
    result = runner.invoke(args=["crm", "duplicates", "--limit", "2"])
    assert result.exit_code == 0
    assert "Мухтар Джакишев" in result.output and "2 likely duplicate pairs." in result.output
