"""Two app processes (gunicorn, on two ports: two "hosts") on one database and one Redis: a
logout on host A ends the session on host B too, and failed logins on host A count toward the
login limit on host B.

Needs LMS_TEST_REDIS_URL (skipped without it, a failure when CI is set). The hosts use the suite's
database: PostgreSQL when LMS_TEST_DATABASE_URL is set (the production shape), else the suite's
SQLite file, which two processes on one machine can share, so CI's SQLite pass runs it too."""

import os
import secrets
import uuid

import pytest

from bench.client import Session, csrf_token
from bench.servers import Gunicorn
from lms.extensions import db
from tests.conftest import DATABASE_URL, PASSWORD

REDIS_URL = os.environ.get("LMS_TEST_REDIS_URL")
LOGIN_LIMIT = 3


@pytest.fixture
def hosts(app, tmp_path):
    if not REDIS_URL:
        if os.environ.get("CI"):
            pytest.fail("LMS_TEST_REDIS_URL must be set in CI (see .ci/run)")
        pytest.skip("two hosts share rate limits through Redis: set LMS_TEST_REDIS_URL=redis://127.0.0.1:6379/15 "
                    "(and LMS_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test for PostgreSQL)")
    env = {"LMS_ENV": "development", "DATABASE_URL": DATABASE_URL, "REDIS_URL": REDIS_URL,
           "SECRET_KEY": secrets.token_urlsafe(48),  # one key for both hosts, as in production
           "LMS_LOGIN_LIMIT": f"{LOGIN_LIMIT} per minute", "LMS_TWO_HOSTS_PREFIX": f"two-hosts-{uuid.uuid4().hex}"}
    first = Gunicorn("tests.perf.two_hosts_app:app", workers=1, threads=2, env=env, log=tmp_path / "a.log")
    second = Gunicorn("tests.perf.two_hosts_app:app", workers=1, threads=2, env=env, log=tmp_path / "b.log")
    with first, second:
        yield first.port, second.port
    for name in ("a.log", "b.log"):  # shown by pytest when a test fails
        print(f"--- host {name}:\n" + (tmp_path / name).read_text()[-5000:])


def _session(port, cookies=None):
    session = Session("127.0.0.1", port, timeout=30)
    session.cookies.update(cookies or {})
    return session


def _new_account(make_user):
    email = make_user().email
    db.session.commit()  # reading the email began a transaction; on SQLite it holds the write lock
    return email


def test_a_logout_on_one_host_ends_the_session_on_the_other(make_user, hosts):
    email = _new_account(make_user)
    port_a, port_b = hosts
    on_a = _session(port_a)
    on_a.login(email, PASSWORD)
    issued = dict(on_a.cookies)
    assert _session(port_b, issued).get("/dashboard").status == 200  # one SECRET_KEY, one database
    logout = on_a.post("/logout", {"csrf_token": csrf_token(on_a.get("/dashboard").body)})
    assert logout.status == 302
    refused = _session(port_b, issued).get("/dashboard")
    assert refused.status == 302 and refused.location == "/login"


def test_failed_logins_on_one_host_count_on_the_other(make_user, hosts):
    email = _new_account(make_user)
    port_a, port_b = hosts
    on_a = _session(port_a)
    for _ in range(LOGIN_LIMIT):
        page = on_a.get("/login")
        wrong = on_a.post("/login", {"csrf_token": csrf_token(page.body), "email": email,
                                     "password": "not the password at all"})
        assert wrong.status == 200 and "not correct" in wrong.body
    on_b = _session(port_b)
    page = on_b.get("/login")
    refused = on_b.post("/login", {"csrf_token": csrf_token(page.body), "email": email, "password": PASSWORD})
    assert refused.status == 429
