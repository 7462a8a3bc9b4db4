"""The person page's history and outreach come a page at a time, newest first, each section with its own
"Older" link, so the contact on 2 000 outreach entries opens like one on seven."""

import re
from datetime import date, timedelta

from crm.contacts.models import Person
from crm.contacts.people import set_archived
from crm.extensions import db
from tests.factories import make_organisation, make_outreach, make_person, make_response
from tests.web import links


def _section(page: str, anchor: str) -> str:
    """The HTML of the card with id `anchor`, up to the next card."""
    start = page.index(f'id="{anchor}"')
    end = re.compile(r'<div class="card[ "]').search(page, start)
    return page[start : end.start() if end else None]


def _versions(page: str) -> list[int]:
    return [int(v) for v in re.findall(r"version (\d+)", _section(page, "history"))]


def _subjects(page: str) -> list[int]:
    """The outreach entries listed (their table), not the replies below it."""
    entries = _section(page, "outreach-history").split("</table>")[0]
    return [int(n) for n in re.findall(r"Letter no\. (\d+)<", entries)]


def _replies(page: str) -> list[int]:
    replies = _section(page, "outreach-history").split("</table>")[1]
    return [int(n) for n in re.findall(r"Letter no\. (\d+)<", replies)]


def test_history_shows_the_newest_twenty_and_older_ones_a_page_further(client, auth):
    person = make_person("Kelam", "Tunne")
    for n in range(44):  # with the "create", 45 entries
        set_archived(person, n % 2 == 0, actor=None)
    db.session.commit()
    person_id = person.id
    auth.login("viewer")

    first = client.get(f"/contacts/people/{person_id}").get_data(as_text=True)
    assert _versions(first) == list(range(45, 25, -1))
    assert "1–20 of 45, newest first" in first
    [older] = links(_section(first, "history"), "history_page=")
    assert older.endswith("history_page=2#history")

    second = client.get(older).get_data(as_text=True)
    assert _versions(second) == list(range(25, 5, -1))
    newer, oldest = links(_section(second, "history"), "/contacts/people/")
    assert newer == f"/contacts/people/{person_id}#history"  # page 1 is the page without the argument
    third = client.get(oldest).get_data(as_text=True)
    assert _versions(third) == [5, 4, 3, 2, 1]
    assert links(_section(third, "history"), "history_page=3") == []  # no "Older" on the last page
    assert "41–45 of 45" in third

    past_the_end = client.get(f"/contacts/people/{person_id}?history_page=9").get_data(as_text=True)
    assert _versions(past_the_end) == [] and links(_section(past_the_end, "history"), "history_page=8")


def test_outreach_and_replies_are_paged_apart_from_the_history(client, auth):
    person = make_person("Paet", "Urmas")
    commission = make_organisation("European Commission")
    start = date(2020, 1, 1)
    for n in range(1, 24):  # sent in the order of their numbers, one a week
        letter = make_outreach(
            f"Letter no. {n}", to=[db.session.get(Person, person.id)], sent_on=start + timedelta(7 * n)
        )
        if n <= 21:
            make_response(letter, db.session.get(Person, person.id), received_on=start + timedelta(7 * n + 3))
    make_outreach("To the Commission", to=[commission])
    person_id = person.id
    auth.login("viewer")

    first = client.get(f"/contacts/people/{person_id}").get_data(as_text=True)
    assert _subjects(first) == list(range(23, 3, -1))
    outreach = _section(first, "outreach-history")
    assert "replied to 21 of 23 asks" in outreach and "1–20 of 23, newest first" in outreach
    assert "1–20 of 21, newest first" in outreach and _replies(first) == list(range(21, 1, -1))  # paged apart
    older = [link for link in links(outreach, "outreach_page=2") if "replies_page" not in link]
    assert older == [f"/contacts/people/{person_id}?outreach_page=2#outreach-history"]

    second = client.get(f"/contacts/people/{person_id}?history_page=1&outreach_page=2").get_data(as_text=True)
    assert _subjects(second) == [3, 2, 1]
    assert "replied to 21 of 23 asks" in second  # counted over all of them, not the page
    # The other sections stay where they were: paging the outreach keeps the history's argument.
    [replies_older] = links(second, "replies_page=2")
    assert "history_page=1" in replies_older and "outreach_page=2" in replies_older

    replies = client.get(f"/contacts/people/{person_id}?replies_page=2").get_data(as_text=True)
    assert "21–21 of 21" in _section(replies, "outreach-history") and _replies(replies) == [1]
    assert _subjects(replies) == list(range(23, 3, -1))


def test_a_page_number_that_is_no_number_is_the_first_page(client, auth):
    person_id = make_person("Ansip", "Andrus").id
    auth.login("viewer")
    for junk in ("0", "-3", "abc", "99999999999999999999"):
        response = client.get(f"/contacts/people/{person_id}?history_page={junk}&outreach_page={junk}")
        assert response.status_code == 200 and _versions(response.get_data(as_text=True)) == [1]


def test_the_organisation_page_pages_its_outreach_too(client, auth):
    commission = make_organisation("European Commission")
    for n in range(1, 22):
        make_outreach(f"Letter no. {n}", to=[commission], sent_on=date(2021, 1, n))
    auth.login("viewer")
    page = client.get(f"/contacts/organisations/{commission.id}").get_data(as_text=True)
    assert _subjects(page) == list(range(21, 1, -1))
    page = client.get(f"/contacts/organisations/{commission.id}?outreach_page=2").get_data(as_text=True)
    assert _subjects(page) == [1]
