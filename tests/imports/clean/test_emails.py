import pytest

from crm.imports.clean.emails import clean_emails
from crm.imports.results import ERROR


def clean(value):
    problems = []
    addresses = clean_emails(value, "email", problems)
    return addresses, [(p.column, p.severity, p.message) for p in problems]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("igor.savchenko@odfoundation.eu", ["igor.savchenko@odfoundation.eu"]),
        ("Igor.Savchenko@ODFoundation.EU", ["igor.savchenko@odfoundation.eu"]),
        ("  lyudmylakozlovska@odfoundation.eu\u00a0", ["lyudmylakozlovska@odfoundation.eu"]),
        ("lyudmylakozlovska@odfoundation.eu\u200b", ["lyudmylakozlovska@odfoundation.eu"]),  # zero-width space
        ("mailto:igor.savchenko@odfoundation.eu", ["igor.savchenko@odfoundation.eu"]),
        ("MAILTO: igor.savchenko@odfoundation.eu", ["igor.savchenko@odfoundation.eu"]),
        ("Igor Savchenko <igor.savchenko@odfoundation.eu>", ["igor.savchenko@odfoundation.eu"]),
        ('"Savchenko, Igor" <igor.savchenko@odfoundation.eu>', ["igor.savchenko@odfoundation.eu"]),
        ("Panzeri, Pier Antonio <pierantonio.panzeri@europarl.europa.eu>", ["pierantonio.panzeri@europarl.europa.eu"]),
        ("<tomas.zdechovsky@europarl.europa.eu>", ["tomas.zdechovsky@europarl.europa.eu"]),
        ("Igor Savchenko igor.savchenko@odfoundation.eu", ["igor.savchenko@odfoundation.eu"]),
        ("igor.savchenko @odfoundation.eu", ["igor.savchenko@odfoundation.eu"]),
        ("igor.savchenko@ odfoundation.eu", ["igor.savchenko@odfoundation.eu"]),
        ("igor.savchenko @ odfoundation . eu", ["igor.savchenko@odfoundation.eu"]),
        ("(igor.savchenko@odfoundation.eu).", ["igor.savchenko@odfoundation.eu"]),
        (
            "igor.savchenko@odfoundation.eu; lyudmylakozlovska@odfoundation.eu",
            ["igor.savchenko@odfoundation.eu", "lyudmylakozlovska@odfoundation.eu"],
        ),
        (
            "julie.ward@europarl.europa.eu, julie.ward@ep.europa.eu",
            ["julie.ward@europarl.europa.eu", "julie.ward@ep.europa.eu"],
        ),
        (
            "julie.ward@europarl.europa.eu\njulie.ward@ep.europa.eu",
            ["julie.ward@europarl.europa.eu", "julie.ward@ep.europa.eu"],
        ),
        (
            "julie.ward@europarl.europa.eu julie.ward@ep.europa.eu",
            ["julie.ward@europarl.europa.eu", "julie.ward@ep.europa.eu"],
        ),
        ("Info@FreedomHouse.org; info@freedomhouse.org", ["info@freedomhouse.org"]),  # one address, twice
        (["igor.savchenko@odfoundation.eu", None, "info@hrw.org"], ["igor.savchenko@odfoundation.eu", "info@hrw.org"]),
        ("o'brien+pace@coe.int", ["o'brien+pace@coe.int"]),
        ("bakhyt@aman-saulik.kz", ["bakhyt@aman-saulik.kz"]),
        ("почта@пример.рф", ["почта@пример.рф"]),  # internationalised: the form's full check accepts it
    ],
)
def test_emails(value, expected):
    assert clean(value) == (expected, [])


@pytest.mark.parametrize("value", [None, "", " ", "n/a", "-", "none"])
def test_blank_emails(value):
    assert clean(value) == ([], [])


@pytest.mark.parametrize(
    "value, message",
    [
        ("see website", "“see website” is not an email address."),
        ("Igor Savchenko", "“Igor Savchenko” is not an email address."),
        ("igor.savchenko@", "“igor.savchenko@” is not a valid email address."),
        (
            "igor..savchenko@odfoundation.eu",
            "“igor..savchenko@odfoundation.eu” is not a valid email address.",
        ),
        (
            "igor@savchenko@odfoundation.eu",
            "“igor@savchenko@odfoundation.eu” is not a valid email address.",
        ),
        (
            "igor.savchenko@odfoundation",
            "“igor.savchenko@odfoundation” is not a valid email address.",
        ),
    ],
)
def test_what_is_not_an_email_is_an_error_naming_it(value, message):
    assert clean(value) == ([], [("email", ERROR, message)])


def test_one_bad_address_does_not_lose_the_good_one():
    assert clean("igor.savchenko@odfoundation.eu; igor@") == (
        ["igor.savchenko@odfoundation.eu"],
        [("email", ERROR, "“igor@” is not a valid email address.")],
    )


def test_a_pasted_page_in_an_email_cell_is_refused_quickly():
    value = "<" * 30_000 + "@"
    assert clean(value) == ([], [("email", ERROR, f"“{value[:40]}…” is not an email address.")])
