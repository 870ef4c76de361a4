"""The account settings page: profile, password change (other sessions end), email change (fresh login)."""

import pytest
from sqlalchemy import select

from lms.auth.models import User
from lms.extensions import db
from tests.auth.conftest import login, reload
from tests.conftest import PASSWORD

NEW_PASSWORD = "a brand new long passphrase"
PROFILE = {"profile-name": "Dana Whitfield-Ray", "profile-agency": "Tribal Probation",
           "profile-discipline": "Probation", "profile-jurisdiction": "Pine Ridge"}


def _change_password(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post("/account/password", data={"password-current_password": current, "password-password": new,
                                                   "password-confirm": confirm or new})


def test_the_account_page_needs_login(client):
    response = client.get("/account")
    assert response.status_code == 302 and response.headers["Location"] == "/login?next=%2Faccount"


def test_the_account_page_shows_the_profile_and_sections(client, make_user):
    user = make_user(name="Dana Whitfield", agency="County Probation")
    login(client, user.email)
    html = client.get("/account").get_data(as_text=True)
    assert 'value="Dana Whitfield"' in html and 'value="County Probation"' in html
    assert user.email in html and "Change email address" in html
    assert "Turn on two-step verification" in html
    assert 'autocomplete="current-password"' in html and 'autocomplete="new-password"' in html


def test_the_profile_is_saved_and_audited(client, make_user, events):
    user = make_user()
    login(client, user.email)
    response = client.post("/account/profile", data=PROFILE)
    assert response.headers["Location"] == "/account"
    user = reload(user)
    assert (user.name, user.agency, user.discipline, user.jurisdiction) == (
        "Dana Whitfield-Ray", "Tribal Probation", "Probation", "Pine Ridge")
    assert events("auth.profile_updated")[0].details == {"fields": "name,agency,discipline,jurisdiction"}
    client.post("/account/profile", data=PROFILE)
    assert len(events("auth.profile_updated")) == 1  # nothing changed, nothing audited


def test_a_blank_name_is_refused_on_the_field(client, make_user):
    user = make_user(name="Dana Whitfield")
    login(client, user.email)
    response = client.post("/account/profile", data={**PROFILE, "profile-name": " "})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="profile-name-error"' in html
    assert reload(user).name == "Dana Whitfield"


def test_changing_the_password_keeps_this_session_and_ends_the_others(app, client, make_user, events):
    user = make_user()
    other = app.test_client()
    login(client, user.email)
    login(other, user.email)
    response = _change_password(client)
    assert response.headers["Location"] == "/account"
    assert "Every other browser or device" in client.get("/account").get_data(as_text=True)
    assert client.get("/dashboard").status_code == 200
    assert other.get("/dashboard").status_code == 302
    assert reload(user).check_password(NEW_PASSWORD)
    assert [event.outcome for event in events("auth.password_changed")] == ["success"]
    assert login(app.test_client(), user.email, NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(("current", "new", "confirm", "field", "message"), [
    ("not my password!", NEW_PASSWORD, None, "current_password", "Your current password is not correct."),
    (PASSWORD, "short pass", None, "password", "Use at least 12 characters."),
    (PASSWORD, "password1234", None, "password", "That password is too common"),
    (PASSWORD, NEW_PASSWORD, "something else entirely", "confirm", "The passwords do not match."),
])
def test_a_refused_password_change_changes_nothing(client, make_user, events, current, new, confirm, field, message):
    user = make_user()
    login(client, user.email)
    response = _change_password(client, current, new, confirm)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html and f'id="password-{field}-error"' in html
    assert reload(user).check_password(PASSWORD)
    assert client.get("/dashboard").status_code == 200
    failures = events("auth.password_changed", "failure")
    assert len(failures) == (1 if field == "current_password" else 0)


def test_changing_the_password_closes_open_password_links(client, make_user):
    from lms.auth import reset

    user = make_user()
    token = reset.create_password_link(user, None, reset.RESET_LINK_LIFETIME)
    db.session.commit()
    login(client, user.email)
    _change_password(client)
    assert client.get(f"/password/{token}").status_code == 410


def test_changing_the_email_right_after_login(client, make_user, events):
    user = make_user(email="old@example.org")
    login(client, user.email)
    response = client.post("/account/email", data={"email": " New.Address@Example.org "})
    assert response.headers["Location"] == "/account"
    assert reload(user).email == "new.address@example.org"
    event = events("auth.email_changed")[0]
    assert event.details == {"from": "old@example.org", "to": "new.address@example.org"}
    client.post("/logout")
    assert login(client, "new.address@example.org").status_code == 302


def test_an_email_that_another_account_has_is_refused(client, make_user):
    make_user(email="taken@example.org")
    user = make_user(email="mine@example.org")
    login(client, user.email)
    response = client.post("/account/email", data={"email": "TAKEN@example.org"})
    assert response.status_code == 400 and "Another account already uses that email address." in response.get_data(
        as_text=True)
    assert db.session.scalar(select(User.email).where(User.id == user.id)) == "mine@example.org"


def test_a_stale_login_must_reauthenticate_to_change_the_email(client, clock, make_user):
    user = make_user(email="old@example.org")
    login(client, user.email)
    clock.advance(minutes=6)
    response = client.post("/account/email", data={"email": "new@example.org"})
    assert response.headers["Location"] == "/reauthenticate?next=/account/email"
    assert reload(user).email == "old@example.org"
