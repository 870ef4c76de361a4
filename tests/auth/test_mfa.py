"""Two-step verification: enrollment with a QR code, login in two steps, throttling, replay refusal,
recovery codes, and the requirement for trainers and administrators."""

import re
import urllib.parse

import pytest
from sqlalchemy import select

from config import Config, DevelopmentConfig, ProductionConfig, TestingConfig
from lms import create_app
from lms.auth import mfa
from lms.auth.models import RecoveryCode
from lms.extensions import db
from tests.auth.conftest import login, reload, totp
from tests.conftest import PASSWORD

# --- enrollment ----------------------------------------------------------------------------------


def _setup_page(client, start=True):
    """Press the start button (a new key), then open the page with the QR code."""
    if start:
        assert client.post("/account/two-step/start").headers["Location"] == "/account/two-step"
    response = client.get("/account/two-step")
    assert response.status_code == 200
    return response


def test_opening_the_setup_page_writes_nothing_until_the_start_button(client, make_user):
    user = make_user()
    login(client, user.email)
    html = client.get("/account/two-step").get_data(as_text=True)
    assert "You need an authenticator app first" in html and "<img" not in html
    assert reload(user).mfa_secret is None
    assert client.post("/account/two-step", data={"code": "123456"}).headers["Location"] == "/account/two-step"


def test_the_setup_page_shows_a_qr_code_and_the_key_in_groups_of_four(client, clock, make_user):
    user = make_user(email="dana@example.org")
    login(client, user.email)
    response = _setup_page(client)
    html = response.get_data(as_text=True)
    secret = reload(user).mfa_secret
    assert len(secret) == 32 and not reload(user).mfa_enabled
    assert response.headers["Cache-Control"] == "no-store"
    image = re.search(r'<img src="(data:image/svg\+xml[^"]+)" width="(\d+)" height="\2" alt="QR code', html)
    assert image
    svg = urllib.parse.unquote(image.group(1).replace("&amp;", "&"))
    assert "<svg" in svg and "<script" not in svg
    grouped = " ".join(secret[index:index + 4] for index in range(0, 32, 4))
    assert f'id="manual-key">{grouped}</p>' in html
    assert _setup_page(client, start=False).get_data(as_text=True).count(grouped) == 1  # a reload keeps the key
    assert reload(user).mfa_secret == secret
    _setup_page(client)  # "start again" makes a new key
    assert reload(user).mfa_secret != secret


def test_the_provisioning_uri_names_the_site_and_account(app, make_user):
    user = make_user(email="dana@example.org")
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    uri = mfa.provisioning_uri(user, secret)
    assert uri.startswith(f"otpauth://totp/CASOM%20LMS:dana%40example.org?secret={secret}")
    assert "issuer=CASOM%20LMS" in uri


def test_a_wrong_code_does_not_turn_it_on(client, clock, make_user):
    user = make_user()
    login(client, user.email)
    _setup_page(client)
    response = client.post("/account/two-step", data={"code": "000000" if totp(reload(user).mfa_secret) != "000000"
                                                      else "111111"})
    assert response.status_code == 400 and "That code does not match" in response.get_data(as_text=True)
    assert not reload(user).mfa_enabled


def test_confirming_with_a_code_turns_it_on_and_shows_ten_recovery_codes_once(client, clock, make_user, events):
    user = make_user()
    login(client, user.email)
    _setup_page(client)
    response = client.post("/account/two-step", data={"code": totp(reload(user).mfa_secret)})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    codes = re.findall(r"<code>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})</code>", html)
    assert len(codes) == len(set(codes)) == 10
    assert reload(user).mfa_enabled
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not any(code in hashed or code.replace("-", "") in hashed
                                         for code in codes for hashed in stored)
    assert [event.target for event in events("auth.mfa_enabled")] == [f"user:{user.id}"]
    assert "<code>" not in client.get("/account").get_data(as_text=True)  # never shown again
    assert "10 unused recovery codes" in client.get("/account").get_data(as_text=True)


