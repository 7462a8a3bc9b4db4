"""The blocking index: who is compared with whom, the rows of one file, and decisions."""

from crm.contacts.models import ExternalId
from crm.duplicates.index import PeopleIndex, decide
from crm.duplicates.score import CERTAIN, Identity, prepare
from crm.extensions import db
from tests.factories import make_organisation, make_person, make_role


def _index(*identities: Identity) -> PeopleIndex:
    index = PeopleIndex()
    for identity in identities:
        index.add(identity)
    return index


def test_variants_meet_their_block_and_strangers_do_not():
    index = _index(
        Identity(given_name="Mukhtar", family_name="Dzhakishev", person_id=1),
        Identity(given_name="Bakhyt", family_name="Tumenova", person_id=2),
    )
    for variant in (
        Identity(native_name="Мухтар Джакишев"),
        Identity(given_name="Muchtar", family_name="Dschakischew"),
        Identity(given_name="Mukhtar", family_name="Dzhakishv"),  # typo
        Identity(given_name="Mukhtar", family_name="Dzhakyshev"),  # typo inside the first letters
        Identity(given_name="Dzhakishev", family_name="Mukhtar"),  # swapped
        Identity(full_name="DZHAKISHEV Mukhtar"),
    ):
        assert [m.person_id for m in index.matches(variant)] == [1], variant
    assert index.candidates(prepare(Identity(given_name="Indrek", family_name="Tarand"))) == set()


def test_a_short_name_with_letters_swapped_is_found():
    index = _index(Identity(given_name="Urmas", family_name="Paet", country="EE", person_id=3))
    assert [m.person_id for m in index.matches(Identity(given_name="Urmas", family_name="Peat", country="EE"))] == [3]


def test_email_and_external_id_find_a_person_whatever_the_name():
    index = _index(
        Identity(given_name="Igor", family_name="Savchenko", emails=("igor.savchenko@odfoundation.eu",), person_id=1),
        Identity(given_name="Tunne", family_name="Kelam", external_ids=(("ep", "1234"),), person_id=2),
    )
    [by_email] = index.matches(Identity(emails=("igor.savchenko@odfoundation.eu",)))
    assert by_email.person_id == 1 and by_email.score >= CERTAIN
    [by_id] = index.matches(Identity(given_name="T.", family_name="Kellam", external_ids=(("EP", "1234"),)))
    assert by_id.person_id == 2 and by_id.score == 1.0 and by_id.reasons[0] == "same ep id 1234"


def test_earlier_rows_of_the_same_file_are_matched_too():
    index = _index(Identity(given_name="Mukhtar", family_name="Ablyazov", person_id=1))
    first = prepare(Identity(given_name="Bakhyt", family_name="Tumenova", country="KZ", row=2))
    assert index.matches(first) == []
    index.add(first)
    [match] = index.matches(Identity(given_name="Bakhyt", family_name="Toumenova", country="KZ", row=5))
    assert match.row == 2 and match.person_id is None
    assert index.matches(first) == []  # a row never matches itself


def test_decisions_never_guess_between_people():
    index = _index(
        Identity(given_name="Ana", family_name="Gomes", country="PT", organisations=("S&D",), person_id=1),
        Identity(given_name="Ana", family_name="Gomes", country="PT", person_id=2),
        Identity(given_name="Julie", family_name="Ward", country="GB", organisations=("Labour Party",), person_id=3),
    )
    assert decide(index.matches(Identity(given_name="Ana", family_name="Gomes"))).outcome == "ambiguous"
    certain = decide(index.matches(Identity(full_name="WARD Julie", country="GB", organisations=("Labour Party",))))
    assert certain.outcome == "match" and certain.person.person_id == 3
    review = decide(index.matches(Identity(given_name="Julie", family_name="Ward")))
    assert review.outcome == "review" and review.person.person_id == 3
    assert decide(index.matches(Identity(given_name="Helmut", family_name="Scholz"))).outcome == "new"


def test_load_reads_people_with_emails_ids_and_organisations(app):
    kept = make_person("Kelam", "Tunne", country="EE", emails=("tunne.kelam@europarl.europa.eu",))
    make_role(kept, make_organisation("European Parliament", short_name="EP"))
    db.session.add(ExternalId(person_id=kept.id, scheme="ep", value="1234"))
    archived = make_person("Kelam", "Tunne", country="EE")
    archived.archived = True
    db.session.commit()
    index = PeopleIndex.load(db.session)
    assert len(index) == 1
    [profile] = index.profiles
    assert profile.person_id == kept.id and profile.country == "EE"
    assert profile.emails == ("tunne.kelam@europarl.europa.eu",) and profile.external_ids == (("ep", "1234"),)
    assert {written for _, written in profile.organisations} == {"European Parliament", "EP"}
    [match] = index.matches(Identity(full_name="KELAM Tunne", organisations=("European Parliament",)))
    assert match.person_id == kept.id and "same organisation (European Parliament)" in match.reasons
    assert len(PeopleIndex.load(db.session, include_archived=True)) == 2


def test_a_person_indexed_twice_is_matched_once():
    index = _index(Identity(given_name="Bakhyt", family_name="Tumenova", country="KZ", person_id=4))
    index.add(Identity(given_name="Bakhyt", family_name="Toumenova", emails=("b.tumenova@example.kz",), person_id=4))
    matches = index.matches(Identity(given_name="Bakhyt", family_name="Tumenova", emails=("b.tumenova@example.kz",)))
    assert [m.person_id for m in matches] == [4] and matches[0].reasons[0] == "same email b.tumenova@example.kz"
    assert decide(matches).outcome == "match"
