import datetime as dt

import pytest

from crm.contacts.sheet_fields import BY_KEY, FIELDS
from crm.imports.clean.dates import DAY_FIRST, MONTH_FIRST, guess_date_order
from crm.imports.clean.row import IN_CONTEXT, MANY, NAME_COLUMNS, PLAIN, Hints, NormalisedRow, normalise_row
from crm.imports.results import ERROR, WARNING, Problem


def test_every_import_field_has_a_cleaner():
    assert set(PLAIN) | IN_CONTEXT | NAME_COLUMNS | {"country"} == set(BY_KEY)
    assert {field.key for field in FIELDS if field.many} == MANY


def test_a_row_from_a_european_parliament_list():
    row = normalise_row(
        {
            "external_id": 124831.0,
            "full_name": "ZDECHOVSKÝ Tomáš",
            "email": "mailto:Tomas.Zdechovsky@europarl.europa.eu",
            "phone": "+32 (0)2 28 45 123",
            "country": "Česká republika",
            "political_group": "PPE",
            "national_party": "KDU-ČSL",
            "committees": "libe, cont",
            "organisation": "European Parliament",
            "role_title": "Member",
            "role_start": dt.datetime(2014, 7, 1),
            "role_end": None,
            "category": "Member of the European Parliament",
            "tags": "Dzhakishev case, signed 2017 letter",
        },
        Hints(),
    )
    assert row.problems == []
    assert row.values == {
        "external_id": "124831",
        "given_name": "Tomáš",
        "family_name": "Zdechovský",
        "email": ["tomas.zdechovsky@europarl.europa.eu"],
        "phone": ["+3222845123"],
        "country": "CZ",
        "political_group": "EPP",
        "national_party": "KDU-ČSL",
        "committees": ["LIBE", "CONT"],
        "organisation": "European Parliament",
        "role_title": "Member",
        "role_start": dt.date(2014, 7, 1),
        "category": "MEP",
        "tags": ["Dzhakishev case", "signed 2017 letter"],
    }


def test_a_row_from_a_russian_language_ngo_list():
    row = normalise_row(
        {
            "full_name": "Джакишев Мухтар Мирзакимович",
            "phone": "8 701 123 45 67",
            "country": "Казахстан",
            "languages": "русский, казахский",
            "category": "политзаключённый",
            "role_start": "20.05.2009",
            "notes": "Задержан в мае 2009 года.\n\nПриговорён к 14 годам.",
            "lawful_basis": "законный интерес",
        },
        Hints(),
    )
    assert row.problems == []
    assert row.values == {
        "given_name": "Мухтар",
        "patronymic": "Мирзакимович",
        "family_name": "Джакишев",
        "native_name": "Мухтар Мирзакимович Джакишев",
        "phone": ["+77011234567"],
        "country": "KZ",
        "languages": ["ru", "kk"],
        "category": "Political prisoner",
        "role_start": dt.date(2009, 5, 20),
        "notes": "Задержан в мае 2009 года.\n\nПриговорён к 14 годам.",
        "lawful_basis": "legitimate_interests",
    }


def test_a_native_name_column_wins_over_the_one_found_in_a_full_name():
    row = normalise_row({"full_name": "Мухтар Джакишев", "native_name": "Мұхтар Жәкішев"}, Hints())
    assert row.values["native_name"] == "Мұхтар Жәкішев"


def test_blank_cells_give_no_keys_so_an_update_leaves_those_fields_alone():
    row = normalise_row(
        {"full_name": "Dzhakishev, Mukhtar", "email": "", "phone": None, "country": "n/a", "tags": " , ", "notes": "-"},
        Hints(),
    )
    assert row.values == {"given_name": "Mukhtar", "family_name": "Dzhakishev"}
    assert row.problems == []


def test_the_rows_country_reads_national_phone_numbers_before_the_files():
    hints = Hints(country="BE")
    assert normalise_row({"phone": "030 227 12345", "country": "Deutschland"}, hints).values["phone"] == [
        "+493022712345"
    ]
    assert normalise_row({"phone": "02 284 21 11"}, hints).values["phone"] == ["+3222842111"]
    # A country that is not recognised leaves the file's country in charge.
    row = normalise_row({"phone": "02 284 21 11", "country": "Absurdistan"}, hints)
    assert row.values == {"phone": ["+3222842111"]}
    assert [p.column for p in row.problems] == ["country"]


def test_the_files_date_order_decides_ambiguous_dates():
    column = ["10/31/2017", "03/04/2018"]
    hints = Hints(date_order=guess_date_order(column))
    assert hints.date_order == MONTH_FIRST
    row = normalise_row({"role_start": column[1], "role_end": "2019"}, hints)
    assert row.values == {"role_start": dt.date(2018, 3, 4), "role_end": dt.date(2019, 12, 31)}
    assert row.problems == []
    assert normalise_row({"role_start": "03/04/2018"}, Hints(date_order=DAY_FIRST)).values == {
        "role_start": dt.date(2018, 4, 3)
    }


