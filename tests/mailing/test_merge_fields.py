"""The sandbox staff's text runs in: fields filled, unknown ones named, tricks refused."""

from __future__ import annotations

import pytest

from crm.errors import InvalidInput
from crm.mailing.messages import MAIL_FIELDS, render_message
from crm.merge_fields import render

FIELDS = dict.fromkeys(MAIL_FIELDS, "") | {"salutation": "Dear Mr Kelam", "family_name": "Kelam", "campaign": "Free M."}


def test_fields_are_filled_as_plain_text():
    subject, body = render_message("About {{ campaign }}", "{{ salutation }},\n\n<b>{{ family_name }}</b> & co", FIELDS)
    assert subject == "About Free M."
    assert body == "Dear Mr Kelam,\n\n<b>Kelam</b> & co"  # no HTML escaping in a plain-text email


def test_an_unknown_field_is_refused_with_its_name():
    with pytest.raises(InvalidInput) as refused:
        render_message("Hello", "{{ salutation }} {{ first_name }} {{ party }}", FIELDS)
    assert refused.value.errors == {"body": ["Unknown merge fields: {{ first_name }}, {{ party }}."]}


@pytest.mark.parametrize(
    "template",
    [
        "{{ family_name.__class__.__mro__ }}",
        "{{ family_name|attr('__class__') }}",
        "{{ family_name.__init__.__globals__ }}",
        "{{ ''.__class__.__subclasses__() }}",
        "{{ family_name * 100000000 }}",
        "{{ 9 ** 9999999 }}",
        "{{ range(10) }}",
        "{{ lipsum.__globals__ }}",
        "{{ cycler.__init__.__globals__.os }}",
        "{% for x in family_name.__class__.__base__.__subclasses__() %}{{ x }}{% endfor %}",
    ],
)
def test_sandbox_escapes_are_refused(template):
    with pytest.raises(InvalidInput):
        render(template, {"family_name": "Kelam"})


def test_a_line_break_in_a_field_cannot_add_a_header():
    subject, _ = render_message("Hello {{ family_name }}", "x", FIELDS | {"family_name": "Kelam\nBcc: all@example.org"})
    assert subject == "Hello Kelam Bcc: all@example.org" and "\n" not in subject


def test_a_template_is_compiled_once_for_every_recipient():
    from crm import merge_fields

    merge_fields._compiled.cache_clear()
    texts = [merge_fields.render("Dear {{ name }},", {"name": name}) for name in ("Ada", "Bob", "Cy")]
    assert texts == ["Dear Ada,", "Dear Bob,", "Dear Cy,"]
    assert merge_fields._compiled.cache_info().misses == 1
    with pytest.raises(InvalidInput, match="Unknown merge field"):  # the cached names are still checked
        merge_fields.render("Dear {{ name }},", {"other": "x"})