def test_setup_returns_to_the_staff_page_that_asked_for_it(client, clock, make_user):
    user = make_user("trainer")
    login(client, user.email)
    client.post("/account/two-step/start?next=/trainer/cohorts")
    response = client.post("/account/two-step?next=/trainer/cohorts", data={"code": totp(reload(user).mfa_secret)})
    assert 'href="/trainer/cohorts"' in response.get_data(as_text=True)


# --- login in two steps --------------------------------------------------------------------------


@pytest.fixture
def enrolled(make_user, enroll, clock):
    """A trainee with two-step verification on: (user, secret, recovery codes), a minute later (so
    the codes either side of now are unused)."""
    user = make_user()
    secret, codes = enroll(user)
    clock.advance(minutes=1)
    return user, secret, codes


def test_the_password_alone_does_not_log_in(client, enrolled):
    user, _, _ = enrolled
    response = login(client, user.email)
    assert response.status_code == 302 and response.headers["Location"] == "/login/verify"
    assert client.get("/dashboard").status_code == 302
    page = client.get("/login/verify").get_data(as_text=True)
    assert "authenticator app" in page and 'autocomplete="one-time-code"' in page


def test_a_current_code_completes_the_login_and_follows_next(client, enrolled, events):
    user, secret, _ = enrolled
    login(client, user.email, next="/curricula/x")
    response = client.post("/login/verify", data={"code": totp(secret)})
    assert response.headers["Location"] == "/curricula/x"
    assert client.get("/dashboard").status_code == 200
    assert events("auth.login", "success")[-1].details == {"mfa": "totp"}


def test_a_code_typed_in_full_width_digits_is_accepted(client, enrolled):
    user, secret, _ = enrolled
    login(client, user.email)
    typed = "".join(chr(ord(digit) + 0xFEE0) for digit in totp(secret))
    assert client.post("/login/verify", data={"code": typed}).status_code == 302


@pytest.mark.parametrize("offset", [-1, 1])
def test_a_code_one_step_either_side_is_accepted(client, enrolled, offset):
    user, secret, _ = enrolled
    login(client, user.email)
    assert client.post("/login/verify", data={"code": totp(secret, offset)}).status_code == 302


@pytest.mark.parametrize("offset", [-2, 2])
def test_a_code_two_steps_away_is_refused(client, enrolled, offset):
    user, secret, _ = enrolled
    login(client, user.email)
    assert client.post("/login/verify", data={"code": totp(secret, offset)}).status_code == 400


def test_the_same_code_is_never_accepted_twice(app, client, enrolled, events):
    user, secret, _ = enrolled
    code = totp(secret)
    login(client, user.email)
    assert client.post("/login/verify", data={"code": code}).status_code == 302
    other = app.test_client()
    login(other, user.email)
    response = other.post("/login/verify", data={"code": code})
    assert response.status_code == 400 and "already used" in response.get_data(as_text=True)
    assert other.get("/dashboard").status_code == 302
    # an earlier step than the last one used is refused too
    assert other.post("/login/verify", data={"code": totp(secret, -1)}).status_code == 400
    assert other.post("/login/verify", data={"code": totp(secret, 1)}).status_code == 302


def test_wrong_codes_are_audited_and_throttled(client, enrolled, events):
    user, secret, _ = enrolled
    login(client, user.email)
    wrong = "000000" if totp(secret) != "000000" else "111111"
    statuses = [client.post("/login/verify", data={"code": wrong}).status_code for _ in range(6)]
    assert statuses == [400] * 5 + [429]
    failures = events("auth.mfa_verify", "failure")
    assert len(failures) == 5 and failures[0].target == f"email:{user.email}"
    assert client.post("/login/verify", data={"code": totp(secret)}).status_code == 429  # even a right one


def test_the_code_limit_holds_per_account_across_addresses(app, enrolled):
    user, secret, _ = enrolled
    for number in range(5):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{number}"
        login(client, user.email)
        client.post("/login/verify", data={"code": "not-a-code"})
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.1.1"
    login(client, user.email)
    assert client.post("/login/verify", data={"code": totp(secret)}).status_code == 429


ARABIC_INDIC_DIGITS = "\u0661\u0662\u0663\u0664\u0665\u0666"
FULL_WIDTH_DIGITS = "\uff11\uff12\uff13\uff14\uff15"


