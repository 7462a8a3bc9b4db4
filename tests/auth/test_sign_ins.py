"""Sign-ins the server can end, limits on guessing, and the sign-in trail in the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm import create_app
from crm.audit.models import AuditEntry
from crm.auth import passwords
from crm.auth import service as users
from crm.auth.models import SignIn
from crm.errors import InvalidInput
from crm.extensions import db
from tests.browser_client import BrowserLikeClient, csrf_token
from tests.conftest import PASSWORD, AuthActions
from tests.settings import app_config


def _client(app) -> tuple[BrowserLikeClient, AuthActions]:
    client = app.test_client()
    return client, AuthActions(client)


def _signed_in(client) -> bool:
    return client.get("/").status_code == 200


def _sign_in(client, email: str = "editor@example.org", password: str = PASSWORD, **extra):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token, **extra})


def _actions(user_id: int | None = None) -> list[str]:
    statement = select(AuditEntry.action).where(AuditEntry.entity_type == "user").order_by(AuditEntry.id)
    if user_id is not None:
        statement = statement.where(AuditEntry.entity_id == user_id)
    return list(db.session.scalars(statement))


def test_a_session_cookie_copied_before_sign_out_does_not_work_after(app, client, auth, staff):
    auth.login("editor")
    copied = client.get_cookie("session").value
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert not _signed_in(thief)
    assert db.session.scalar(select(SignIn).where(SignIn.user_id == staff["editor"].id)) is None


def test_keep_me_signed_in_is_a_fresh_secure_cookie_that_ends_with_sign_out(database_dir, staff):
    app = create_app(app_config(database_dir, SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True))
    app.test_client_class = BrowserLikeClient
    values = []
    for _ in range(2):
        client = app.test_client()
        response = _sign_in(client, remember="y")
        cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token="))
        assert "Secure" in cookie and "HttpOnly" in cookie
        assert "Max-Age=2592000" in cookie or "Expires=" in cookie  # 30 days
        values.append(client.get_cookie("remember_token", domain="localhost").value)
    assert values[0] != values[1], "each sign-in gets its own remember-me value"

    # The remember-me cookie alone signs a new browser in, until its owner signs out.
    thief = app.test_client()
    thief.set_cookie("remember_token", values[1])
    assert _signed_in(thief)
    client.get("/")
    assert client.post("/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("remember_token", values[1])
    assert not _signed_in(thief)


def test_the_remember_me_cookie_lasts_thirty_days_and_is_secure_under_the_setting(monkeypatch, database_dir):
    monkeypatch.setenv("CRM_COOKIE_SECURE", "1")
    config = create_app(app_config(database_dir)).config
    assert config["REMEMBER_COOKIE_SECURE"] and config["SESSION_COOKIE_SECURE"]
    assert config["REMEMBER_COOKIE_HTTPONLY"]
    assert config["REMEMBER_COOKIE_DURATION"].days == 30


def test_a_password_change_signs_out_every_other_browser(app, staff):
    (first, first_auth), (second, second_auth) = _client(app), _client(app)
    first_auth.login("editor")
    second_auth.login("editor")
    response = first.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "a brand new secret", "confirm": "a brand new secret"},
    )
    assert response.status_code == 302
    assert _signed_in(first), "the browser that changed it stays signed in"
    assert not _signed_in(second)
    assert second_auth.login("editor", "a brand new secret").status_code == 302


@pytest.mark.parametrize("change", [{"role": "viewer", "active": "y"}, {"role": "editor"}])
def test_a_role_change_or_deactivation_signs_the_account_out(app, staff, change):
    (editor, editor_auth), (admin, admin_auth) = _client(app), _client(app)
    editor_auth.login("editor")
    admin_auth.login("admin")
    response = admin.post(f"/admin/users/{staff['editor'].id}", data={"name": "Editor", **change})
    assert response.status_code == 302
    assert not _signed_in(editor)
    assert _signed_in(admin)


def test_an_admin_changing_their_own_password_stays_signed_in(app, staff):
    admin, admin_auth = _client(app)
    admin_auth.login("admin")
    response = admin.post(
        f"/admin/users/{staff['admin'].id}",
        data={"name": "Admin", "role": "admin", "active": "y", "password": "another good secret"},
    )
    assert response.status_code == 302
    assert _signed_in(admin)


def test_the_csrf_token_of_the_sign_in_page_is_not_valid_after_signing_in(app, client, staff):
    before = csrf_token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": "editor@example.org", "password": PASSWORD, "csrf_token": before})
    planted = client.post("/contacts/people/new", data={"family_name": "Planted", "csrf_token": before})
    assert planted.status_code == 400


def test_guessing_a_password_is_stopped_and_the_right_one_waits_too(app, client, staff):
    for _ in range(5):
        assert _sign_in(client, password="wrong password!").status_code == 200
    refused = _sign_in(client)
    assert refused.status_code == 429
    assert "Too many sign-in attempts" in refused.get_data(as_text=True)
    assert refused.headers.get("Retry-After")
    assert not _signed_in(client)
    # Another account from the same address is not locked by this one's failures.
    assert _sign_in(client, "viewer@example.org").status_code == 302
    actions = _actions(staff["editor"].id)
    assert actions.count("sign-in-failed") == 5 and "locked-out" in actions


def test_successful_sign_ins_do_not_count_against_the_limit(app, staff):
    for _ in range(8):
        client, auth = _client(app)
        assert auth.login("editor").status_code == 302


def test_one_address_trying_many_accounts_is_stopped(app, client, staff):
    for number in range(20):
        assert _sign_in(client, f"nobody{number}@example.org").status_code == 200
    assert _sign_in(client, "nobody-else@example.org").status_code == 429
    assert _actions(0)[-1] == "locked-out"


def test_behind_a_trusted_proxy_each_client_address_counts_on_its_own(database_dir, staff):
    def attempts(app) -> list[int]:
        client = app.test_client()
        codes = []
        for number in range(21):
            token = csrf_token(client.get("/login").get_data(as_text=True))
            codes.append(
                client.post(
                    "/login",
                    data={"email": f"nobody{number}@example.org", "password": "x" * 10, "csrf_token": token},
                    headers={"X-Forwarded-For": f"198.51.100.{number}"},
                ).status_code
            )
        return codes

    assert set(attempts(create_app(app_config(database_dir, PROXY_HOPS=1)))) == {200}
    # Without a proxy to trust, a forged header is ignored: the one real address is limited.
    assert attempts(create_app(app_config(database_dir)))[-1] == 429


def test_an_unknown_address_costs_one_password_check_as_a_known_one_does(app, staff, monkeypatch):
    checks = []
    real = passwords.check_password_hash
    monkeypatch.setattr(passwords, "check_password_hash", lambda *args: checks.append(args) or real(*args))
    assert users.authenticate("nobody@example.org", PASSWORD) is None
    assert len(checks) == 1


@pytest.mark.parametrize(
    "password", ["1234567890", "aaaaaaaaaa", "0987654321", "qwertyuiop", "Password123", "abababababab", "editor2026"]
)
def test_common_passwords_are_refused(app, staff, password):
    with pytest.raises(InvalidInput, match="first any attacker tries"):
        users.create_user("editor2026@example.org", password, role="editor")


def test_a_sound_password_is_accepted(app):
    assert users.create_user("new@example.org", "violet kettle harbour", role="editor").id


def test_sign_in_sign_out_and_failures_are_audited(app, client, auth, staff):
    _sign_in(client, password="wrong password!")
    _sign_in(client, "nobody@example.org")
    auth.login("editor")
    auth.logout()
    assert _actions(staff["editor"].id)[-3:] == ["sign-in-failed", "sign-in", "sign-out"]
    unknown = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_id == 0)).one()
    assert unknown.action == "sign-in-failed" and "nobody" not in str(unknown.changes)
