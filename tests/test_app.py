import secrets

import pytest
from cryptography.fernet import Fernet
from flask import request
from sqlalchemy import select

from config import DEVELOPMENT_SECRET_KEY, TESTING_SECRET_KEY, ProductionConfig, TestingConfig, config_for
from lms import create_app
from lms.core.audit import AuditEvent
from lms.extensions import db
from tests.conftest import DATABASE_URL, IsolatedClient


def _production_environment(monkeypatch, key):
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("LMS_BASE_URL", "https://training.example.gov")
    monkeypatch.setenv("LMS_MFA_KEYS", Fernet.generate_key().decode())
    if key is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", key)


@pytest.mark.parametrize("key", [None, "", "too-short", secrets.token_urlsafe(48)[:31]],
                         ids=["missing", "empty", "short", "31-characters"])
def test_production_refuses_a_missing_or_short_secret_key(monkeypatch, key):
    _production_environment(monkeypatch, key)  # set after config.py was imported, as a test runner does
    with pytest.raises(RuntimeError, match="SECRET_KEY") as refused:
        create_app(ProductionConfig)
    assert "secrets.token_urlsafe(48)" in str(refused.value)


@pytest.mark.parametrize("key", [DEVELOPMENT_SECRET_KEY, TESTING_SECRET_KEY, "x" * 32, "abcdefghi" * 6],
                         ids=["development-key", "testing-key", "one-character", "nine-characters"])
def test_production_refuses_a_published_or_repetitive_secret_key(monkeypatch, key):
    _production_environment(monkeypatch, key)
    with pytest.raises(RuntimeError, match="SECRET_KEY") as refused:
        create_app(ProductionConfig)
    assert 'python -c "import secrets; print(secrets.token_urlsafe(48))"' in str(refused.value)


def test_production_refuses_to_start_without_a_database_url(monkeypatch):
    _production_environment(monkeypatch, secrets.token_urlsafe(48))
    monkeypatch.delenv("DATABASE_URL")
    with pytest.raises(RuntimeError, match="DATABASE_URL must be set"):
        create_app(ProductionConfig)


def test_production_starts_with_the_key_and_database_set_in_the_environment(monkeypatch):
    key = secrets.token_urlsafe(48)
    _production_environment(monkeypatch, key)
    app = create_app(ProductionConfig)
    assert app.config["SECRET_KEY"] == key
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"
    assert app.config["SESSION_COOKIE_SECURE"] and not app.config["DEMO_ACCOUNTS_ALLOWED"]


def test_production_sends_hsts_and_development_does_not(monkeypatch):
    _production_environment(monkeypatch, secrets.token_urlsafe(48))
    production = create_app(ProductionConfig).test_client().get("/no-such-page", base_url="https://localhost")
    assert production.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    testing = create_app(TestingConfig).test_client().get("/no-such-page")
    assert "Strict-Transport-Security" not in testing.headers


@pytest.mark.parametrize("base_url", [None, "http://training.example.gov", "http://127.0.0.1:5000"])
def test_production_refuses_to_start_without_its_public_https_address(monkeypatch, base_url):
    _production_environment(monkeypatch, secrets.token_urlsafe(48))
    if base_url is None:
        monkeypatch.delenv("LMS_BASE_URL")
    else:
        monkeypatch.setenv("LMS_BASE_URL", base_url)
    with pytest.raises(RuntimeError, match="LMS_BASE_URL must be the site's public https://"):
        create_app(ProductionConfig)


def test_a_database_server_without_lms_env_is_refused(monkeypatch):
    monkeypatch.delenv("LMS_ENV", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://lms@db.internal/lms")
    with pytest.raises(RuntimeError, match="LMS_ENV is not set"):
        config_for()
    monkeypatch.setenv("LMS_ENV", "development")  # said on purpose: allowed
    assert config_for().__name__ == "DevelopmentConfig"
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/dev.sqlite3")
    monkeypatch.delenv("LMS_ENV")
    assert config_for().__name__ == "DevelopmentConfig"


def test_unknown_environment_name_is_refused():
    with pytest.raises(RuntimeError, match="Unknown LMS_ENV"):
        config_for("staging-ish")


def test_sqlite_runs_with_foreign_keys_wal_and_a_busy_timeout(tmp_path):
    from sqlalchemy import text

    from config import TestingConfig
    from lms.extensions import db

    class SqliteConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'pragmas.sqlite3'}"

    with create_app(SqliteConfig).app_context(), db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 15000
        db.engine.dispose()


