"""Account lockout: 100 failed sign-ins of one address within an hour refuse every further sign-in of
it until the hour cools down or an administrator unlocks the account."""

import datetime

import pytest
from sqlalchemy import select

from config import Config
from lms.auth import lockout
from lms.core.audit import AuditEvent
from lms.extensions import db, limiter
from tests.auth.conftest import login, reload, totp
from tests.conftest import PASSWORD

WRONG = "not the password!"


@pytest.fixture
def threshold(app):
    """A lockout after 3 failures, so that tests stay under the per-minute rate limit."""
    app.config["LOCKOUT_THRESHOLD"] = 3
    return 3


def _fail(app, email, times):
    for _ in range(times):
        login(app.test_client(), email, WRONG)


def _age_all_events(minutes):
    for event in db.session.scalars(select(AuditEvent)):
        event.occurred_at -= datetime.timedelta(minutes=minutes)
    db.session.commit()


def test_the_policy_is_100_failures_in_an_hour():
    assert Config.LOCKOUT_THRESHOLD == 100 and Config.LOCKOUT_WINDOW_MINUTES == 60


def test_the_threshold_locks_the_account_even_for_the_right_password(app, client, make_user, threshold, events):
    user = make_user()
    _fail(app, user.email, threshold - 1)
    assert not lockout.is_locked(user.email)
    _fail(app, user.email, 1)
    assert lockout.is_locked(user.email)
    locked = events("auth.locked")
    assert len(locked) == 1 and locked[0].target == f"email:{user.email}" and locked[0].outcome == "denied"
    response = login(client, user.email, PASSWORD)
    assert response.status_code == 200
    assert "This account is locked after too many failed sign-in attempts" in response.get_data(as_text=True)
    refused = events("auth.login", "denied")
    assert refused[-1].details == {"reason": "locked"}
    assert len(events("auth.login", "failure")) == threshold  # refusals while locked are not failures


def test_an_address_without_an_account_locks_the_same_way(app, client, threshold):
    _fail(app, "nobody@example.org", threshold)
    response = login(client, "nobody@example.org", WRONG)
    assert "This account is locked" in response.get_data(as_text=True)  # tells nothing about existence


def test_the_lock_lifts_when_the_hour_cools_down(app, client, make_user, threshold):
    user = make_user()
    _fail(app, user.email, threshold)
    _age_all_events(59)
    assert lockout.is_locked(user.email)
    _age_all_events(2)
    assert not lockout.is_locked(user.email)
    assert login(client, user.email).headers["Location"] == "/dashboard"


def test_locked_until_is_an_hour_after_the_failure_that_locked(app, make_user, threshold):
    user = make_user()
    assert lockout.locked_until(user.email) is None
    _fail(app, user.email, threshold + 1)
    until = lockout.locked_until(user.email)
    assert until is not None
    last_failures = sorted(event.occurred_at for event in db.session.query(AuditEvent).filter(
        AuditEvent.action == "auth.login", AuditEvent.outcome == "failure"))
    assert until == last_failures[-threshold] + datetime.timedelta(hours=1)


def test_an_admin_unlocks_the_account(app, client, make_user, threshold, events):
    user = make_user(name="Dana Whitfield")
    admin = make_user("admin")
    _fail(app, user.email, threshold)
    login(client, admin.email)
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "Locked</span> until" in page and f"after {threshold} failed attempts" in page
    assert "Unlock account" in page
    response = client.post(f"/admin/users/{user.id}/unlock")
    assert response.status_code == 302
    assert "Dana Whitfield can log in again" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert not lockout.is_locked(user.email)
    unlocked = events("admin.account_unlocked")
    assert [(event.actor_id, event.target) for event in unlocked] == [(admin.id, f"user:{user.id}")]
    assert reload(user).lockout_cleared_at is not None
    assert login(app.test_client(), user.email).headers["Location"] == "/dashboard"
    # failures after the unlock count again
    _fail(app, user.email, threshold)
    assert lockout.is_locked(user.email)


def test_the_admin_page_shows_no_unlock_button_when_not_locked(client, make_user):
    user = make_user()
    login(client, make_user("admin").email)
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "Not locked" in page and "Unlock account" not in page


def test_only_admins_unlock(client, make_user, threshold):
    user = make_user()
    login(client, make_user("trainer").email)
    assert client.post(f"/admin/users/{user.id}/unlock").status_code == 403


def test_wrong_second_step_codes_count_toward_the_lockout(app, client, make_user, enroll, clock, threshold):
    user = make_user()
    secret, _ = enroll(user)
    clock.advance(minutes=1)
    login(client, user.email)
    for _ in range(threshold):
        client.post("/login/verify", data={"code": "not-a-code"})
    assert lockout.is_locked(user.email)
    response = client.post("/login/verify", data={"code": totp(secret)})
    assert response.headers["Location"] == "/login"
    assert client.get("/dashboard").status_code == 302
    assert "This account is locked" in login(client, user.email).get_data(as_text=True)


def test_a_wrong_current_password_counts_toward_the_lockout(client, make_user, threshold):
    user = make_user()
    login(client, user.email)
    for _ in range(threshold):
        client.post("/account/password", data={"password-current_password": WRONG,
                                                "password-password": "a brand new long passphrase",
                                                "password-confirm": "a brand new long passphrase"})
    assert lockout.is_locked(user.email)
    response = client.post("/account/password", data={"password-current_password": PASSWORD,
                                                       "password-password": "a brand new long passphrase",
                                                       "password-confirm": "a brand new long passphrase"})
    assert response.status_code == 400 and "This account is locked" in response.get_data(as_text=True)
    assert reload(user).check_password(PASSWORD)


def test_the_default_threshold_counts_100(app, make_user, events):
    user = make_user()
    limiter.enabled = False
    try:
        _fail(app, user.email, 99)
        assert not lockout.is_locked(user.email)
        _fail(app, user.email, 1)
        assert lockout.is_locked(user.email)
    finally:
        limiter.enabled = True
    assert len(events("auth.locked")) == 1


def test_a_failure_for_the_longest_email_is_recorded_and_counted(app, client, threshold, events):
    email = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 61  # 254 characters
    assert len(email) == 254
    _fail(app, email, threshold)
    failures = events("auth.login", "failure")
    assert len(failures) == threshold and len(failures[0].target) == 128
    assert "This account is locked" in login(client, email, WRONG).get_data(as_text=True)


def test_an_operator_unlocks_from_the_command_line_when_no_admin_can(app, runner, make_user, threshold, events):
    admin = make_user("admin")
    _fail(app, admin.email, threshold)
    assert lockout.is_locked(admin.email)
    result = runner.invoke(args=["users", "unlock", "--email", admin.email.upper()])
    assert result.exit_code == 0 and "can sign in again" in result.output
    assert not lockout.is_locked(admin.email)
    unlocked = events("admin.account_unlocked")
    assert [(event.actor_id, event.target) for event in unlocked] == [(None, f"user:{admin.id}")]
    assert runner.invoke(args=["users", "unlock", "--email", "nobody@example.test"]).exit_code == 1
