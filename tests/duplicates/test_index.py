"""The blocking index: who is compared with whom, the rows of one file, and decisions."""

from crm.contacts.models import ExternalId
from crm.duplicates.index import PeopleIndex, decide
from crm.duplicates.score import CERTAIN, LIKELY, Identity, prepare, score
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


def test_a_double_barrelled_name_meets_only_names_it_does_not_contradict():
    index = _index(
        Identity(given_name="Mady", family_name="Delvaux", person_id=1),  # one of the two names left out
        Identity(given_name="Mady", family_name="Delvaux-Stehres", person_id=2),
        Identity(given_name="Mady", family_name="Delvaux-Stehress", person_id=3),  # a typo in one
        Identity(given_name="Mady", family_name="Stehres", person_id=4),
        Identity(given_name="Mady", family_name="Schmit-Stehres", person_id=5),  # another second name
        Identity(given_name="Mady", family_name="Delvaux-Kovac", person_id=6),
    )
    row = prepare(Identity(given_name="Mady", family_name="Delvaux-Stehres"))
    assert {index.profiles[p].person_id for p in index.candidates(row, narrow=True)} == {1, 2, 3, 4}
    assert {index.profiles[p].person_id for p in index.candidates(row)} == {1, 2, 3, 4, 5, 6}
    # A single family name still meets every double-barrelled one that carries it.
    single = prepare(Identity(given_name="Mady", family_name="Stehres"))
    assert {index.profiles[p].person_id for p in index.candidates(single, narrow=True)} == {2, 3, 4, 5}
    # An email meets a person whatever the names say.
    index.add(Identity(given_name="Mady", family_name="Weber-Stehres", emails=("mady@example.org",), person_id=7))
    mailed = prepare(Identity(given_name="Mady", family_name="Delvaux-Stehres", emails=("mady@example.org",)))
    assert 7 in {index.profiles[p].person_id for p in index.candidates(mailed, narrow=True)}


def test_looking_for_likely_matches_leaves_out_other_given_names_and_countries():
    index = _index(
        Identity(given_name="Jan", family_name="Novák", country="CZ", person_id=1),
        Identity(given_name="J.", family_name="Novák", country="CZ", person_id=2),  # an initial
        Identity(given_name="Jan", family_name="Novak", person_id=3),  # no country
        Identity(given_name="Jan", family_name="Novák", country="PL", person_id=4),  # the same name elsewhere
        Identity(given_name="Jürgen", family_name="Novák", country="CZ", person_id=5),
        Identity(given_name="Jan Peter", family_name="Novák", country="CZ", person_id=6),  # two given names
        Identity(given_name="Jürgen", family_name="Novák", country="PL", person_id=7),
        Identity(given_name="Jan", family_name="Novaks", country="PL", person_id=8),  # a near spelling elsewhere
    )
    row = prepare(Identity(given_name="Jan", family_name="Novák", country="CZ"))
    met = {index.profiles[p].person_id for p in index.candidates(row, narrow=True)}
    assert met == {1, 2, 3, 4, 6}
    assert {index.profiles[p].person_id for p in index.candidates(row)} == {1, 2, 3, 4, 5, 6, 7, 8}
    # Those left out cannot reach LIKELY, however much else agrees: what makes leaving them out safe.
    for other in (5, 7, 8):
        best = index.profiles[next(p for p, pr in enumerate(index.profiles) if pr.person_id == other)]
        assert score(row, best).score < LIKELY
    for given, family in (("Jürgen", "Novák"), ("Jan", "Novaks")):
        widest = Identity(given_name=given, family_name=family, country="PL", organisations=("PACE",))
        assert (
            score(Identity(given_name="Jan", family_name="Novák", country="CZ", organisations=("PACE",)), widest).score
            < LIKELY
        )
    assert (
        score(
            Identity(given_name="Jan", family_name="Novák-Malá", country="CZ", organisations=("PACE",)),
            Identity(given_name="Jiří", family_name="Novák-Malá", country="CZ", organisations=("PACE",)),
        ).score
        < LIKELY
    )
    # The same full name is LIKELY in any country (tests/duplicates/test_same_name_other_country.py).
    assert [m.person_id for m in index.matches(row)] == [1, 6, 3, 2, 4]


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
