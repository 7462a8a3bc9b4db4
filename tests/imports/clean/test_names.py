import pytest

from crm.imports.clean.names import (
    NameParts,
    canonical_honorific,
    clean_person_name,
    recase,
    split_full_name,
)
from crm.imports.clean.text import tidy
from crm.imports.results import ERROR, WARNING

# (cell, honorific, given, patronymic, family, native): the people of the Dzhakishev documents
# as the European Parliament, PACE, NGOs and Russian-language lists write them.
FULL_NAMES = [
    # The European Parliament's and PACE's style: the family name in capitals, either side
    ("DZHAKISHEV Mukhtar", "", "Mukhtar", "", "Dzhakishev", ""),
    ("Mukhtar DZHAKISHEV", "", "Mukhtar", "", "Dzhakishev", ""),
    ("Tomáš ZDECHOVSKÝ", "", "Tomáš", "", "Zdechovský", ""),
    ("ZDECHOVSKÝ Tomáš", "", "Tomáš", "", "Zdechovský", ""),
    ("Pier Antonio PANZERI", "", "Pier Antonio", "", "Panzeri", ""),
    ("Kazimierz Michał UJAZDOWSKI", "", "Kazimierz Michał", "", "Ujazdowski", ""),
    ("SÁNCHEZ CALDENTEY Lola", "", "Lola", "", "Sánchez Caldentey", ""),
    ("Mady DELVAUX-STEHRES", "", "Mady", "", "Delvaux-Stehres", ""),
    ("ŠTĚTINA Jaromír", "", "Jaromír", "", "Štětina", ""),
    ("Marielle de SARNEZ", "", "Marielle", "", "de Sarnez", ""),
    ("DE SARNEZ Marielle", "", "Marielle", "", "de Sarnez", ""),
    ("VAN DEN BERG Bart", "", "Bart", "", "van den Berg", ""),
    ("MCGUINNESS Mairead", "", "Mairead", "", "McGuinness", ""),
    ("O'SULLIVAN Aine", "", "Aine", "", "O'Sullivan", ""),
    ("J. WARD", "", "J.", "", "Ward", ""),  # an initial is not a family name in capitals
    # "Family, Given"
    ("Dzhakishev, Mukhtar", "", "Mukhtar", "", "Dzhakishev", ""),
    ("DZHAKISHEV, Mukhtar", "", "Mukhtar", "", "Dzhakishev", ""),
    ("Tumenova, Bakhyt", "", "Bakhyt", "", "Tumenova", ""),
    ("Dzhakishev, Mr Mukhtar", "Mr", "Mukhtar", "", "Dzhakishev", ""),
    ("Dzhakishev, Mukhtar, Dr", "Dr", "Mukhtar", "", "Dzhakishev", ""),
    ("Ward, Julie, MEP", "", "Julie", "", "Ward", ""),
    ("Dzhakishev, Mukhtar Mirzakimovich", "", "Mukhtar", "Mirzakimovich", "Dzhakishev", ""),
    # Honorifics and what follows a name
    ("Mr Mukhtar Dzhakishev", "Mr", "Mukhtar", "", "Dzhakishev", ""),
    ("MR. MUKHTAR DZHAKISHEV", "Mr.", "Mukhtar", "", "Dzhakishev", ""),
    ("Ms Bakhytzhan Toregozhina", "Ms", "Bakhytzhan", "", "Toregozhina", ""),
    ("Dr. Bakhyt Tumenova", "Dr.", "Bakhyt", "", "Tumenova", ""),
    ("Prof. Dr. h.c. mult. Hans Müller, MdEP", "Prof. Dr. h.c. mult.", "Hans", "", "Müller", ""),
    ("Dr. rer. nat. Anna Schmidt", "Dr. rer. nat.", "Anna", "", "Schmidt", ""),
    ("Mgr. Tomáš Zdechovský", "Mgr.", "Tomáš", "", "Zdechovský", ""),
    ("H.E. Mr Kairat Abdrakhmanov", "H.E. Mr", "Kairat", "", "Abdrakhmanov", ""),
    ("His Excellency Kairat Abdrakhmanov", "H.E.", "Kairat", "", "Abdrakhmanov", ""),
    ("Rt Hon Julie Ward", "Rt Hon", "Julie", "", "Ward", ""),
    ("Herr Helmut Scholz", "Herr", "Helmut", "", "Scholz", ""),
    ("Mme Hilde Vautmans", "Mme", "Hilde", "", "Vautmans", ""),
    ("On. Brando Benifei", "On.", "Brando", "", "Benifei", ""),
    ("Julie Ward MEP", "", "Julie", "", "Ward", ""),
    ("Marc Behrendt PhD", "", "Marc", "", "Behrendt", ""),
    ("Jack MA", "", "Jack", "", "Ma", ""),  # "MA" is a family name here, not a degree
    ("He Yafei", "", "He", "", "Yafei", ""),  # "He" is a name, not "H.E."
    ("Sir", "", "", "", "Sir", ""),  # one word is a name, whatever it looks like
    # Particles and names without capitals
    ("Ursula von der Leyen", "", "Ursula", "", "von der Leyen", ""),
    ("Bart van den Berg", "", "Bart", "", "van den Berg", ""),
    ("Alexander De Croo", "", "Alexander", "", "De Croo", ""),
    ("Maria da Graça Carvalho", "", "Maria da Graça", "", "Carvalho", ""),
    ("von der Leyen", "", "", "", "von der Leyen", ""),
    ("Pier Antonio Panzeri", "", "Pier Antonio", "", "Panzeri", ""),
    ("mukhtar dzhakishev", "", "Mukhtar", "", "Dzhakishev", ""),
    ("MUKHTAR DZHAKISHEV", "", "Mukhtar", "", "Dzhakishev", ""),  # no clue: the last word is the family
    ("Dzhakishev", "", "", "", "Dzhakishev", ""),
    # Patronymics, in both Russian orders, in Cyrillic and transliterated
    ("Мухтар Мирзакимович Джакишев", "", "Мухтар", "Мирзакимович", "Джакишев", "Мухтар Мирзакимович Джакишев"),
    ("Джакишев Мухтар Мирзакимович", "", "Мухтар", "Мирзакимович", "Джакишев", "Мухтар Мирзакимович Джакишев"),
    ("ДЖАКИШЕВ Мухтар Мирзакимович", "", "Мухтар", "Мирзакимович", "Джакишев", "Мухтар Мирзакимович Джакишев"),
    ("Mukhtar Mirzakimovich Dzhakishev", "", "Mukhtar", "Mirzakimovich", "Dzhakishev", ""),
    ("Dzhakishev Mukhtar Mirzakimovich", "", "Mukhtar", "Mirzakimovich", "Dzhakishev", ""),
    ("DZHAKISHEV Mukhtar Mirzakimovich", "", "Mukhtar", "Mirzakimovich", "Dzhakishev", ""),
    ("Бахытжан Торегожина", "", "Бахытжан", "", "Торегожина", "Бахытжан Торегожина"),
    ("Людмила Козловская", "", "Людмила", "", "Козловская", "Людмила Козловская"),
    ("Игорь Олегович Савченко", "", "Игорь", "Олегович", "Савченко", "Игорь Олегович Савченко"),
    ("Дмитрий Дмитриевич Шостакович", "", "Дмитрий", "Дмитриевич", "Шостакович", "Дмитрий Дмитриевич Шостакович"),
    ("Мухтар Джакишев", "", "Мухтар", "", "Джакишев", "Мухтар Джакишев"),
    ("г-н Мухтар Джакишев", "г-н", "Мухтар", "", "Джакишев", "Мухтар Джакишев"),
    ("Novak Đoković", "", "Novak", "", "Đoković", ""),  # -ović is a family name, not a patronymic
    ("Hans Friedrich Schmidt", "", "Hans Friedrich", "", "Schmidt", ""),  # -ich in Latin is not one either
    # The name in its own script beside the Latin one
    ("Mukhtar Dzhakishev (Мухтар Джакишев)", "", "Mukhtar", "", "Dzhakishev", "Мухтар Джакишев"),
    ("DZHAKISHEV Mukhtar (Джакишев Мухтар)", "", "Mukhtar", "", "Dzhakishev", "Джакишев Мухтар"),
    ("Κυριάκος Μητσοτάκης", "", "Κυριάκος", "", "Μητσοτάκης", "Κυριάκος Μητσοτάκης"),
]


