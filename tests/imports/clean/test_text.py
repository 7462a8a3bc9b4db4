import datetime as dt

import pytest

from crm.imports.clean.text import (
    as_text,
    clean_bool,
    clean_committees,
    clean_id,
    clean_notes,
    clean_tags,
    split_list,
    tidy,
)
from crm.imports.results import ERROR
from crm.values import fold_key


def run(cleaner, value, field="x"):
    problems = []
    result = cleaner(value, field, problems)
    return result, [problem.message for problem in problems]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("  Freedom   House ", "Freedom House"),
        ("Freedom\u00a0House", "Freedom House"),  # non-breaking space from a web page
        ("Free\u200bdom House\ufeff", "Freedom House"),  # zero-width space, byte-order mark
        ("Open\tDialog\nFoundation", "Open Dialog Foundation"),
        ("Aman\u00ad-Saulik", "Aman-Saulik"),  # soft hyphen
        ("\u202a+32 2 284 21 11\u202c", "+32 2 284 21 11"),  # direction marks around a pasted number
        ("Zdechovsky\u0301", "Zdechovský"),  # decomposed, as typed on a Mac, becomes one letter
        ("Джакишев\u2009Мухтар", "Джакишев Мухтар"),  # thin space
    ],
)
def test_tidy_folds_whitespace_and_drops_invisible_characters(raw, expected):
    assert tidy(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("\u200b", None),
        ("-", None),
        ("—", None),
        ("n/a", None),
        ("N/A", None),
        ("#N/A", None),
        ("none", None),
        ("NULL", None),
        ("nan", None),  # pandas exports
        ("#REF!", None),
        ("NA", "NA"),  # Namibia, in a country column
        ("No", "No"),  # an answer, not a placeholder
        (124831, "124831"),  # the European Parliament's MEP id
        (124831.0, "124831"),  # every number in Excel is a float
        (2.5, "2.5"),
        (True, "yes"),
        (dt.date(2017, 10, 31), "2017-10-31"),
        (dt.datetime(2017, 10, 31), "2017-10-31"),
        (dt.datetime(2017, 10, 31, 9, 30), "2017-10-31 09:30:00"),
        (dt.time(9, 30), "09:30:00"),
    ],
)
def test_as_text(raw, expected):
    assert as_text(raw) == expected


def test_notes_keep_their_lines_but_not_runs_of_blank_ones():
    raw = "  Met at PACE, 11 October 2017. \r\n\r\n\r\n\r\nSigned the\u00a0declaration.\n\n"
    assert run(clean_notes, raw)[0] == "Met at PACE, 11 October 2017.\n\nSigned the declaration."
    assert run(clean_notes, " n/a ")[0] is None
    assert run(clean_notes, 42)[0] == "42"


@pytest.mark.parametrize(
    "raw, expected", [(17, 17), (17.0, 17), ("17", 17), (" 17 ", 17), ("#17", 17), (None, None), ("", None)]
)
def test_id(raw, expected):
    assert run(clean_id, raw) == (expected, [])


@pytest.mark.parametrize("raw", ["abc", 0, -3, 2.5, True, "17a"])
def test_a_bad_id_is_an_error(raw):
    value, messages = run(clean_id, raw, "id")
    assert value is None
    assert messages == [f"“{as_text(raw)}” is not a contact id from this database."]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Dzhakishev case, urgent", ["Dzhakishev case", "urgent"]),
        ("Dzhakishev case; urgent;URGENT", ["Dzhakishev case", "urgent"]),  # tags are case-insensitive
        ("Kazakhstan\npolitical prisoners\n", ["Kazakhstan", "political prisoners"]),
        ("a | b • c", ["a", "b", "c"]),
        ("  ,  ; ", []),
        (None, []),
        (2017, ["2017"]),
        (["Dzhakishev case", "urgent, PACE"], ["Dzhakishev case", "urgent", "PACE"]),  # two tag columns
        ("x" * 80, ["x" * 60]),  # the form's limit
    ],
)
def test_tags(raw, expected):
    assert run(clean_tags, raw) == (expected, [])


def test_tags_from_a_cache_are_never_shared_between_rows():
    first, _ = run(clean_tags, "Dzhakishev case, urgent")
    first.append("changed")
    assert run(clean_tags, "Dzhakishev case, urgent")[0] == ["Dzhakishev case", "urgent"]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("droi, afet", ["DROI", "AFET"]),
        ("AFET; DROI; afet", ["AFET", "DROI"]),
        ("Subcommittee on Human Rights, LIBE", ["Subcommittee on Human Rights", "LIBE"]),
        ("AS/Jur, AS/Mon", ["AS/Jur", "AS/Mon"]),  # PACE committees keep their slash
        ("Monitoring Committee\nmonitoring committee", ["Monitoring Committee"]),
    ],
)
def test_committees(raw, expected):
    assert run(clean_committees, raw) == (expected, [])


@pytest.mark.parametrize(
    "raw, expected",
    [
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        ("yes", True),
        ("Y", True),
        ("TRUE", True),
        ("x", True),
        ("✓", True),
        ("ja", True),
        ("oui", True),
        ("да", True),
        ("tak", True),
        ("ano", True),
        ("no", False),
        ("Nein", False),
        ("non", False),
        ("нет", False),
        ("nie", False),
        ("ne", False),
        ("FALSE", False),
        ("", None),
        (None, None),
    ],
)
def test_bool(raw, expected):
    assert run(clean_bool, raw) == (expected, [])


def test_a_bool_that_is_neither_is_an_error():
    problems = []
    assert clean_bool("maybe", "consent", problems) is None
    assert [(p.column, p.message, p.severity) for p in problems] == [
        ("consent", "“maybe” is neither yes nor no.", ERROR)
    ]


def test_split_list_flattens_several_columns():
    assert split_list(["a, b", None, 3, ["c"]]) == ["a", "b", "3", "c"]


@pytest.mark.parametrize(
    "a, b", [("S&D", "s and d"), ("Česká republika", "ceska-republika"), ("Greens/EFA", "greens efa"), ("Ü", "u")]
)
def test_fold_key_ignores_case_accents_spaces_and_punctuation(a, b):
    assert fold_key(a) == fold_key(b)
