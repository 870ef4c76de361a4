"""One-time password links: create, redeem once, expire; a bad token changes nothing."""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from lms.auth import reset
from lms.auth.models import User
from lms.cohorts.models import Invitation
from lms.core.audit import AuditEvent
from lms.core.errors import DomainError
from lms.core.time import utcnow
from lms.extensions import db
from tests.conftest import PASSWORD

NEW_PASSWORD = "a brand new long passphrase"
DAY = datetime.timedelta(hours=24)


@pytest.fixture
def user(make_user):
    return make_user(name="Dana Whitfield")


@pytest.fixture
def token(user, make_user):
    admin = make_user("admin")
    token = reset.create_password_link(user, admin, DAY)
    db.session.commit()
    return token


def _reload(user):
    return db.session.get(User, user.id, populate_existing=True)


def _invitation():
    return db.session.scalar(select(Invitation).execution_options(populate_existing=True))


def _set(client, token, password=NEW_PASSWORD, confirm=None):
    return client.post(f"/password/{token}", data={"password": password, "confirm": confirm or password})


def test_only_the_hash_is_stored_and_the_lifetime_is_kept(user, token):
    invitation = _invitation()
    assert invitation.token_hash == reset.hash_token(token) and token not in invitation.token_hash
    assert len(token) >= 43  # 32 random bytes
    assert invitation.expires_at - invitation.created_at == DAY
    assert invitation.used_at is None


def test_invitation_lifetime_is_the_callers(user, make_user):
    reset.create_password_link(user, None, datetime.timedelta(days=14))
    invitation = _invitation()
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=14)
    assert invitation.created_by_id is None


def test_the_page_names_the_account_and_is_not_cached(client, user, token):
    response = client.get(f"/password/{token}")
    assert response.status_code == 200
    assert user.email in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_setting_the_password_works_once(app, client, auth, user, token):
    response = _set(client, token)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert auth.login(user.email, NEW_PASSWORD).status_code == 302
    assert app.test_client().post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 200
    assert _invitation().used_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.password_set"))
    assert event.actor_id == user.id and event.target == f"user:{user.id}"
    again = app.test_client()
    assert again.get(f"/password/{token}").status_code == 410
    second = _set(again, token, "yet another long passphrase")
    assert second.status_code == 410 and "already been used" in second.get_data(as_text=True)
    assert _reload(user).check_password(NEW_PASSWORD)


def test_setting_the_password_ends_every_session(app, client, user, token):
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": PASSWORD})
    assert other.get("/dashboard").status_code == 200
    _set(client, token)
    assert other.get("/dashboard").status_code == 302


def test_an_expired_link_changes_nothing(client, user, token):
    invitation = _invitation()
    invitation.expires_at = utcnow() - datetime.timedelta(seconds=1)
    db.session.commit()
    hash_before = _reload(user).password_hash
    assert client.get(f"/password/{token}").status_code == 410
    response = _set(client, token)
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)
    assert _reload(user).password_hash == hash_before and _invitation().used_at is None


@pytest.mark.parametrize("wrong", ["not-a-token", "x" * 43, "A" * 500])
def test_a_wrong_token_changes_nothing(client, user, token, wrong):
    events_before = db.session.scalar(select(db.func.count()).select_from(AuditEvent))
    hash_before = _reload(user).password_hash
    assert client.get(f"/password/{wrong}").status_code == 404
    response = _set(client, wrong)
    assert response.status_code == 404 and "not valid" in response.get_data(as_text=True)
    assert _reload(user).password_hash == hash_before
    assert _invitation().used_at is None
    assert db.session.scalar(select(db.func.count()).select_from(AuditEvent)) == events_before


@pytest.mark.parametrize(("password", "confirm", "message"), [
    ("short pass", "short pass", "Use at least 12 characters."),
    ("x" * 129, "x" * 129, "Use at most 128 characters."),
    ("qwerty123456", "qwerty123456", "That password is too common; choose a longer passphrase."),
    (NEW_PASSWORD, "something else entirely", "The passwords do not match."),
])
def test_bad_passwords_rerender_with_errors_and_keep_the_link(client, user, token, password, confirm, message):
    response = _set(client, token, password, confirm)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and 'aria-invalid="true"' in html
    assert _invitation().used_at is None and _reload(user).check_password(PASSWORD)


def test_redeem_checks_the_length_itself(user, token):
    with pytest.raises(DomainError):
        reset.redeem_password_link(token, "short")
    assert _invitation().used_at is None


def test_the_eleventh_bad_password_for_one_link_in_a_minute_gets_429(app, client, user, token):
    statuses = []
    for number in range(11):
        other = app.test_client()
        other.environ_base["REMOTE_ADDR"] = f"10.0.3.{number}"
        statuses.append(_set(other, token, "short", "short").status_code)
    assert statuses == [400] * 10 + [429]
    assert _set(client, token).status_code == 429  # the link, not the address, is limited
    assert _reload(user).check_password(PASSWORD)


def test_a_newer_link_replaces_the_older_one(client, user, token):
    newer = reset.create_password_link(user, None, DAY)
    db.session.commit()
    assert client.get(f"/password/{token}").status_code == 410
    assert _set(client, newer).status_code == 302