@pytest.mark.parametrize("code", [ARABIC_INDIC_DIGITS, FULL_WIDTH_DIGITS, "12345", "1234567", "\x00" * 6, "ß" * 12,
                                  "x" * 33])
def test_odd_codes_are_just_wrong(client, enrolled, code):
    user, _, _ = enrolled
    login(client, user.email)
    response = client.post("/login/verify", data={"code": code})
    assert response.status_code == 400 and client.get("/dashboard").status_code == 302


def test_the_second_step_without_the_first_goes_back_to_login(client, enrolled):
    _, secret, _ = enrolled
    response = client.post("/login/verify", data={"code": totp(secret)})
    assert response.headers["Location"] == "/login"


def test_a_waiting_second_step_expires_after_five_minutes(client, enrolled, clock):
    user, secret, _ = enrolled
    login(client, user.email)
    clock.advance(minutes=5, seconds=1)
    response = client.post("/login/verify", data={"code": totp(secret)})
    assert response.headers["Location"] == "/login"
    assert client.get("/dashboard").status_code == 302


def test_signing_out_everywhere_cancels_a_waiting_second_step(client, enrolled):
    user, secret, _ = enrolled
    login(client, user.email)
    user.end_all_sessions()
    db.session.commit()
    assert client.post("/login/verify", data={"code": totp(secret)}).headers["Location"] == "/login"


# --- recovery codes ------------------------------------------------------------------------------


def test_a_recovery_code_logs_in_once(app, client, enrolled, events):
    user, _, codes = enrolled
    login(client, user.email)
    response = client.post("/login/verify", data={"code": codes[3].lower().replace("-", " ")})
    assert response.status_code == 302 and client.get("/dashboard").status_code == 200
    assert events("auth.recovery_code_used")[0].details == {"remaining": 9}
    again = app.test_client()
    login(again, user.email)
    assert again.post("/login/verify", data={"code": codes[3]}).status_code == 400
    assert again.post("/login/verify", data={"code": codes[4]}).status_code == 302
    assert mfa.unused_recovery_codes(user) == 8


def test_new_recovery_codes_replace_the_old_ones(client, enrolled, events):
    user, secret, codes = enrolled
    login(client, user.email)
    client.post("/login/verify", data={"code": totp(secret)})
    response = client.post("/account/two-step/recovery-codes")
    fresh = re.findall(r"<code>([0-9A-Z-]{14})</code>", response.get_data(as_text=True))
    assert len(fresh) == 10 and not set(fresh) & set(codes)
    assert events("auth.recovery_codes_regenerated")
    assert mfa.verify(reload(user), codes[0]) is None
    assert mfa.verify(reload(user), fresh[0]) == mfa.RECOVERY_CODE


# --- turning it off ------------------------------------------------------------------------------


def test_turning_it_off_forgets_the_secret_and_codes(client, enrolled, events):
    user, secret, _ = enrolled
    login(client, user.email)
    client.post("/login/verify", data={"code": totp(secret)})
    response = client.post("/account/two-step/off")
    assert response.headers["Location"] == "/account"
    user = reload(user)
    assert not user.mfa_enabled and user.mfa_secret is None
    assert db.session.scalar(select(RecoveryCode)) is None
    assert events("auth.mfa_disabled")[0].details == {"reason": "by_user"}
    client.post("/logout")
    assert login(client, user.email).headers["Location"] == "/dashboard"  # one step again


def test_an_operator_can_turn_it_off_from_the_command_line(runner, enrolled, events):
    user, _, _ = enrolled
    result = runner.invoke(args=["users", "disable-mfa", "--email", user.email.upper()])
    assert result.exit_code == 0, result.output
    assert not reload(user).mfa_enabled
    assert events("auth.mfa_disabled")[0].details == {"reason": "command_line"}
    again = runner.invoke(args=["users", "disable-mfa", "--email", user.email])
    assert again.exit_code == 1 and "already off" in again.output


# --- required for staff --------------------------------------------------------------------------


@pytest.fixture
def trainer(make_user):
    return make_user("trainer")


