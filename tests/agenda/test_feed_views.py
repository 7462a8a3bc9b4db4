"""The calendar URL on the account page, through the browser-like client (CSRF on): viewers too."""

from __future__ import annotations

import re

from tests.browser_client import BrowserLikeClient

URL = re.compile(r'value="(http://localhost/calendar/[^"]+\.ics)"')


def _make_url(client, button: str = "create", **extra) -> str:
    page = client.get("/account/password").get_data(as_text=True)
    assert 'id="calendar"' in page
    response = client.post("/calendar/feed", data={button: "1", **extra})
    assert response.status_code == 200
    found = URL.search(response.get_data(as_text=True))
    assert found, "the new URL is shown once"
    return found.group(1)


def test_a_viewer_makes_renews_and_revokes_their_feed(app, client, auth, season):
    auth.login("viewer")
    assert "Make my calendar URL" in client.get("/account/password").get_data(as_text=True)
    url = _make_url(client)
    outsider = app.test_client()  # a calendar app: no session, no cookies
    first = outsider.get(url)
    assert first.status_code == 200 and first.mimetype == "text/calendar"
    assert first.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in first.headers
    assert first.headers["X-Content-Type-Options"] == "nosniff"

    page = client.get("/account/password").get_data(as_text=True)
    assert "A calendar URL is in use" in page and url not in page  # shown once only

    renewed = _make_url(client, "renew")
    assert renewed != url
    assert outsider.get(url).status_code == 404
    assert outsider.get(renewed).status_code == 200

    revoked = client.post("/calendar/feed", data={"revoke": "1"}, follow_redirects=True)
    assert "revoked" in revoked.get_data(as_text=True)
    assert outsider.get(renewed).status_code == 404


def test_the_choice_of_campaigns_is_saved(app, client, auth, season):
    auth.login("editor")
    url = _make_url(client)
    outsider = app.test_client()
    assert "Parole hearing" not in outsider.get(url).get_data(as_text=True)
    client.get("/account/password")
    saved = client.post("/calendar/feed", data={"save": "1", "all_campaigns": "y"}, follow_redirects=True)
    assert "every campaign" in saved.get_data(as_text=True)
    assert "Parole hearing" in outsider.get(url).get_data(as_text=True)


def test_without_a_csrf_token_nothing_is_made(app, client, auth, season):
    auth.login("editor")
    assert client.post("/calendar/feed", data={"create": "1"}, csrf=False).status_code == 400
    assert "Make my calendar URL" in client.get("/account/password").get_data(as_text=True)


def test_signing_in_is_not_needed_but_the_feed_gives_no_session(app, season, staff):
    client = BrowserLikeClient(app, app.response_class, use_cookies=True)
    assert client.get("/calendar/").status_code == 302  # the month view needs a sign-in
