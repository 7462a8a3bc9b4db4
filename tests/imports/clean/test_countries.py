import pytest

from crm.imports.clean.countries import clean_country, clean_languages, clean_postcode
from crm.imports.results import ERROR
from crm.values import country_code, language_code, normalise_country

# What lists of MEPs, PACE deputies and NGO contacts really write in a country column.
COUNTRIES = [
    # Germany in the languages of the Council of Europe, and as codes
    ("Germany", "DE"),
    ("Deutschland", "DE"),
    ("Allemagne", "DE"),
    ("Германия", "DE"),
    ("Niemcy", "DE"),
    ("Německo", "DE"),
    ("Germania", "DE"),
    ("Alemania", "DE"),
    ("Duitsland", "DE"),
    ("Saksamaa", "DE"),
    ("Vokietija", "DE"),
    ("DE", "DE"),
    ("de", "DE"),
    ("DEU", "DE"),
    # Czechia, with and without diacritics, and its old long form
    ("Česká republika", "CZ"),
    ("Ceska republika", "CZ"),
    ("Czech Republic", "CZ"),
    ("Czechia", "CZ"),
    ("Tschechien", "CZ"),
    ("Чехия", "CZ"),
    # Kazakhstan: the Dzhakishev case
    ("Kazakhstan", "KZ"),
    ("Казахстан", "KZ"),
    ("Қазақстан", "KZ"),
    ("Qazaqstan", "KZ"),
    ("Kasachstan", "KZ"),
    ("Republic of Kazakhstan", "KZ"),
    ("KAZ", "KZ"),
    # Russia spelt in Cyrillic and three transliterations
    ("Россия", "RU"),
    ("Rossiya", "RU"),
    ("Rossija", "RU"),
    ("Rossiia", "RU"),
    ("Russian Federation", "RU"),
    ("Russie", "RU"),
    ("Rosja", "RU"),
    # The United Kingdom the many ways people write it; the EU's code for Greece
    ("UK", "GB"),
    ("U.K.", "GB"),
    ("Great Britain", "GB"),
    ("Royaume-Uni", "GB"),
    ("Vereinigtes Königreich", "GB"),
    ("Wielka Brytania", "GB"),
    ("EL", "GR"),
    ("Ελλάδα", "GR"),
    # Council of Europe member states in their own languages
    ("Belgique", "BE"),
    ("België", "BE"),
    ("Österreich", "AT"),
    ("Suisse", "CH"),
    ("Svizzera", "CH"),
    ("Sverige", "SE"),
    ("Suomi", "FI"),
    ("Magyarország", "HU"),
    ("Polska", "PL"),
    ("Hrvatska", "HR"),
    ("Slovenija", "SI"),
    ("Slovensko", "SK"),
    ("Lietuva", "LT"),
    ("Latvija", "LV"),
    ("Eesti", "EE"),
    ("Éire", "IE"),
    ("Ísland", "IS"),
    ("Norge", "NO"),
    ("Danmark", "DK"),
    ("Κύπρος", "CY"),
    ("Shqipëria", "AL"),
    ("Україна", "UA"),
    ("Sakartvelo", "GE"),
    ("Türkiye", "TR"),
    ("Turkey", "TR"),
    ("Moldova", "MD"),
    ("Republic of Moldova", "MD"),
    ("Moldova, Republic of", "MD"),
    ("North Macedonia", "MK"),
    ("The former Yugoslav Republic of Macedonia", "MK"),
    ("Bosnia & Herzegovina", "BA"),
    ("BiH", "BA"),
    ("Kosovo", "XK"),
    ("Kosovo*", "XK"),  # PACE's footnote star
    ("Holland", "NL"),
    ("the Netherlands", "NL"),
    ("Pays-Bas", "NL"),
    # Extra words and both names in one cell
    ("Russia (Russian Federation)", "RU"),
    ("Germany / Deutschland", "DE"),
    ("  belgium\u00a0", "BE"),
    ("USA", "US"),
    ("United States of America", "US"),
]


@pytest.mark.parametrize("raw, code", COUNTRIES)
def test_country_in_any_language(raw, code):
    problems = []
    assert clean_country(raw, "country", problems) == code
    assert problems == []


@pytest.mark.parametrize("raw", ["Absurdistan", "Europe", "EU", "Karaganda", "12"])
def test_an_unknown_country_is_an_error_naming_it(raw):
    problems = []
    assert clean_country(raw, "country", problems) is None
    assert [(p.column, p.severity, p.message) for p in problems] == [
        ("country", ERROR, f"“{raw}” is not a country we recognise, so the country is left empty.")
    ]


@pytest.mark.parametrize("raw", [None, "", "n/a", "-"])
def test_a_blank_country_is_no_country_and_no_problem(raw):
    problems = []
    assert clean_country(raw, "country", problems) is None
    assert problems == []


@pytest.mark.parametrize("raw", ["Kazakhstan", "KZ", "kaz", "UK", "Czechia", "Russia", "Kosovo", "Turkey", "Holland"])
def test_the_import_accepts_everything_the_person_form_accepts(raw):
    assert country_code(raw) == normalise_country(raw)


@pytest.mark.parametrize(
    "raw, country, expected",
    [
        (1067, "DE", "01067"),  # Dresden, stored as a number
        (1067.0, "DE", "01067"),
        (1000, "BE", "1000"),
        (1000, "FR", "01000"),
        ("01067", "DE", "01067"),
        (1067, None, "1067"),  # no country: nothing to go by
        (1067, "GB", "1067"),  # not a numeric-postcode country
        ("SW1A 1AA", "GB", "SW1A 1AA"),
        ("LT-01100", "LT", "LT-01100"),
    ],
)
def test_postcode_gets_back_the_zeros_a_number_cell_dropped(raw, country, expected):
    assert clean_postcode(raw, country, "postcode", []) == expected


@pytest.mark.parametrize(
    "raw, codes",
    [
        ("English, Russian", ["en", "ru"]),
        ("EN/FR/DE", ["en", "fr", "de"]),
        ("EN FR DE", ["en", "fr", "de"]),
        ("en; ru; kk", ["en", "ru", "kk"]),
        ("Deutsch, français, русский", ["de", "fr", "ru"]),
        ("allemand, anglais", ["de", "en"]),
        ("niemiecki, polski", ["de", "pl"]),
        ("čeština, slovenčina", ["cs", "sk"]),
        ("Russian language", ["ru"]),
        ("русский язык, казахский", ["ru", "kk"]),
        ("Kazakh", ["kk"]),
        ("Greek", ["el"]),
        ("ENG, GER, FRE", ["en", "de", "fr"]),
        ("English, english, EN", ["en"]),
        (["English", "French"], ["en", "fr"]),  # two language columns
        ("", []),
    ],
)
def test_languages_in_any_language(raw, codes):
    problems = []
    assert clean_languages(raw, "languages", problems) == codes
    assert problems == []


def test_unknown_languages_are_named_and_the_rest_kept():
    problems = []
    assert clean_languages("English, Klingon, Elvish", "languages", problems) == ["en"]
    assert [p.message for p in problems] == ["“Klingon”, “Elvish” are not languages we recognise."]
    problems = []
    assert clean_languages("Klingon", "languages", problems) == []
    assert [p.message for p in problems] == ["“Klingon” is not a language we recognise."]


def test_language_code_of_a_code():
    assert language_code("ru") == "ru"
    assert language_code("rus") == "ru"
    assert language_code("Nonsense") is None
