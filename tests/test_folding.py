import pytest

from crm.folding import plain_fold, query_terms, search_document


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("zdechovsky", "Zdechovský"),
        ("Djakishev", "Dzhakishev"),
        ("Джакишев", "Dzhakishev"),
        ("Dschakischew", "Dzhakishev"),
        ("Toregojina", "Торегожина"),
        ("muhtar", "Mukhtar"),
        ("SOLTES", "Šoltes"),
        ("stetina", "Štětina"),
        ("Mogerini", "Mogherini"),
        ("sanchez caldentey", "Lola Sánchez Caldentey"),
    ],
)
def test_variants_meet_in_the_search_document(typed, stored):
    document = search_document(stored)
    assert all(f" {plain}" in document or sound in document for plain, sound in query_terms(typed))


def test_folds_are_lower_ascii_words():
    assert plain_fold("  Jaromír   ŠTĚTINA ") == "jaromir stetina"
    assert plain_fold("igor.savchenko@odfoundation.eu") == "igor.savchenko@odfoundation.eu"


def test_unrelated_names_do_not_meet():
    document = search_document("Tunne Kelam")
    assert not all(plain in document or sound in document for plain, sound in query_terms("Kozlovska"))


def test_empty_query_has_no_terms():
    assert query_terms("   ") == []