@pytest.mark.parametrize("cell, honorific, given, patronymic, family, native", FULL_NAMES)
def test_split_full_name(cell, honorific, given, patronymic, family, native):
    assert split_full_name(tidy(cell)) == NameParts(honorific, given, patronymic, family, native)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("DZHAKISHEV", "Dzhakishev"),
        ("dzhakishev", "Dzhakishev"),
        ("Dzhakishev", "Dzhakishev"),
        ("McGuinness", "McGuinness"),  # mixed case is someone's choice
        ("DeMarco", "DeMarco"),
        ("VON DER LEYEN", "von der Leyen"),
        ("de SARNEZ", "de Sarnez"),
        ("DELVAUX-STEHRES", "Delvaux-Stehres"),
        ("D'ALEMA", "D'Alema"),
        ("O’SULLIVAN", "O’Sullivan"),
        ("ДЖАКИШЕВ", "Джакишев"),
        ("DA", "Da"),  # a particle alone is the whole name
        ("", ""),
    ],
)
def test_recase(text, expected):
    assert recase(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("MR", "Mr"),
        ("mr.", "Mr."),
        ("dr. h.c.", "Dr. h.c."),
        ("PROF", "Prof"),
        ("Herr Dr.", "Herr Dr."),
        ("h.e.", "H.E."),
        ("Exc.", "Exc."),  # unknown: kept as typed
        ("Mgr. Ing.", "Mgr. Ing."),
    ],
)
def test_honorific_column(text, expected):
    assert canonical_honorific(text) == expected