def test_testing_turns_the_requirement_off_and_everything_else_keeps_it():
    assert Config.MFA_ENFORCED and ProductionConfig.MFA_ENFORCED and DevelopmentConfig.MFA_ENFORCED
    assert not TestingConfig.MFA_ENFORCED and not TestingConfig.MFA_EXEMPT_EMAILS
    assert sorted(DevelopmentConfig.MFA_EXEMPT_EMAILS) == ["admin@example.org", "trainer@example.org"]
    assert not ProductionConfig.MFA_EXEMPT_EMAILS


@pytest.mark.parametrize("path", ["/trainer/cohorts", "/trainer/cohorts/new", "/admin/", "/admin/users"])
def test_staff_without_it_are_sent_to_set_it_up(enforce_mfa, client, make_user, path):
    login(client, make_user("admin").email)
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/two-step?next=" + urllib.parse.quote(path, safe="/")
    assert "Your role requires two-step verification" in client.get(response.headers["Location"]).get_data(
        as_text=True)


def test_a_trainer_with_a_valid_code_opens_the_staff_pages(enforce_mfa, app, client, clock, trainer):
    login(client, trainer.email)
    assert client.get("/trainer/cohorts").status_code == 302
    started = client.post("/account/two-step/start?next=/trainer/cohorts")
    assert started.headers["Location"] == "/account/two-step?next=/trainer/cohorts"
    secret = reload(trainer).mfa_secret
    client.post("/account/two-step?next=/trainer/cohorts", data={"code": totp(secret, -1)})
    assert client.get("/trainer/cohorts").status_code == 200
    # a new login needs the code, and then the staff pages open
    fresh = app.test_client()
    login(fresh, trainer.email)
    assert fresh.get("/trainer/cohorts").status_code == 302
    fresh.post("/login/verify", data={"code": totp(secret)})
    assert fresh.get("/trainer/cohorts").status_code == 200


def test_trainee_pages_stay_open_to_staff_without_it(enforce_mfa, client, trainer):
    login(client, trainer.email)
    assert client.get("/dashboard").status_code == 200
    assert client.get("/account").status_code == 200


def test_exempt_emails_skip_the_requirement(enforce_mfa, client, trainer):
    enforce_mfa.config["MFA_EXEMPT_EMAILS"] = frozenset({trainer.email})
    login(client, trainer.email)
    assert client.get("/trainer/cohorts").status_code == 200


def test_without_enforcement_staff_open_staff_pages_with_a_password(client, trainer):
    login(client, trainer.email)
    assert client.get("/trainer/cohorts").status_code == 200


def test_production_refuses_to_start_with_exemptions_or_without_enforcement(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1/test")
    monkeypatch.setenv("SECRET_KEY", "7rD-kQ2vX9mLpZ4wB8sN1yT6cF3hJ0gA_eUoR5iV")
    monkeypatch.setenv("LMS_BASE_URL", "https://training.example.gov")
    monkeypatch.setenv("LMS_MFA_KEYS", "Ws0B_xwZ1fTQ4yq8G7c2mYk9H3uJ5nLrP6vA0eDiKoE=")

    class WithExemptions(ProductionConfig):
        MFA_EXEMPT_EMAILS = frozenset({"admin@example.org"})

    class NotEnforced(ProductionConfig):
        MFA_ENFORCED = False

    for config in (WithExemptions, NotEnforced):
        with pytest.raises(RuntimeError, match="Two-step verification must be required"):
            create_app(config)
    ProductionConfig.check()  # as shipped: accepted


def test_a_trainee_refused_a_staff_page_is_audited(client, make_user, events):
    trainee = make_user()
    login(client, trainee.email)
    assert client.get("/admin/users?q=x").status_code == 403
    assert client.post("/trainer/cohorts/new").status_code == 403
    denied = events("access.denied")
    assert [(event.actor_id, event.outcome, event.target) for event in denied] == [
        (trainee.id, "denied", "page:/admin/users"), (trainee.id, "denied", "page:/trainer/cohorts/new")]
    assert denied[0].details == {"endpoint": "admin.users", "method": "GET", "role": "trainee", "required": "admin"}
    assert denied[1].details["required"] == "admin,trainer"


def test_second_step_login_page_has_no_password_in_it(client, enrolled):
    user, _, _ = enrolled
    login(client, user.email)
    assert PASSWORD not in client.get("/login/verify").get_data(as_text=True)
