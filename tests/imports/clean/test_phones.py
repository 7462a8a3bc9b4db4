import phonenumbers
import pytest

from crm.imports.clean.phones import clean_phones
from crm.imports.results import ERROR, WARNING
from crm.phones import e164, fast_e164
from crm.values import normalise_phone


def clean(value, region=None):
    problems = []
    numbers = clean_phones(value, region, "phone", problems)
    return numbers, [(p.severity, p.message) for p in problems]


@pytest.mark.parametrize(
    "value, region, expected",
    [
        # The European Parliament in Brussels, every way its numbers are written
        ("+32 2 284 21 11", None, "+3222842111"),
        ("+32 (0)2 284 21 11", None, "+3222842111"),
        ("+32(0)22842111", None, "+3222842111"),
        ("+32 02 284 21 11", None, "+3222842111"),  # the trunk 0 after the country code
        ("0032 2 284 21 11", None, "+3222842111"),
        ("00 32 2 284 21 11", "KZ", "+3222842111"),  # a country code wins over the row's country
        ("02 284 21 11", "BE", "+3222842111"),
        ("02/284.21.11", "BE", "+3222842111"),
        ("0470 12 34 56", "BE", "+32470123456"),
        ("Tel.: +32 2 284 21 11", None, "+3222842111"),
        ("Mob. +48 601 234 567", None, "+48601234567"),
        ("тел. +7 701 123 45 67", None, "+77011234567"),
        ("+32 2 284 21 11 (office)", None, "+3222842111"),
        ("\u202a+32 2 284 21 11\u202c", None, "+3222842111"),
        ("+32\u00a02\u00a0284\u00a021\u00a011", None, "+3222842111"),
        ("+32‑2‑284‑21‑11", None, "+3222842111"),  # non-breaking hyphens
        # Extensions
        ("+32 2 284 21 11 ext. 123", None, "+3222842111 ext. 123"),
        ("+32 2 284 21 11 x123", None, "+3222842111 ext. 123"),
        ("+33 3 88 17 20 07 poste 4521", None, "+33388172007 ext. 4521"),
        ("+49 30 227 12345 Durchwahl 12", None, "+493022712345 ext. 12"),
        # Strasbourg, Berlin, Prague, Warsaw, Rome, London
        ("+33 (0)3 88 17 40 01", None, "+33388174001"),
        ("03 88 17 40 01", "FR", "+33388174001"),
        ("+49 (0)30 227 12345", None, "+493022712345"),
        ("030 227 12345", "DE", "+493022712345"),
        ("+420 234 567 890", None, "+420234567890"),
        ("234 567 890", "CZ", "+420234567890"),
        ("601-234-567", "PL", "+48601234567"),
        ("+39 (0)6 6988 1234", None, "+390669881234"),  # the 0 belongs to Italian numbers
        ("06 6988 1234", "IT", "+390669881234"),
        ("+44 (0)20 7946 0018", None, "+442079460018"),
        ("020 7946 0018", "GB", "+442079460018"),
        # Kazakhstan and Russia: trunk prefix 8
        ("+7 (727) 123 45 67", None, "+77271234567"),
        ("8 701 123 45 67", "KZ", "+77011234567"),
        ("8 (495) 123-45-67", "RU", "+74951234567"),
        # Belarus goes through phonenumbers itself (its national prefix is a pattern)
        ("8 017 123 45 67", "BY", "+375171234567"),
        ("+1 (202) 555-0143", None, "+12025550143"),
    ],
)
def test_phone_numbers_become_e164(value, region, expected):
    assert clean(value, region) == ([expected], [])


@pytest.mark.parametrize(
    "value, region",
    [
        ("+32 (0)2 284 21 11", None),
        ("0032 2 284 21 11", "BE"),
        ("02 284 21 11", "BE"),
        ("+39 (0)6 6988 1234", None),
        ("06 6988 1234", "IT"),
        ("8 701 123 45 67", "KZ"),
        ("020 7946 0018", "GB"),
        ("+420 234 567 890", None),
        ("+7 701 123 45 67", None),
    ],
)
def test_the_fast_path_agrees_with_phonenumbers(value, region):
    assert fast_e164(value, region) == phonenumbers.format_number(
        phonenumbers.parse(value, region), phonenumbers.PhoneNumberFormat.E164
    )


