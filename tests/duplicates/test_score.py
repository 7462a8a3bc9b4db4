"""Scoring a pair: name variants across scripts and spellings, evidence for and against."""

import pytest

from crm.duplicates.names import name_words
from crm.duplicates.score import CERTAIN, LIKELY, Identity, score

DZHAKISHEV = Identity(
    given_name="Mukhtar",
    family_name="Dzhakishev",
    native_name="Мухтар Джакишев",
    country="KZ",
    organisations=("Kazatomprom",),
    person_id=1,
)


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("Джакишев", ("jakishev",)),
        ("Djakishev", ("jakishev",)),
        ("Dschakischew", ("jakishev",)),
        ("Jakishev", ("jakishev",)),
        ("Toumenova", ("tumenova",)),
        ("Nazarbaïev", ("nazarbaev",)),
        ("Kozlovskaya", ("kozlovska",)),
        ("Людмила Козловська", ("ludmila", "kozlovska")),
        ("Smirnoff", ("smirnov",)),
        ("Фёдор", ("fedor",)),
        ("Delvaux-Stehres", ("delvauks", "stehres")),
    ],
)
def test_transliteration_variants_fold_together(written, folded):
    assert name_words(written) == folded


def test_the_same_name_in_another_script():
    match = score(DZHAKISHEV, Identity(native_name="Мухтар Джакишев", country="KZ"))
    assert match.score >= LIKELY
    assert match.reasons[0] == "same name in another script"
    assert "same country (Kazakhstan)" in match.reasons


@pytest.mark.parametrize(
    ("given", "family"),
    [("Mukhtar", "Djakishev"), ("Moukhtar", "Djakichev"), ("Muchtar", "Dschakischew"), ("Muhtar", "Dzhakishev")],
)
def test_transliterations_score_as_the_same_name(given, family):
    assert score(DZHAKISHEV, Identity(given_name=given, family_name=family)).score >= LIKELY


def test_a_typo_is_similar_not_the_same():
    match = score(DZHAKISHEV, Identity(given_name="Mukhtar", family_name="Dzhakishv"))
    assert LIKELY <= match.score < CERTAIN
    assert match.reasons[0].startswith("name 9") and match.reasons[0].endswith("% similar")


def test_swapped_given_and_family_names_are_noticed():
    match = score(DZHAKISHEV, Identity(given_name="Dzhakishev", family_name="Mukhtar", country="KZ"))
    assert match.score >= LIKELY
    assert "given and family names swapped" in match.reasons


def test_a_missing_patronymic_or_middle_name_costs_little():
    stored = Identity(given_name="Nursultan", patronymic="Abishevich", family_name="Nazarbayev", country="KZ")
    assert score(stored, Identity(given_name="Nursultan", family_name="Nazarbaev", country="KZ")).score >= LIKELY
    stored = Identity(given_name="Kazimierz Michał", family_name="Ujazdowski", country="PL")
    assert score(stored, Identity(given_name="Kazimierz", family_name="Ujazdowski", country="PL")).score >= LIKELY


def test_a_short_form_of_the_given_name():
    stored = Identity(given_name="María Dolores", family_name="Sánchez Caldentey", country="ES")
    match = score(stored, Identity(given_name="Lola", family_name="Sánchez Caldentey", country="ES"))
    assert match.score >= LIKELY and "a short form of the given name" in match.reasons


def test_same_email_is_certain():
    stored = Identity(given_name="Igor", family_name="Savchenko", emails=("igor.savchenko@odfoundation.eu",))
    match = score(stored, Identity(emails=("Igor.Savchenko@odfoundation.eu ",)))
    assert match.score >= CERTAIN
    assert match.reasons == ["same email igor.savchenko@odfoundation.eu"]


def test_a_shared_address_with_other_names_is_only_likely():
    stored = Identity(given_name="Igor", family_name="Savchenko", emails=("info@odfoundation.eu",))
    match = score(stored, Identity(given_name="Lyudmyla", family_name="Kozlovska", emails=("info@odfoundation.eu",)))
    assert LIKELY <= match.score < CERTAIN
    assert match.reasons[0] == "same email info@odfoundation.eu, but other names"


def test_external_ids_decide():
    stored = Identity(given_name="Tunne", family_name="Kelam", external_ids=(("ep", "1234"),))
    assert score(stored, Identity(full_name="KELAM Tunne", external_ids=(("ep", "1234"),))).score == 1.0
    other = score(stored, Identity(given_name="Tunne", family_name="Kelam", external_ids=(("ep", "9999"),)))
    assert other.score < LIKELY and other.reasons[0] == "different ep ids"


def test_namesakes_in_another_country_and_organisation_are_not_certain():
    namesake = Identity(given_name="Mukhtar", family_name="Dzhakishev", country="RU", organisations=("Gazprom",))
    match = score(DZHAKISHEV, namesake)
    assert match.score < LIKELY
    assert (
        "different country (Kazakhstan / Russian Federation)" in match.reasons
        and "no organisation in common" in match.reasons
    )


def test_the_same_name_alone_is_likely_and_needs_support_to_be_certain():
    bare = Identity(given_name="Mukhtar", family_name="Dzhakishev")
    assert LIKELY <= score(DZHAKISHEV, bare).score < CERTAIN
    supported = Identity(given_name="Mukhtar", family_name="Dzhakishev", country="KZ", organisations=("Kazatomprom",))
    match = score(DZHAKISHEV, supported)
    assert match.score >= CERTAIN and "same organisation (Kazatomprom)" in match.reasons


@pytest.mark.parametrize(
    ("given", "family"),
    [("Mukhtar", "Ablyazov"), ("Galiya", "Dzhakisheva"), ("Bakhytzhan", "Toregozhina"), ("Mukhtar", "Tokayev")],
)
def test_other_people_are_unlikely(given, family):
    assert score(DZHAKISHEV, Identity(given_name=given, family_name=family, country="KZ")).score < LIKELY


def test_relatives_with_the_masculine_or_feminine_form_are_other_people():
    stored = Identity(given_name="Federica", family_name="Mogherini", country="IT")
    assert score(stored, Identity(given_name="Federico", family_name="Mogherini", country="IT")).score < LIKELY
    stored = Identity(given_name="Bakhyt", family_name="Tumenova", country="KZ")
    assert score(stored, Identity(given_name="Bakhyt", family_name="Tumenov", country="KZ")).score < LIKELY


def test_score_names_the_candidate_and_is_rounded():
    match = score(Identity(given_name="Mukhtar", family_name="Djakishev", row=7), DZHAKISHEV)
    assert match.person_id == 1 and match.row is None
    assert match.score == round(match.score, 3)
    assert score(DZHAKISHEV, Identity(given_name="Mukhtar", family_name="Djakishev", row=7)).row == 7


def test_identities_without_anything_in_common_score_zero():
    assert score(DZHAKISHEV, Identity(emails=("someone@example.org",))).score == 0.0


def test_reasons_tell_a_respelling_from_the_same_name():
    stored = Identity(given_name="Federica", family_name="Mogherini")
    assert score(stored, Identity(given_name="Federica", family_name="Mogerini")).reasons == [
        "same name, spelt differently"
    ]
    stored = Identity(given_name="Tomáš", family_name="Zdechovský")
    assert score(stored, Identity(full_name="ZDECHOVSKY Tomas")).reasons == ["same name"]
