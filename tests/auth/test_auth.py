import pytest
from sqlalchemy import select

from lms.auth.models import User
from lms.core.audit import AuditEvent
from lms.extensions import db
from tests.conftest import PASSWORD

REGISTRATION = {
    "name": "Ŋoah Ø'Brien-Élan", "email": "New.Officer@Example.org", "password": "a long enough passphrase",
    "confirm": "a long enough passphrase", "agency": "County Probation", "discipline": "Probation",
    "jurisdiction": "Pine County",
}


def test_register_creates_a_trainee_and_logs_in(client):
    response = client.post("/register", data=REGISTRATION)
    assert response.status_code == 302
    user = db.session.scalar(select(User))
    assert user.email == "new.officer@example.org" and user.role == "trainee"
    assert user.name == "Ŋoah Ø'Brien-Élan"
    assert client.get("/dashboard").status_code == 200


def test_open_registration_never_creates_staff(client):
    client.post("/register", data={**REGISTRATION, "role": "admin"})
    assert db.session.scalar(select(User.role)) == "trainee"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("password", "short pass", "Use at least 12 characters."),
    ("password", "Password1234", "That password is too common; choose a longer passphrase."),
    ("email", "not-an-email", "Invalid email address."),
    ("confirm", "something else entirely", "The passwords do not match."),
    ("name", "", "This field is required."),
])
def test_bad_registration_rerenders_with_field_errors_and_creates_nothing(client, field, value, message):
    data = {**REGISTRATION, field: value}
    if field == "password":
        data["confirm"] = value
    response = client.post("/register", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message.replace("'", "&#39;") in html
    assert f'id="{field}-error"' in html and 'aria-invalid="true"' in html
    assert db.session.scalar(select(User)) is None


def test_duplicate_email_is_refused_on_the_field(client, make_user):
    make_user(email="new.officer@example.org")
    response = client.post("/register", data=REGISTRATION)
    assert "already exists" in response.get_data(as_text=True)


def test_login_and_logout(client, auth, make_user):
    user = make_user()
    response = auth.login(user.email)
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    assert client.get("/dashboard").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/dashboard").status_code == 302


def test_wrong_password_shows_one_message_and_is_audited(client, auth, make_user):
    user = make_user()
    response = auth.login(user.email, "wrong password!!")
    assert response.status_code == 200
    assert "The email or password is not correct." in response.get_data(as_text=True)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.outcome == "failure"))
    assert event.action == "auth.login" and event.target == f"email:{user.email}"


def test_deactivated_account_cannot_log_in(auth, make_user):
    user = make_user()
    user.active = False
    db.session.commit()
    assert auth.login(user.email).status_code == 200


OFF_SITE = ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_off_site_next_is_ignored(auth, make_user, target):
    user = make_user()
    response = auth.client.post(f"/login?next={target}", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/dashboard"


def test_on_site_next_is_followed(auth, make_user):
    user = make_user()
    response = auth.client.post("/login?next=/curricula/x", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/curricula/x"


def test_eleventh_wrong_password_in_a_minute_gets_429(auth, make_user):
    user = make_user()
    statuses = [auth.login(user.email, "wrong password!!").status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def test_account_limit_holds_across_addresses(app, make_user):
    user = make_user()
    for number in range(10):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{number}"
        client.post("/login", data={"email": user.email, "password": "wrong password!!"})
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.1.1"
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 429


def test_registrations_for_one_address_are_limited_across_addresses(app):
    app.config["REGISTER_LIMIT"] = "3 per hour"
    statuses = []
    for number in range(4):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.2.{number}"
        statuses.append(client.post("/register", data={**REGISTRATION, "password": "short"}).status_code)
    assert statuses == [200, 200, 200, 429]


def test_session_cookie_replayed_after_logout_is_refused(app, auth, make_user):
    user = make_user()
    auth.login(user.email)
    cookie = auth.client.get_cookie("session").value
    auth.logout()
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    response = replay.get("/dashboard")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


@pytest.mark.real_password_hashing
def test_passwords_are_hashed_with_scrypt_at_production_cost(make_user):
    user = make_user()
    # scrypt with N=2^15, r=8, p=1: OWASP's minimum recommendation for scrypt
    assert user.password_hash.startswith("scrypt:32768:8:1$")


def test_stored_hash_uses_the_configured_method(make_user):
    user = make_user()
    assert user.password_hash.startswith("scrypt:") and PASSWORD not in user.password_hash


def test_users_create_command_makes_staff(runner):
    result = runner.invoke(args=["users", "create", "--email", "Boss@Example.org", "--name", "Pat Admin",
                                 "--role", "admin", "--password", "another long passphrase"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.role).where(User.email == "boss@example.org")) == "admin"
    again = runner.invoke(args=["users", "create", "--email", "boss@example.org", "--name", "X",
                                "--password", "another long passphrase"])
    assert again.exit_code == 1 and "already exists" in again.output


def test_a_login_checks_the_password_without_holding_sqlites_write_lock(tmp_path, monkeypatch):
    """A class of 300 logging in at 9:00 must not queue on SQLite's write lock behind each password
    hash: while one login is inside the hash, another connection can still write."""
    import sqlite3
    import threading

    from lms import create_app
    from lms.auth import operations
    from tests.conftest import _TestConfig

    class FileConfig(_TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'login.sqlite3'}"

    app = create_app(FileConfig)
    with app.app_context():
        db.create_all()
        operations.create_user(email="officer@example.test", password=PASSWORD, name="Officer")
        db.session.commit()
    hashing, written = threading.Event(), threading.Event()
    check = User.check_password

    def slow_check(user, password):
        hashing.set()
        written.wait(timeout=10)
        return check(user, password)

    monkeypatch.setattr(User, "check_password", slow_check)
    login = threading.Thread(target=lambda: app.test_client().post(
        "/login", data={"email": "officer@example.test", "password": PASSWORD}))
    login.start()
    assert hashing.wait(timeout=10)
    other = sqlite3.connect(tmp_path / "login.sqlite3", timeout=0.5)
    try:
        other.execute("BEGIN IMMEDIATE")  # "database is locked" if the login held the write lock
        other.execute("ROLLBACK")
    finally:
        other.close()
        written.set()
        login.join()
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "auth.login")) == "auth.login"
        db.engine.dispose()
