"""Every state-changing route (every rule that allows POST), with CSRF protection on as in production:

- a GET is refused with 405 when the rule is POST-only, and changes nothing when the rule also
  serves its form by GET;
- a POST without a token is refused with 400 and the "form expired" message, and writes nothing;
- the same POST with the token from a page the user was shown goes through (so the 400 came
  from the missing token and not from something else).

The user is logged in through the real login form, with the token it carries. Public GET forms
(/verify, the admin searches) change nothing and need no token, by design: they are not POST rules.
"""

import io
import re

import pytest

from lms import create_app
from lms.admin.views import ACTION_FORMS
from lms.auth.account_views import FORM_PREFIXES
from tests.conftest import PASSWORD, IsolatedClient
from tests.security.conftest import CsrfConfig
from tests.security.state import changed_tables, database_state
from tests.security.test_access_matrix import OK, RULES, expected_outcome, fill, outcome_of, payload_for

TOKEN = re.compile(r'name="(?:[\w-]+-)?csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
CSRF_MESSAGE = "Your form expired or was sent from another site"
#: the actor who may use each route, tried in this order (an anonymous visitor first for public forms)
PREFERENCE = ("anonymous", "trainee", "trainer", "admin", "other_trainee", "other_trainer")
#: forms rendered with a prefix name their token "<prefix>-csrf_token"
PREFIXES = [prefix for _, prefix in ACTION_FORMS.values()] + list(FORM_PREFIXES.values())
TOKEN_FIELDS = ["csrf_token", *(f"{prefix}-csrf_token" for prefix in PREFIXES)]

POST_RULES = sorted({(endpoint, rule) for endpoint, rule, method in RULES if method == "POST"})
METHODS = {}
for _endpoint, _rule, _method in RULES:
    METHODS.setdefault((_endpoint, _rule), set()).add(_method)


def allowed_actor(endpoint):
    actor = next((actor for actor in PREFERENCE if expected_outcome(endpoint, "POST", actor) == OK), None)
    assert actor is not None, f"ACCESS lets nobody POST to {endpoint}: nothing to test"
    return actor


def page_token(client, path):
    page = client.get(path).get_data(as_text=True)
    match = TOKEN.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


@pytest.fixture
def csrf_client(app):
    csrf_app = create_app(CsrfConfig)
    csrf_app.test_client_class = IsolatedClient
    return csrf_app.test_client()


def log_in_with_token(client, world, actor):
    """Log in through the form with the token it carries; return a token for the next posts."""
    token = page_token(client, "/login")
    if actor == "anonymous":
        return token
    response = client.post("/login", data={"email": world.email(actor), "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, f"could not log in as {actor} with a token"
    return page_token(client, "/dashboard")


def _copy(form):
    """The form with its own copy of every uploaded file (the test client closes files it sends)."""
    return {name: (io.BytesIO(value[0].getvalue()), *value[1:]) if isinstance(value, tuple) else value
            for name, value in form.items()}


@pytest.mark.parametrize(("endpoint", "rule"), POST_RULES, ids=[endpoint for endpoint, _ in POST_RULES])
def test_a_state_changing_route_needs_a_post_with_a_csrf_token(csrf_client, world, endpoint, rule):
    actor = allowed_actor(endpoint)
    token = log_in_with_token(csrf_client, world, actor)
    path = fill(rule, endpoint, world)

    form = payload_for(endpoint, world, actor)  # before the snapshot: some forms set up state (an MFA key)
    before = database_state()

    got = csrf_client.get(path)
    if "GET" in METHODS[(endpoint, rule)]:
        assert got.status_code < 500
    else:
        assert got.status_code == 405, f"GET {path} should be refused, got {got.status_code}"
    assert changed_tables(before, database_state()) == {}, f"GET {path} changed the database"

    refused = csrf_client.post(path, data=_copy(form))
    assert refused.status_code == 400, f"POST {path} without a token: {refused.status_code}"
    assert CSRF_MESSAGE in refused.get_data(as_text=True)
    assert changed_tables(before, database_state()) == {}, f"POST {path} without a token changed the database"

    accepted = csrf_client.post(path, data=_copy(form) | dict.fromkeys(TOKEN_FIELDS, token))
    accepted.get_data()
    accepted.close()
    assert outcome_of(accepted, path) == OK, (
        f"{actor} POST {path} with the token: HTTP {accepted.status_code} {accepted.headers.get('Location')}")

