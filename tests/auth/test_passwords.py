"""The one password rule: 12 to 128 characters of any kind, NFKC-normalized, not a common password;
applied on registration, password links, password change and `flask users create`."""

import unicodedata

import pytest
from sqlalchemy import select

from lms.auth import models, passwords
from lms.auth.models import User
from lms.auth.operations import create_user
from lms.extensions import db
from tests.auth.conftest import login


def fullwidth(text):
    """`text` as typed with a full-width (East Asian) keyboard layout: NFKC turns it back."""
    return "".join("\u3000" if char == " " else chr(ord(char) + 0xFEE0) for char in text)


NFC, NFD = (lambda text: unicodedata.normalize("NFC", text)), (lambda text: unicodedata.normalize("NFD", text))

REGISTRATION = {"name": "Ana Example", "email": "ana@example.org", "agency": "County Probation",
                "discipline": "Probation", "jurisdiction": "Pine County"}


@pytest.mark.real_password_hashing
def test_the_hash_is_scrypt_at_the_production_cost():
    # N=2^15, r=8, p=1: OWASP's minimum for scrypt. (test_auth.py checks a stored hash at this cost.)
    assert models.PASSWORD_HASH_METHOD == "scrypt:32768:8:1"


def test_the_shipped_list_is_large_loaded_once_and_case_folded():
    common = passwords.common_passwords()
    assert isinstance(common, frozenset) and len(common) >= 3000
    assert passwords.common_passwords() is common
    assert "password" in common and all(entry == entry.casefold() for entry in common)
    assert passwords.COMMON_PASSWORDS_FILE.with_name("LICENSE-common-passwords.txt").exists()


@pytest.mark.parametrize(("password", "problem"), [
    ("a" * 11, passwords.TOO_SHORT),
    ("a" * 129, passwords.TOO_LONG),
    ("password1234", passwords.TOO_COMMON),
    ("PassWord1234", passwords.TOO_COMMON),
    (" qwerty123456 ", passwords.TOO_COMMON),
    (fullwidth("password1234"), passwords.TOO_COMMON),
    ("a" * 12, None),
    ("a" * 128, None),
    ("correct horse battery staple", None),
    ("Çok gizli parola 🔑", None),  # any Unicode, spaces and emoji welcome; no composition rules
    ("ab", passwords.TOO_SHORT),
])
def test_password_problem(password, problem):
    assert passwords.password_problem(password) == problem


def test_length_is_counted_after_normalization():
    # "ﬁ" (one ligature character) is "fi" after NFKC: 11 ligatures make 22 characters.
    assert passwords.password_problem("ﬁ" * 11) is None
    assert passwords.password_problem("e\u0301" * 6) == passwords.TOO_SHORT  # 6 "é" once composed


def test_check_new_password_raises_with_the_message():
    with pytest.raises(passwords.WeakPassword, match="too common"):
        passwords.check_new_password("password1234")


def test_a_common_password_is_refused_on_registration_with_a_field_error(client):
    response = client.post("/register", data={**REGISTRATION, "password": "Qwerty123456", "confirm": "Qwerty123456"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "That password is too common; choose a longer passphrase." in html
    assert 'id="password-error"' in html and 'aria-invalid="true"' in html
    assert db.session.scalar(select(User)) is None


def test_create_user_refuses_a_common_password(app):
    with pytest.raises(passwords.WeakPassword):
        create_user(email="x@example.org", password="password1234", name="X")


def test_users_create_command_refuses_a_common_password(runner):
    result = runner.invoke(args=["users", "create", "--email", "boss@example.org", "--name", "Pat Admin",
                                 "--role", "admin", "--password", "password1234"])
    assert result.exit_code == 1 and "too common" in result.output
    assert db.session.scalar(select(User)) is None


@pytest.mark.parametrize(("typed_at_registration", "typed_at_login"), [
    (fullwidth("correct horse battery"), "correct horse battery"),
    (NFC("mot de passe très secret"), NFD("mot de passe très secret")),  # precomposed, then combining accents
    (NFD("contraseña muy larga"), NFC("contraseña muy larga")),
])
def test_the_same_passphrase_typed_another_way_logs_in(app, client, typed_at_registration, typed_at_login):
    assert typed_at_registration != typed_at_login
    client.post("/register", data={**REGISTRATION, "password": typed_at_registration,
                                   "confirm": typed_at_registration})
    client.post("/logout")
    response = login(app.test_client(), "ana@example.org", typed_at_login)
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"


def test_the_hash_is_of_the_normalized_password(make_user):
    user = make_user()
    user.set_password(fullwidth("full width pass"))
    assert user.check_password("full width pass")
    assert not user.check_password("full width pas")
