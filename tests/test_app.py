import pytest

from config import ProductionConfig, config_for
from lms import create_app


def test_production_refuses_a_missing_or_short_secret_key(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1/test")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)
    monkeypatch.setenv("SECRET_KEY", "too-short")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_production_starts_with_a_strong_key_and_secure_cookies(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    app = create_app(ProductionConfig)
    assert app.config["SESSION_COOKIE_SECURE"] and not app.config["DEMO_ACCOUNTS_ALLOWED"]


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
