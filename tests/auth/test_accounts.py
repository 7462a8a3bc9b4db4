import pytest
from sqlalchemy import select

from crm.auth import service as users
from crm.auth.models import User
from crm.errors import Conflict, InvalidInput
from crm.extensions import db
from tests.conftest import PASSWORD


def test_passwords_are_hashed(app, staff):
    stored = db.session.scalar(select(User.password_hash).where(User.email == "editor@example.org"))
    assert PASSWORD not in stored and stored.startswith(("scrypt:", "pbkdf2:"))


def test_login_and_logout(client, auth):
    response = auth.login("editor")
    assert response.status_code == 302 and response.location == "/"
    assert client.get("/").status_code == 200
    auth.logout()
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_with_one_message(client, auth):
    response = auth.login("editor", "wrong password!")
    assert response.status_code == 200
    assert "do not match an active account" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_disabled_account_cannot_sign_in(app, client, auth, staff):
    users.update_user(staff["viewer"], role="viewer", active=False, name="", actor=staff["admin"])
    db.session.commit()
    auth.login("viewer")
    assert client.get("/").status_code == 302


def test_login_redirects_only_within_the_site(client, staff):
    data = {"email": "editor@example.org", "password": PASSWORD}
    assert client.post("/login?next=/contacts/people", data=data).location == "/contacts/people"
    client.post("/logout")
    assert client.post("/login?next=https://evil.example/", data=data).location == "/"
    client.post("/logout")
    assert client.post("/login?next=//evil.example/", data=data).location == "/"
    client.post("/logout")
    assert client.post("/login?next=/%5Cevil.example/", data=data).location == "/"  # browsers read \ as /


def test_create_user_validation(app, staff):
    with pytest.raises(Conflict):
        users.create_user("EDITOR@example.org", PASSWORD, role="editor")
    with pytest.raises(InvalidInput):
        users.create_user("new@example.org", "short", role="editor")
    with pytest.raises(InvalidInput):
        users.create_user("new@example.org", PASSWORD, role="superuser")


def test_the_last_admin_cannot_be_demoted(app, staff):
    with pytest.raises(Conflict):
        users.update_user(staff["admin"], role="editor", active=True, name="", actor=staff["admin"])


def test_admin_manages_accounts_through_the_screens(client, auth, app):
    auth.login("admin")
    response = client.post(
        "/admin/users/new", data={"email": "Mady@Example.org", "name": "Mady", "role": "editor", "password": PASSWORD}
    )
    assert response.status_code == 302
    user = users.find_user("mady@example.org")
    assert user.role == "editor"
    response = client.post(f"/admin/users/{user.id}", data={"name": "Mady D.", "role": "viewer", "active": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert (user.role, user.active, user.name) == ("viewer", False, "Mady D.")


def test_change_own_password(client, auth, staff):
    auth.login("viewer")
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "a brand new secret", "confirm": "a brand new secret"},
    )
    assert response.status_code == 302
    auth.logout()
    assert auth.login("viewer", "a brand new secret").location == "/"


def test_cli_create_user(app, runner):
    result = runner.invoke(args=["crm", "create-user", "Igor@Example.org", "--role", "admin", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert "Created admin account igor@example.org" in result.output
    assert users.find_user("igor@example.org").check_password(PASSWORD)

    result = runner.invoke(args=["crm", "create-user", "igor@example.org", "--role", "admin", "--password", PASSWORD])
    assert result.exit_code == 1 and "already an account" in result.output


def test_cli_create_user_prompts_for_the_password(app, runner):
    result = runner.invoke(
        args=["crm", "create-user", "lyudmyla@example.org", "--role", "viewer"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert users.find_user("lyudmyla@example.org").role == "viewer"


def test_cli_refuses_an_unknown_role(app, runner):
    result = runner.invoke(args=["crm", "create-user", "x@example.org", "--role", "owner", "--password", PASSWORD])
    assert result.exit_code == 2


def test_first_admin_is_created_once_and_its_login_printed(app, runner):
    first = runner.invoke(args=["crm", "first-admin"])
    assert first.exit_code == 0 and "Sign in as admin@example.org with password" in first.output
    password = first.output.split("with password ")[1].split()[0]
    assert users.authenticate("admin@example.org", password) is not None
    again = runner.invoke(args=["crm", "first-admin"])
    assert password in again.output
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 1