def test_several_numbers_in_one_cell():
    assert clean("+32 2 284 21 11; +32 470 12 34 56") == (["+3222842111", "+32470123456"], [])
    assert clean("+32 2 284 21 11 / +32 470 12 34 56") == (["+3222842111", "+32470123456"], [])
    assert clean("+32 2 284 21 11\n0470 12 34 56", "BE") == (["+3222842111", "+32470123456"], [])
    assert clean("02 284 21 11 or 0470 12 34 56", "BE") == (["+3222842111", "+32470123456"], [])
    assert clean("+32 2 284 21 11, +32 (0)2 284 21 11") == (["+3222842111"], [])  # the same number twice
    assert clean(["+32 2 284 21 11", None, "0470 12 34 56"], "BE") == (["+3222842111", "+32470123456"], [])


def test_a_number_cell_lost_its_plus_or_zero():
    assert clean(32470123456, "BE") == (["+32470123456"], [])
    assert clean(470123456, "BE") == (["+32470123456"], [])
    assert clean(3222842111.0, None) == (["+3222842111"], [])


def test_a_number_cell_that_reads_two_ways_is_flagged():
    problems = []
    # A German number without its trunk 0, or a Belgian one without its "+"
    numbers = clean_phones(3222842111, "DE", "phone", problems)
    assert numbers == ["+493222842111"]
    [problem] = problems
    assert problem.severity == WARNING
    assert problem.choices == ("+493222842111", "+3222842111")
    assert problem.message == (
        "“3222842111” was stored as a number, which drops a leading + or 0: it could be "
        "+493222842111 or +3222842111; it was read as +493222842111."
    )


def test_a_national_number_without_a_country_is_kept_with_a_warning():
    assert clean("02 284 21 11") == (
        ["02 284 21 11"],
        [(WARNING, "“02 284 21 11” has no country code and the row has no country, so it is kept as written.")],
    )


@pytest.mark.parametrize("value", ["+32 2 28", "+999 123 456", "02 28", "+32 2 284 21 11 99 99 99"])
def test_an_unreadable_number_is_kept_as_written_with_a_warning(value):
    assert clean(value, "BE") == (
        [value],
        [(WARNING, f"“{value}” could not be read as a phone number, so it is kept as written.")],
    )


@pytest.mark.parametrize("value", ["on request", "see website", "tbc", "12"])
def test_text_that_is_no_number_is_an_error(value):
    assert clean(value, "BE") == ([], [(ERROR, f"“{value}” is not a phone number.")])


@pytest.mark.parametrize("value", [None, "", "n/a", "-"])
def test_blank_phones(value):
    assert clean(value, "BE") == ([], [])


def test_e164_without_a_country_needs_a_plus():
    assert e164("02 284 21 11", None) is None
    assert e164("+32 2 284 21 11", None) == "+3222842111"


def test_a_pasted_page_in_a_phone_cell_is_refused_quickly():
    value = "call " + "a" * 30_000 + " 1"
    numbers, problems = clean(value, "BE")
    assert numbers == []
    assert problems == [(ERROR, f"“{value[:40]}…” is not a phone number.")]


@pytest.mark.parametrize(
    "value",
    [
        "+32 2 284 21 11",
        "Tel.: +32 2 284 21 11",
        "+32 2 284 21 11 (office)",
        "+33 3 88 17 20 07 poste 4521",
        "02 284 21 11",  # national: the import keeps it as written, with a warning
        "+999 123 456",
        "02 28",
        "on request",
        "tbc",
        "12",
        "x",
        "call " + "a" * 100 + " 1",
    ],
)
def test_the_person_form_accepts_the_numbers_the_import_accepts(value):
    problems = []
    by_import = bool(clean_phones(value, None, "phone", problems)) and all(p.severity != ERROR for p in problems)
    try:
        by_form = normalise_phone(value) == value  # the form keeps what was typed
    except ValueError:
        by_form = False
    assert by_form == by_import
