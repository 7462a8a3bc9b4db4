"""The value rules the forms and the import share (crm.values, crm.phones) on any text:
a value, or ValueError (NotAPhoneNumber is one) with the reason, never another exception."""

from __future__ import annotations

import pycountry
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from crm import phones, values
from tests.fuzz import FUZZ

# Arbitrary text finds the crashes; text made of what the rules look for gets past their first checks.
PHONE_LIKE = st.text(alphabet=" +-0123456789().,;:/xXteElT#*\u00a0\u200bдоб", max_size=90)
EMAIL_LIKE = st.text(alphabet="abcAZ09.-_+@ []\"'\\()<>:;,!#%&*ёß\u00a0\u200b", max_size=90)
ANY_TEXT = st.one_of(st.text(), st.text(min_size=60, max_size=400), PHONE_LIKE, EMAIL_LIKE)
REGIONS = st.one_of(st.none(), st.sampled_from(sorted(country.alpha_2 for country in pycountry.countries) + ["XK"]))


def value_or_refusal(rule, *args, **kwargs) -> object:
    try:
        return rule(*args, **kwargs)
    except ValueError as refusal:
        assert str(refusal)
        return refusal


@settings(FUZZ, max_examples=300)
@given(text=ANY_TEXT)
def test_email(text):
    address = value_or_refusal(values.normalise_email, text)
    if isinstance(address, str):
        assert address == address.strip().lower() and "@" in address


@settings(FUZZ, max_examples=400)
@given(text=ANY_TEXT)
def test_phone_as_the_form_reads_it(text):
    number = value_or_refusal(values.normalise_phone, text)
    if isinstance(number, str):
        assert len(values.phone_digits(number)) >= phones.MIN_DIGITS


@settings(FUZZ, max_examples=400)
@given(text=ANY_TEXT, region=REGIONS)
def test_phone_as_the_import_reads_it(text, region):
    reading = value_or_refusal(phones.read_phone, text, region)
    if isinstance(reading, phones.PhoneReading) and reading.e164:
        assert reading.e164.startswith("+") and reading.e164[1:].isdigit()
    for found in (phones.e164(text, region), phones.fast_e164(text, region)):
        assert found is None or (found.startswith("+") and found[1:].isdigit())


@settings(FUZZ, max_examples=200)
@given(text=st.one_of(st.none(), ANY_TEXT), add_scheme=st.booleans())
def test_url(text, add_scheme):
    url = value_or_refusal(values.normalise_url, text, add_scheme=add_scheme)
    assert url is None or isinstance(url, ValueError) or url.lower().startswith(("http://", "https://"))


@settings(FUZZ, max_examples=300)
@given(text=st.one_of(st.none(), ANY_TEXT))
def test_country(text):
    code = value_or_refusal(values.normalise_country, text)
    assert code is None or isinstance(code, ValueError) or values.country_name(code)


@settings(FUZZ, max_examples=120)  # an unknown name costs pycountry's lookup a scan of every language
@given(given=st.one_of(ANY_TEXT, st.lists(ANY_TEXT, max_size=5)))
def test_languages(given):
    codes = value_or_refusal(values.normalise_languages, given)
    if isinstance(codes, list):
        assert all(len(code) == 2 for code in codes)
        values.language_names(",".join(codes))


@settings(FUZZ, max_examples=200)
@given(given=st.one_of(ANY_TEXT, st.lists(ANY_TEXT, max_size=5)))
@example(given="0" * 59 + " 0")  # cut after its 60th character, the name ended in a space
@example(given="A" * 60 + "x, " + "A" * 60 + "y")  # two names, one tag once cut: it came twice
def test_tags(given):
    tags = values.parse_tags(given)
    assert all(tag and len(tag) <= 60 and tag == tag.strip() for tag in tags)
    assert len({tag.casefold() for tag in tags}) == len(tags)


@pytest.mark.parametrize("lookup", [values.country_code, values.language_code, values.fold_key])
@settings(FUZZ, max_examples=150)
@given(text=ANY_TEXT)
def test_lookups_take_any_text(lookup, text):
    lookup(text)
