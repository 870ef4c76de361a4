"""Sessions that really end: absolute and idle limits, replayed cookies, production cookie settings,
and the "fresh login" asked for before sensitive changes."""

import pytest
from sqlalchemy import select

from config import Config, ProductionConfig
from lms import create_app
from lms.admin import operations as admin_operations
from lms.core.audit import AuditEvent
from lms.extensions import db
from tests.auth.conftest import login, reload, totp
from tests.conftest import PASSWORD

NEW_PASSWORD = "a brand new long passphrase"


def _redirected_to_login(response):
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


# --- absolute and idle limits --------------------------------------------------------------------

def test_the_limits_are_settings():
    assert Config.SESSION_ABSOLUTE_HOURS == 12 and Config.SESSION_IDLE_MINUTES_STAFF == 30
    assert Config.FRESH_LOGIN_MINUTES == 5


@pytest.mark.parametrize("role", ["trainer", "admin"])
def test_staff_are_signed_out_after_30_idle_minutes(client, clock, make_user, role):
    login(client, make_user(role).email)
    clock.advance(minutes=29)
    assert client.get("/dashboard").status_code == 200
    clock.advance(minutes=29)  # active 29 minutes ago: still in
    assert client.get("/dashboard").status_code == 200
    clock.advance(minutes=30, seconds=1)
    response = client.get("/dashboard?tab=x")
    assert _redirected_to_login(response)
    assert response.headers["Location"] == "/login?next=/dashboard?tab%3Dx"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "signed out after 30 minutes without activity" in page
    assert client.get("/dashboard").status_code == 302  # the session is gone, not just refused once


def test_trainees_are_not_signed_out_when_idle(client, clock, make_user):
    login(client, make_user("trainee").email)
    clock.advance(hours=11, minutes=59)
    assert client.get("/dashboard").status_code == 200


@pytest.mark.parametrize("role", ["trainee", "trainer"])
def test_every_session_ends_12_hours_after_login_however_active(client, clock, make_user, role):
    login(client, make_user(role).email)
    for _ in range(12 * 4):  # a request every 15 minutes, up to 12 hours after the login
        clock.advance(minutes=15)
        assert client.get("/dashboard").status_code == 200
    clock.advance(seconds=1)
    assert _redirected_to_login(client.get("/dashboard"))
    assert "more than 12 hours ago" in client.get("/login").get_data(as_text=True)


def test_the_limits_follow_the_settings(app, client, clock, make_user):
    app.config.update(SESSION_IDLE_MINUTES_STAFF=1, SESSION_ABSOLUTE_HOURS=0.05)  # 3 minutes
    login(client, make_user("trainer").email)
    clock.advance(seconds=61)
    assert _redirected_to_login(client.get("/dashboard"))
    trainee = app.test_client()
    login(trainee, make_user("trainee").email)
    clock.advance(minutes=2)
    assert trainee.get("/dashboard").status_code == 200
    clock.advance(minutes=1, seconds=1)
    assert _redirected_to_login(trainee.get("/dashboard"))


def test_an_expired_post_is_not_carried_out_and_has_no_next(client, clock, make_user):
    login(client, make_user("trainer").email)
    clock.advance(minutes=31)
    response = client.post("/logout")
    assert response.headers["Location"] == "/login"


def test_a_session_without_its_login_time_is_ended(app, client, make_user):
    login(client, make_user().email)
    with client.session_transaction() as session:
        del session["auth_login_at"]
    assert _redirected_to_login(client.get("/dashboard"))


def test_expiry_ends_this_browser_only(app, clock, make_user):
    trainer = make_user("trainer")
    idle, busy = app.test_client(), app.test_client()
    login(idle, trainer.email)
    clock.advance(minutes=20)
    login(busy, trainer.email)
    clock.advance(minutes=15)
    assert _redirected_to_login(idle.get("/dashboard"))
    assert busy.get("/dashboard").status_code == 200


# --- replayed cookies ----------------------------------------------------------------------------

def _captured_session(client):
    return client.get_cookie("session").value


def _replay(app, cookie):
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    return replay.get("/dashboard")