def clean(**columns):
    problems = []
    parts = clean_person_name(columns, problems)
    return parts, [(p.column, p.severity, p.message) for p in problems]


def test_separate_columns_win_over_a_full_name_and_are_recased():
    parts, problems = clean(full_name="DZHAKISHEV Mukhtar", given_name="MUKHTAR", family_name="DJAKISHEV")
    assert parts == NameParts("", "Mukhtar", "", "Djakishev", "")
    assert problems == []


def test_a_full_name_fills_in_what_the_columns_leave_empty():
    parts, _ = clean(full_name="Mr DZHAKISHEV Mukhtar Mirzakimovich", family_name="Dzhakishev", honorific="")
    assert parts == NameParts("Mr", "Mukhtar", "Mirzakimovich", "Dzhakishev", "")


def test_given_name_column_with_an_honorific_and_a_patronymic():
    parts, _ = clean(given_name="Mr Mukhtar Mirzakimovich", family_name="DZHAKISHEV")
    assert parts == NameParts("Mr", "Mukhtar", "Mirzakimovich", "Dzhakishev", "")


def test_a_patronymic_column_wins_over_a_guess():
    parts, _ = clean(given_name="Mukhtar Mirzakimovich", family_name="Dzhakishev", patronymic="Mirzakimovich")
    assert parts == NameParts("", "Mukhtar Mirzakimovich", "Mirzakimovich", "Dzhakishev", "")


def test_family_name_column_holding_family_comma_given():
    parts, _ = clean(family_name="Dzhakishev, Mukhtar")
    assert parts == NameParts("", "Mukhtar", "", "Dzhakishev", "")


def test_family_name_column_drops_a_post_nominal():
    assert clean(given_name="Julie", family_name="WARD MEP")[0] == NameParts("", "Julie", "", "Ward", "")


def test_an_email_in_a_name_column_is_an_error():
    parts, problems = clean(full_name="igor.savchenko@odfoundation.eu")
    assert parts == NameParts()
    assert problems == [("full_name", ERROR, "“igor.savchenko@odfoundation.eu” is an email address, not a name.")]


@pytest.mark.parametrize(
    "cell", ['=HYPERLINK("mailto:igor@odfoundation.eu","Igor")', "+Smith", "@Smith", "-Smith", "=Smith", "＝Smith"]
)
def test_a_name_that_starts_like_a_spreadsheet_formula_is_refused_as_one(cell):
    message = f"“{cell}” starts with {cell[0]}, so it looks like a spreadsheet formula, not a name."
    assert clean(full_name=cell) == (NameParts(), [("full_name", ERROR, message)])
    parts, problems = clean(given_name="Igor", family_name=cell)
    assert parts == NameParts("", "Igor", "", "", "")
    assert problems == [("family_name", ERROR, message)]


def test_a_long_formula_is_quoted_short():
    cell = '=HYPERLINK("https://www.example.org/people/igor-savchenko/profile","Igor Savchenko")'
    [(_, _, message)] = clean(full_name=cell)[1]
    assert message == f"“{cell[:50]}…” starts with =, so it looks like a spreadsheet formula, not a name."


def test_a_name_our_own_export_guarded_comes_back_as_written_with_a_warning():
    # The export writes "'=…" so that the cell stays text; such a name is already someone's here.
    parts, problems = clean(family_name='\'=HYPERLINK("http://x")', given_name="'+Eve")
    assert (parts.family, parts.given) == ('=HYPERLINK("http://x")', "+Eve")
    assert problems == [
        (
            "given_name",
            WARNING,
            "“+Eve” starts with +, as a spreadsheet formula does; it is kept as written: check the name.",
        ),
        (
            "family_name",
            WARNING,
            '“=HYPERLINK("http://x")” starts with =, as a spreadsheet formula does; it is kept as written: '
            "check the name.",
        ),
    ]
    assert clean(family_name="'t Hooft", given_name="Gerard") == (NameParts("", "Gerard", "", "'t Hooft", ""), [])


def test_digits_in_a_name_are_a_warning():
    parts, problems = clean(family_name="Dzhakishev 2")
    assert parts.family == "Dzhakishev 2"
    assert problems == [("family_name", WARNING, "“Dzhakishev 2” has digits in it; check the name.")]


def test_blank_name_cells():
    assert clean(full_name="  ", given_name=None, family_name="n/a") == (NameParts(), [])


def test_name_columns_in_cyrillic_give_the_native_name_too():
    parts, _ = clean(family_name="ДЖАКИШЕВ", given_name="Мухтар", patronymic="Мирзакимович")
    assert parts == NameParts("", "Мухтар", "Мирзакимович", "Джакишев", "Мухтар Мирзакимович Джакишев")
    parts, _ = clean(family_name="Dzhakishev", given_name="Mukhtar", full_name="Мухтар Джакишев")
    assert parts == NameParts("", "Mukhtar", "", "Dzhakishev", "Мухтар Джакишев")
