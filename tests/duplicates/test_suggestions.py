"""Did you mean …: the people a misspelt search may have meant, by the duplicate finder's matcher."""

import pytest

from crm.contacts.people import set_archived
from crm.duplicates.suggestions import MAX_CANDIDATES, candidates_statement, suggest_people
from crm.extensions import db
from tests.factories import make_person


@pytest.fixture
def people(app):
    return {
        "mogherini": make_person("Mogherini", "Federica", country="IT"),
        "zdechovsky": make_person("Zdechovský", "Tomáš", country="CZ"),
        "dzhakishev": make_person("Dzhakishev", "Mukhtar", native_name="Мухтар Джакишев", country="KZ"),
        "tumenova": make_person("Tumenova", "Bakhyt", native_name="Бахыт Туменова", country="KZ"),
        "novak": make_person("Novák", "Jan", country="CZ"),
        "ward": make_person("Ward", "Julie", country="GB", emails=("julie.ward@example.org",)),
    }


def names(query: str) -> list[str]:
    return [person.display_name for person in suggest_people(query)]


@pytest.mark.parametrize(
    "query",
    ["mogerini", "Mogherni", "mogehrini", "MOGHERINNI", "Federika Mogherini", "federica mogerhini"],
)
def test_a_misspelt_mogherini_is_federica_mogherini(people, query):
    assert names(query)[0] == "Federica Mogherini"


@pytest.mark.parametrize("query", ["Zdechovski", "Zdechovksy", "zdehovsky", "Tomas Zdechowski", "Zdečhovsky"])
def test_a_misspelt_zdechovsky(people, query):
    assert names(query)[0] == "Tomáš Zdechovský"


@pytest.mark.parametrize("query", ["Jakishev", "Djakishev", "Dschakischew", "Dzhakishef", "Джакишов", "Jakichev"])
def test_every_spelling_of_dzhakishev(people, query):
    assert names(query) == ["Mukhtar Dzhakishev"]


@pytest.mark.parametrize("query", ["qwxzv", "asdfgh", "x", "ab", "", "   ", "%%%%", "____", "@example", "zzzzzzzzzz"])
def test_junk_or_too_little_suggests_no_one(people, query):
    assert names(query) == []


def test_a_name_near_no_one_suggests_no_one(people):
    # Shares a start ("mog", "war") or an end with real names but is no misspelling of any.
    assert names("Mogadishu") == []
    assert names("Warszawa") == []


def test_archived_people_are_not_suggested(people):
    set_archived(people["mogherini"], True, actor=None)
    db.session.commit()
    assert names("mogehrini") == []


def test_the_best_come_first_and_limit_holds(app):
    for given in ("Jan", "Petr", "Pavel", "Jiri", "Karel", "Josef"):
        make_person("Novák", given)
    make_person("Nováček", "Jan")
    # A family name alone: any of the Nováks, in list order, as many as asked for.
    assert [p.display_name for p in suggest_people("Novka", limit=3)] == ["Jan Novák", "Jiri Novák", "Josef Novák"]
    # With a given name, the others contradict it: only Jan.
    assert [p.display_name for p in suggest_people("Jan Novka")] == ["Jan Novák"]


def test_the_scan_is_bounded(app):
    statement = candidates_statement("Zdechovksy")
    assert statement is not None and statement._limit == MAX_CANDIDATES
    assert candidates_statement("ab") is None
