"""Shared fixtures: the app on a fresh database (SQLite, or PostgreSQL when LMS_TEST_DATABASE_URL
is set), a client, an `auth` helper, the fixture curriculum and a SQL query counter."""

import atexit
import os
import tempfile
import weakref
from pathlib import Path

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine

import lms.auth.models
from config import TestingConfig
from lms import create_app
from lms.extensions import db, limiter
from lms.learning.queries import clear_outline_cache

FIXTURES = Path(__file__).parent / "fixtures" / "curricula"
FIXTURE_CURRICULUM = FIXTURES / "valid"
PASSWORD = "correct horse battery staple"
FAST_HASH = "scrypt:1024:8:1"  # tests make many accounts; one test checks the real cost


def _database_url():
    url = os.environ.get("LMS_TEST_DATABASE_URL")
    if url:
        return url
    handle, path = tempfile.mkstemp(prefix="lms-test-", suffix=".sqlite3")
    os.close(handle)
    atexit.register(_remove_sqlite_files, path)
    return f"sqlite:///{path}"


def _remove_sqlite_files(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _check_reachable(url):
    try:
        with create_engine(url).connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure to connect must stop the run
        pytest.exit(f"Test database {url} is not reachable: {error}. Start it (see .ci/run) or unset "
                    "LMS_TEST_DATABASE_URL to test on SQLite.", returncode=3)


DATABASE_URL = _database_url()


class _TestConfig(TestingConfig):
    SQLALCHEMY_DATABASE_URI = DATABASE_URL


@pytest.fixture(scope="session")
def _schema():
    _check_reachable(DATABASE_URL)
    app = create_app(_TestConfig)
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


class IsolatedClient(FlaskClient):
    """Runs each request in its own app context, as in production: its own `g` (so Flask-Login's
    cached user never leaks between clients) and its own database session. The test's session
    commits first so it holds no SQLite lock while the request runs."""

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


_engines_in_use = weakref.WeakSet()


@event.listens_for(Engine, "engine_connect")
def _remember_engine(connection):
    _engines_in_use.add(connection.engine)


@pytest.fixture(autouse=True)
def _close_pooled_connections():
    """Every app a test creates has its own engine and pool. Close their connections when the test
    ends: PostgreSQL allows 100 clients, and pools left to the garbage collector used them all up
    in the concurrency tests."""
    yield
    for engine in list(_engines_in_use):
        engine.dispose()


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, monkeypatch):
    if "real_password_hashing" not in request.keywords:
        monkeypatch.setattr(lms.auth.models, "PASSWORD_HASH_METHOD", FAST_HASH)


@pytest.fixture
def app(_schema):
    app = create_app(_TestConfig)
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        _empty_all_tables()
    limiter.reset()
    clear_outline_cache()


def _empty_all_tables():
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def curriculum(app):
    """The fixture curriculum, imported; returns its Curriculum row."""
    from lms.curricula.loader import load_all
    from lms.curricula.operations import import_curricula
    from lms.learning.queries import curriculum_by_key

    import_curricula(load_all(FIXTURE_CURRICULUM))
    db.session.commit()
    return curriculum_by_key("fixture-course")


@pytest.fixture
def make_user(app):
    from lms.auth.operations import create_user

    counter = iter(range(1, 100000))

    def make(role="trainee", email=None, name=None, **fields):
        number = next(counter)
        user = create_user(email=email or f"{role}{number}@example.test", password=PASSWORD,
                           name=name or f"{role.title()} {number}", role=role, **fields)
        db.session.commit()
        return user

    return make


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, email, password=PASSWORD, follow_redirects=False):
        return self.client.post("/login", data={"email": email, "password": password},
                                follow_redirects=follow_redirects)

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


class QueryCounter:
    def __init__(self):
        self.statements = []

    def __len__(self):
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """Use as `with count_queries() as counted: ...`; `len(counted)` is the number of statements."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        counter = QueryCounter()

        def before(conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE", "PRAGMA")):
                counter.statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", before)

    return counting


class Outbox(list):
    """The messages `smtplib.SMTP` was given during a test (nothing leaves the machine); set
    `refuse` to make the server refuse every message, as a full or unreachable one would."""

    refuse = False
    logins = ()


@pytest.fixture
def outbox(app, monkeypatch):
    """MAIL_SERVER set, and a stand-in SMTP server that keeps what it is sent."""
    import smtplib

    sent = Outbox()

    class RecordingSMTP:
        def __init__(self, host, port, timeout):
            self.address = (host, port)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self, context):
            self.tls = True

        def login(self, user, password):
            sent.logins = (*sent.logins, (user, password))

        def send_message(self, message):
            if sent.refuse:
                raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"mailbox unavailable")})
            sent.append(message)

    monkeypatch.setattr(smtplib, "SMTP", RecordingSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.gov")
    return sent
