"""Junk in a query string or a form is a clear 400 or is ignored: never a server error.

Every GET page without URL arguments is asked with ids no database integer holds, a page
number as large, and a NUL character in the search, as editor and as admin; a new page is
covered without anyone adding it here.
"""

from __future__ import annotations

import pytest

from tests.factories import make_person

HUGE = "99999999999999999999999"
JUNK = {
    name: HUGE
    for name in (
        "page", "category_id", "organisation_id", "political_group_id", "tag_id", "campaign_id", "kind_id",
        "type_id", "keep", "other", "prompted_by", "to", "list_id",
    )
}  # fmt: skip


def _pages(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static":
            yield rule.rule


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_ids_too_large_for_the_database_are_ignored(app, client, auth, role):
    make_person("Dzhakishev", "Mukhtar")
    auth.login(role)
    failures = []
    for path in _pages(app):
        response = client.get(path, query_string=JUNK)
        response.get_data()  # a download streams: read it to its end, where its errors would show
        response.close()
        if response.status_code >= 500:
            failures.append(f"{path} -> {response.status_code}")
    assert failures == []


def test_a_nul_character_is_refused_with_a_clear_message(app, client, auth):
    auth.login("editor")
    for path in ("/contacts/people", "/contacts/people/lookup", "/outreach/", "/contacts/organisations"):
        response = client.get(path, query_string={"q": "Dzhaki\x00shev"})
        assert response.status_code == 400, path
    page = client.get("/contacts/people", query_string={"q": "\x00"}).get_data(as_text=True)
    assert "NUL character" in page

    saved = client.post("/contacts/people/new", data={"family_name": "Nul\x00l", "lawful_basis": "consent"})
    assert saved.status_code == 400