def test_a_deactivated_account_cannot_use_its_link(client, user, token):
    user.active = False
    db.session.commit()
    assert _set(client, token).status_code == 410
    assert _reload(user).check_password(PASSWORD)


def test_redeem_returns_the_user_and_audits(user, token):
    redeemed = reset.redeem_password_link(token, NEW_PASSWORD)
    db.session.commit()
    assert redeemed.id == user.id and redeemed.check_password(NEW_PASSWORD)
    with pytest.raises(reset.PasswordLinkNotUsable):
        reset.redeem_password_link(token, "another long passphrase")


def test_concurrent_redemptions_succeed_once(app, user, token):
    db.session.commit()
    barrier = threading.Barrier(8)

    def redeem(number):
        with app.app_context():
            barrier.wait()
            try:
                reset.redeem_password_link(token, f"concurrent passphrase {number}")
                db.session.commit()
                return number
            except reset.PasswordLinkNotUsable:
                db.session.rollback()
                return None

    with ThreadPoolExecutor(max_workers=8) as pool:
        winners = [number for number in pool.map(redeem, range(8)) if number is not None]
    assert len(winners) == 1
    assert _reload(user).check_password(f"concurrent passphrase {winners[0]}")
    assert db.session.scalar(select(db.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "auth.password_set")) == 1


# --- "Forgot your password?": a one-hour link by email -------------------------------------------

def _ask(client, email):
    response = client.post("/password/forgot", data={"email": email})
    return response.status_code, response.get_data(as_text=True)


def _link_in(message):
    [link] = [word for word in message.get_content().split() if "/password/" in word]
    return link


def test_without_mail_the_page_says_whom_to_ask_and_sends_nothing(client, user):
    html = client.get("/password/forgot").get_data(as_text=True)
    assert "This site does not send email" in html and "<form" not in html.split("<main", 1)[1]
    status, _ = _ask(client, user.email)
    assert status == 200 and db.session.scalar(select(Invitation)) is None


def test_the_login_page_links_to_it(client):
    assert 'href="/password/forgot"' in client.get("/login").get_data(as_text=True)


def test_a_known_address_gets_a_one_hour_link_that_sets_the_password(app, client, user, outbox):
    status, html = _ask(client, "  " + user.email.upper())
    assert status == 200 and "Check your email" in html
    [message] = outbox
    assert message["To"] == user.email and "1 hour" in message.get_content()
    link = _link_in(message)
    assert link.startswith(app.config["LMS_BASE_URL"])
    invitation = _invitation()
    assert invitation.expires_at - invitation.created_at == reset.SELF_SERVICE_LINK_LIFETIME
    assert invitation.created_by_id is None
    assert _set(client, link.split("/password/")[1]).status_code == 302
    assert _reload(user).check_password(NEW_PASSWORD)
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.password_reset_requested"))
    assert event.actor_id == user.id and event.outcome == "success"


@pytest.mark.parametrize("email", ["nobody@example.test", "deactivated@example.test"])
def test_an_unknown_or_deactivated_address_gets_the_same_answer_and_no_email(client, user, make_user, outbox, email):
    make_user(email="deactivated@example.test").active = False
    db.session.commit()
    _, known = _ask(client, user.email)
    status, unknown = _ask(client, email)
    assert status == 200
    assert unknown.replace(email, "ADDRESS") == known.replace(user.email, "ADDRESS")
    assert [message["To"] for message in outbox] == [user.email]
    failure = db.session.scalar(select(AuditEvent).where(AuditEvent.outcome == "failure"))
    assert failure.details == {"reason": "no active account", "email": email}


def test_an_email_that_cannot_be_sent_leaves_the_earlier_link_working(client, user, token, outbox):
    outbox.refuse = True
    status, html = _ask(client, user.email)
    assert status == 200 and "Check your email" in html
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 1  # no new link
    assert _set(client, token).status_code == 302  # the admin's earlier link still works
    failure = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.password_reset_requested"))
    assert failure.outcome == "failure" and failure.details == {"reason": "the email could not be sent"}


@pytest.mark.parametrize("email", ["", "not an address", "x" * 250 + "@example.test"])
def test_a_bad_address_rerenders_with_an_error_and_sends_nothing(client, outbox, email):
    status, html = _ask(client, email)
    assert status == 400 and 'class="error-summary"' in html
    assert outbox == [] and db.session.scalar(select(Invitation)) is None


def test_the_sixth_request_for_one_account_in_an_hour_gets_429(client, user, outbox):
    statuses = [_ask(client, user.email)[0] for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert len(outbox) == 5
    assert _ask(client, "someone-else@example.test")[0] == 200  # the limit is per account


def test_requests_from_one_address_are_limited_across_accounts(app, client, outbox):
    app.config["PASSWORD_RESET_IP_LIMIT"] = "3 per hour"
    statuses = [_ask(client, f"person-{n}@example.test")[0] for n in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_mail_goes_through_starttls_and_logs_in_when_configured(app, client, user, outbox):
    app.config.update(MAIL_USERNAME="lms", MAIL_PASSWORD="app-password")
    _ask(client, user.email)
    assert outbox.logins == (("lms", "app-password"),)
    assert outbox[0]["From"] == app.config["MAIL_FROM"]
