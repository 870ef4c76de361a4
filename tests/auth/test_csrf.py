import pytest

from tests.conftest import _TestConfig


class CsrfConfig(_TestConfig):
    WTF_CSRF_ENABLED = True


@pytest.fixture
def csrf_client(app):
    from lms import create_app

    return create_app(CsrfConfig).test_client()


@pytest.mark.parametrize("path", ["/login", "/register", "/logout", "/curricula/x/enroll"])
def test_post_without_csrf_token_is_refused(csrf_client, path):
    response = csrf_client.post(path, data={"email": "a@example.org", "password": "x" * 12})
    assert response.status_code == 400
    assert "Your form expired or was sent from another site" in response.get_data(as_text=True)


def test_login_form_carries_a_token_and_posting_it_works(csrf_client, make_user):
    import re

    from lms.extensions import db

    email = make_user().email
    db.session.close()  # the second app below has its own engine; release this one's SQLite lock
    page = csrf_client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = csrf_client.post("/login", data={"email": email, "password": "correct horse battery staple",
                                                "csrf_token": token})
    assert response.status_code == 302