def test_problems_name_the_field_the_value_and_what_happens():
    row = normalise_row(
        {
            "full_name": "Igor Savchenko",
            "email": "igor.savchenko@odfoundation",
            "role_start": "03/04/2017",
            "political_group": "Pirates",
            "country": "Absurdistan",
        },
        Hints(),
    )
    assert row.values == {
        "given_name": "Igor",
        "family_name": "Savchenko",
        "role_start": dt.date(2017, 4, 3),
        "political_group": "Pirates",
    }
    assert {(p.column, p.severity) for p in row.problems} == {
        ("country", ERROR),
        ("email", ERROR),
        ("role_start", WARNING),
        ("political_group", WARNING),
    }
    assert [p.column for p in row.errors] == ["country", "email"]
    assert {p.column for p in row.warnings} == {"role_start", "political_group"}


def test_several_columns_mapped_to_one_field():
    row = normalise_row(
        {
            "email": ["igor.savchenko@odfoundation.eu", "Igor.Savchenko@odfoundation.eu; info@odfoundation.eu"],
            "city": [None, "Brussels", "Bruxelles"],  # one value: the first filled column counts
            "full_name": ["", "Savchenko, Igor"],
        },
        Hints(),
    )
    assert row.values == {
        "email": ["igor.savchenko@odfoundation.eu", "info@odfoundation.eu"],
        "city": "Brussels",
        "given_name": "Igor",
        "family_name": "Savchenko",
    }


def test_other_emails_do_not_repeat_the_primary_ones():
    row = normalise_row({"email": "a@odfoundation.eu", "email_other": "A@odfoundation.eu; b@odfoundation.eu"}, Hints())
    assert row.values == {"email": ["a@odfoundation.eu"], "email_other": ["b@odfoundation.eu"]}
    row = normalise_row({"email": "a@odfoundation.eu", "email_other": "a@odfoundation.eu"}, Hints())
    assert row.values == {"email": ["a@odfoundation.eu"]}


def test_categories_come_from_the_hints():
    hints = Hints(categories=(("Member of the European Parliament", "mep"), ("Trade unionist", None)))
    assert normalise_row({"category": "MEP"}, hints).values == {"category": "Member of the European Parliament"}
    assert normalise_row({"category": "trade unionist"}, hints).values == {"category": "Trade unionist"}


def test_repeated_values_are_cleaned_once_and_still_report_their_problems_on_every_row():
    hints = Hints()
    rows = [normalise_row({"country": "Absurdistan", "tags": "a, b", "role_start": "soon"}, hints) for _ in range(3)]
    for row in rows:
        assert row.values == {"tags": ["a", "b"]}
        assert [p.column for p in row.problems] == ["country", "role_start"]
    rows[0].values["tags"].append("changed")
    assert rows[1].values["tags"] == ["a", "b"]
    assert normalise_row({"tags": "a, b"}, hints).values["tags"] == ["a", "b"]
    assert ("tags", "a, b") in hints.memo


def test_the_memo_is_per_file():
    first = Hints(date_order=DAY_FIRST)
    second = Hints(date_order=MONTH_FIRST)
    assert normalise_row({"role_start": "03/04/2017"}, first).values["role_start"] == dt.date(2017, 4, 3)
    assert normalise_row({"role_start": "03/04/2017"}, second).values["role_start"] == dt.date(2017, 3, 4)


def test_a_key_that_is_not_an_import_field_is_a_programming_error():
    with pytest.raises(KeyError, match="not an import field"):
        normalise_row({"shoe_size": 42}, Hints())


def test_the_result_types():
    row = normalise_row({"email": "nonsense"}, Hints())
    assert isinstance(row, NormalisedRow)
    assert row.problems == [Problem("email", "“nonsense” is not an email address.", ERROR)]


def test_a_database_without_categories_knows_none():
    row = normalise_row({"category": "MEP"}, Hints(categories=()))
    assert row.values == {"category": "MEP"}
    assert [p.message for p in row.warnings] == ["“MEP” is not one of the categories in this database."]


NASTY = [
    float("nan"),
    float("inf"),
    -float("inf"),
    -1,
    0,
    10**40,
    1e300,
    -0.5,
    True,
    False,
    dt.time(23, 59),
    dt.timedelta(days=3),
    dt.datetime(1, 1, 1),
    dt.date(9999, 12, 31),
    "²³",
    "٣١/١٠/٢٠١٧",
    "🙂",
    "\u202e\u202d",
    "(((((",
    ")",
    ",,,;;;",
    "@",
    "<>",
    "mailto:",
    "+",
    "00",
    "(0)",
    "ext. 12",
    "Mr",
    "Mr.,",
    ", ,",
    "a" * 5000,
    "a(" * 2000,
    "1/" * 2000,
    "Dr. " * 50,
    ["", None, "   "],
    [],
]


@pytest.mark.parametrize("value", NASTY, ids=repr)
def test_no_cell_makes_any_field_crash(value):
    for field in FIELDS:
        row = normalise_row({field.key: value, "country": value}, Hints(country="BE"))
        assert all(isinstance(problem, Problem) for problem in row.problems)
        for key, clean in row.values.items():
            assert clean not in (None, "", []), key
