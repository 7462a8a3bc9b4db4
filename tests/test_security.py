"""CSRF, cookies, escaping and error pages, with CSRF protection switched on."""

from sqlalchemy import func, select

from crm.contacts.models import Person
from crm.extensions import db
from tests.browser_client import csrf_token
from tests.conftest import PASSWORD
from tests.factories import make_person


def test_the_suite_runs_with_csrf_on(app):
    # The production configuration: only the database, the secret and the hash cost differ.
    assert app.config["WTF_CSRF_ENABLED"] is not False
    assert not app.testing


def test_posts_without_a_csrf_token_are_refused(client, staff):
    response = client.post("/login", data={"email": "editor@example.org", "password": PASSWORD}, csrf=False)
    assert response.status_code == 400
    assert "nothing was saved" in response.get_data(as_text=True)

    # With the token from the login page, sign-in works; a forged form still fails.
    token = csrf_token(client.get("/login").get_data(as_text=True))
    signed_in = client.post("/login", data={"email": "editor@example.org", "password": PASSWORD, "csrf_token": token})
    assert signed_in.status_code == 302
    response = client.post(
        "/contacts/people/new", data={"family_name": "Forged", "lawful_basis": "consent"}, csrf=False
    )
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0


def test_session_cookie_is_httponly_and_samesite(client, auth):
    response = auth.login("editor")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_names_are_escaped_everywhere(app, client, auth):
    person = make_person("<script>alert(1)</script>", "<b>Bold</b>", notes="<img src=x onerror=alert(1)>")
    auth.login("viewer")
    for url in (f"/contacts/people/{person.id}", "/contacts/people", "/"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html
    lookup = client.get("/contacts/people/lookup?q=script").get_json()
    assert lookup[0]["label"].startswith("<b>Bold</b>")  # JSON carries text; app.js inserts it as text


def test_unknown_record_is_a_clear_404(client, auth):
    auth.login("viewer")
    response = client.get("/contacts/people/424242")
    assert response.status_code == 404
    assert "There is no person with id 424242" in response.get_data(as_text=True)


def test_uploads_are_bounded(app):
    assert app.config["MAX_CONTENT_LENGTH"] <= 50 * 1024 * 1024