def test_security_headers_on_every_response(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize(("path", "status", "title"), [
    ("/no-such-page", 404, "Page not found"),
    ("/curricula/unknown", 404, "Page not found"),
    ("/logout", 405, "Not allowed"),
])
def test_error_pages_use_the_layout(client, path, status, title):
    response = client.get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert f"<h1>{title}</h1>" in html and 'href="#content"' in html


def test_500_page_in_the_layout(app):
    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/boom")
    assert response.status_code == 500 and "Something went wrong" in response.get_data(as_text=True)


def test_429_page_in_the_layout(app, client):
    from werkzeug.exceptions import TooManyRequests

    @app.get("/slow-down")
    def slow_down():
        raise TooManyRequests()

    response = client.get("/slow-down")
    assert response.status_code == 429 and "Too many attempts" in response.get_data(as_text=True)
    assert response.headers["Retry-After"] == "60"


# --- behind a reverse proxy ----------------------------------------------------------------------

class _LowLoginLimit(TestingConfig):
    SQLALCHEMY_DATABASE_URI = DATABASE_URL
    LOGIN_LIMIT = "2 per minute"


def _app_behind(monkeypatch, proxies):
    monkeypatch.setenv("LMS_PROXY_COUNT", str(proxies))
    app = create_app(_LowLoginLimit)
    app.test_client_class = IsolatedClient

    @app.get("/seen-as")
    def seen_as():
        return f"{request.remote_addr} {request.scheme}"

    return app


def _failed_login(app, client_address, email):
    return app.test_client().post("/login", data={"email": email, "password": "wrong password!!"},
                                  headers={"X-Forwarded-For": client_address})


def _login_statuses(app):
    """Three failed logins from one address (each for another account), then one from a second."""
    first = [_failed_login(app, "203.0.113.7", f"nobody{number}@example.test").status_code for number in range(3)]
    return [*first, _failed_login(app, "198.51.100.9", "someone@example.test").status_code]


def test_behind_a_proxy_each_client_address_has_its_own_login_limit(app, monkeypatch):
    proxied = _app_behind(monkeypatch, 1)
    assert _login_statuses(proxied) == [200, 200, 429, 200]
    seen = proxied.test_client().get("/seen-as", headers={"X-Forwarded-For": "203.0.113.7",
                                                          "X-Forwarded-Proto": "https"})
    assert seen.get_data(as_text=True) == "203.0.113.7 https"
    audited = db.session.scalars(select(AuditEvent.ip_address).where(AuditEvent.action == "auth.login")).all()
    assert set(audited) == {"203.0.113.7", "198.51.100.9"}


def test_without_the_setting_forwarded_headers_are_ignored(app, monkeypatch):
    direct = _app_behind(monkeypatch, 0)
    assert _login_statuses(direct) == [200, 200, 429, 429]
    seen = direct.test_client().get("/seen-as", headers={"X-Forwarded-For": "203.0.113.7",
                                                         "X-Forwarded-Proto": "https"})
    assert seen.get_data(as_text=True) == "127.0.0.1 http"


def test_a_forwarded_host_is_never_believed(app, monkeypatch):
    proxied = _app_behind(monkeypatch, 1)

    @proxied.get("/host")
    def host():
        return request.host

    response = proxied.test_client().get("/host", headers={"X-Forwarded-Host": "evil.example"})
    assert response.get_data(as_text=True) == "localhost"


@pytest.mark.parametrize("value", ["one", "-1", "1.5"])
def test_a_proxy_count_that_is_not_a_whole_number_is_refused(monkeypatch, value):
    monkeypatch.setenv("LMS_PROXY_COUNT", value)
    with pytest.raises(RuntimeError, match=f"LMS_PROXY_COUNT must be the number of reverse proxies .* not '{value}'"):
        create_app(TestingConfig)


def test_production_refuses_to_start_without_a_key_for_mfa_secrets(monkeypatch):
    _production_environment(monkeypatch, secrets.token_urlsafe(48))
    monkeypatch.delenv("LMS_MFA_KEYS")
    with pytest.raises(RuntimeError, match="LMS_MFA_KEYS must be set in production, the same on every host"):
        create_app(ProductionConfig)
