"""Every administration page is for admins only, and every change is a POST."""

import re

import pytest

from tests.conftest import _TestConfig

PAGES = ["/admin/", "/admin/users", "/admin/users/{id}", "/admin/imports", "/admin/audit"]
ACTIONS = ["/admin/users/{id}/role", "/admin/users/{id}/deactivate", "/admin/users/{id}/reactivate",
           "/admin/users/{id}/sessions/end", "/admin/users/{id}/time-accommodation",
           "/admin/users/{id}/password-link"]


@pytest.fixture
def someone(make_user):
    return make_user(name="Target Person")


@pytest.mark.parametrize("path", PAGES + ACTIONS)
def test_anonymous_is_sent_to_log_in(client, someone, path):
    url = path.format(id=someone.id)
    response = client.post(url) if path in ACTIONS else client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("role", ["trainee", "trainer"])
@pytest.mark.parametrize("path", PAGES + ACTIONS)
def test_trainees_and_trainers_are_refused(client, auth, make_user, someone, role, path):
    auth.login(make_user(role).email)
    url = path.format(id=someone.id)
    response = client.post(url) if path in ACTIONS else client.get(url)
    assert response.status_code == 403


@pytest.mark.parametrize("path", PAGES)
def test_admin_sees_every_page(client, admin, someone, path):
    response = client.get(path.format(id=someone.id))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count("<h1") == 1


@pytest.mark.parametrize("path", ACTIONS)
def test_changes_refuse_get(client, admin, someone, path):
    assert client.get(path.format(id=someone.id)).status_code == 405


def test_unknown_user_is_404(client, admin):
    assert client.get("/admin/users/999999").status_code == 404
    assert client.post("/admin/users/999999/deactivate").status_code == 404


class CsrfConfig(_TestConfig):
    WTF_CSRF_ENABLED = True


@pytest.mark.parametrize("path", ACTIONS)
def test_changes_without_a_csrf_token_are_refused(app, make_user, path):
    from lms import create_app
    from lms.auth.models import User
    from lms.extensions import db
    from tests.conftest import PASSWORD

    admin_email = make_user("admin").email
    target = make_user()
    target_id, version = target.id, target.session_version
    db.session.close()  # the second app has its own engine; release this one's SQLite lock
    csrf_client = create_app(CsrfConfig).test_client()
    page = csrf_client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    logged_in = csrf_client.post("/login", data={"email": admin_email, "password": PASSWORD, "csrf_token": token})
    assert logged_in.status_code == 302
    response = csrf_client.post(path.format(id=target_id), data={"role-role": "admin", "accommodation-factor": "2"})
    assert response.status_code == 400
    unchanged = db.session.get(User, target_id)
    assert unchanged.role == "trainee" and unchanged.active and unchanged.session_version == version
    assert unchanged.time_accommodation == 1.0


def test_the_rendered_forms_carry_working_csrf_tokens(app, make_user):
    from lms import create_app
    from lms.auth.models import User
    from lms.extensions import db
    from tests.conftest import PASSWORD

    admin_email = make_user("admin").email
    target_id = make_user().id
    db.session.close()
    csrf_client = create_app(CsrfConfig).test_client()
    page = csrf_client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    csrf_client.post("/login", data={"email": admin_email, "password": PASSWORD, "csrf_token": token})
    page = csrf_client.get(f"/admin/users/{target_id}").get_data(as_text=True)
    token = re.search(r'name="role-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = csrf_client.post(f"/admin/users/{target_id}/role",
                                data={"role-role": "trainer", "role-csrf_token": token})
    assert response.status_code == 302
    assert db.session.get(User, target_id).role == "trainer"