def test_cookie_captured_before_a_password_change_is_refused(app, client, make_user):
    user = make_user()
    login(client, user.email)
    cookie = _captured_session(client)
    response = client.post("/account/password", data={"password-current_password": PASSWORD,
                                                       "password-password": NEW_PASSWORD,
                                                       "password-confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200  # this browser goes on
    assert _redirected_to_login(_replay(app, cookie))


def test_cookie_captured_before_deactivation_is_refused(app, client, make_user):
    user, admin = make_user(), make_user("admin")
    login(client, user.email)
    cookie = _captured_session(client)
    admin_operations.deactivate_user(admin, user)
    db.session.commit()
    assert _redirected_to_login(_replay(app, cookie))


def test_cookie_captured_before_sign_out_everywhere_is_refused(app, client, make_user):
    user, admin = make_user(), make_user("admin")
    login(client, user.email)
    cookie = _captured_session(client)
    admin_operations.end_user_sessions(admin, user)
    db.session.commit()
    assert _redirected_to_login(_replay(app, cookie))


def test_cookie_replayed_after_the_idle_limit_is_refused(app, client, clock, make_user):
    login(client, make_user("admin").email)
    cookie = _captured_session(client)
    clock.advance(minutes=31)
    assert _redirected_to_login(_replay(app, cookie))


# --- cookie settings -----------------------------------------------------------------------------

class _Production(ProductionConfig):
    SECRET_KEY = "7rD-kQ2vX9mLpZ4wB8sN1yT6cF3hJ0gA_eUoR5iV"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    LMS_BASE_URL = "https://training.example.gov"
    MFA_SEALING_KEYS = ("Ws0B_xwZ1fTQ4yq8G7c2mYk9H3uJ5nLrP6vA0eDiKoE=",)


def test_production_cookies(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("SECRET_KEY", "7rD-kQ2vX9mLpZ4wB8sN1yT6cF3hJ0gA_eUoR5iV")
    app = create_app(_Production)
    config = app.config
    assert config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert config["SESSION_COOKIE_SECURE"] and config["SESSION_COOKIE_HTTPONLY"]
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["SESSION_COOKIE_PATH"] == "/" and config["SESSION_COOKIE_DOMAIN"] is None
    assert config["REMEMBER_COOKIE_NAME"].startswith("__Host-") and config["REMEMBER_COOKIE_SECURE"]
    response = app.test_client().get("/login", base_url="https://lms.example")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie


def test_no_session_outlives_the_browser(client, make_user):
    login(client, make_user().email)
    cookie = client.get_cookie("session")
    assert cookie.expires is None  # a browser-session cookie; the server enforces the 12 hours
    assert client.get_cookie("remember_token") is None


# --- fresh login ---------------------------------------------------------------------------------

def test_changing_the_email_right_after_login_needs_no_password(client, make_user):
    user = make_user()
    login(client, user.email)
    assert client.get("/account/email").status_code == 200


def test_a_stale_login_is_asked_for_the_password_and_returns(client, clock, make_user):
    user = make_user()
    login(client, user.email)
    clock.advance(minutes=5, seconds=1)
    response = client.get("/account/email")
    assert response.status_code == 302
    assert response.headers["Location"] == "/reauthenticate?next=/account/email"
    assert "enter your password again" in client.get(response.headers["Location"]).get_data(as_text=True)
    wrong = client.post("/reauthenticate?next=/account/email", data={"password": "not my password!"})
    assert wrong.status_code == 400 and "That password is not correct." in wrong.get_data(as_text=True)
    right = client.post("/reauthenticate?next=/account/email", data={"password": PASSWORD})
    assert right.headers["Location"] == "/account/email"
    assert client.get("/account/email").status_code == 200
    failure = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.reauthenticate",
                                                         AuditEvent.outcome == "failure"))
    assert failure.target == f"email:{user.email}" and failure.actor_id == user.id


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_reauthenticate_ignores_an_off_site_next(client, make_user, target):
    login(client, make_user().email)
    response = client.post("/reauthenticate", query_string={"next": target}, data={"password": PASSWORD})
    assert response.headers["Location"] == "/account"


def test_a_post_that_needs_a_fresh_login_returns_to_the_account_page(client, clock, make_user, enroll):
    user = make_user()
    enroll(user)
    login(client, user.email)
    client.post("/login/verify", data={"code": totp(reload(user).mfa_secret)})
    clock.advance(minutes=6)
    response = client.post("/account/two-step/off")
    assert response.headers["Location"] == "/reauthenticate?next=/account"
    assert reload(user).mfa_enabled


def test_with_two_step_verification_reauthenticating_needs_a_code(client, clock, make_user, enroll):
    user = make_user()
    secret, _ = enroll(user)
    login(client, user.email)
    client.post("/login/verify", data={"code": totp(secret)})
    clock.advance(minutes=6)
    without = client.post("/reauthenticate", data={"password": PASSWORD})
    assert without.status_code == 400 and "Enter a current code" in without.get_data(as_text=True)
    clock.advance(seconds=30)
    response = client.post("/reauthenticate?next=/account/email", data={"password": PASSWORD, "code": totp(secret)})
    assert response.headers["Location"] == "/account/email"


def test_reauthenticate_needs_login(client):
    response = client.get("/reauthenticate")
    assert _redirected_to_login(response)
