"""Configuration read from the environment: Development, Testing and Production."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
MIN_SECRET_KEY_LENGTH = 32


def _env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _sqlite_url(filename):
    return f"sqlite:///{BASE_DIR / 'instance' / filename}"


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", _sqlite_url("lms.sqlite3"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    LMS_BASE_URL = os.environ.get("LMS_BASE_URL", "http://127.0.0.1:5000")
    LMS_CURRICULA_DIR = os.environ.get("LMS_CURRICULA_DIR", str(BASE_DIR / "curricula"))
    REDIS_URL = os.environ.get("REDIS_URL")
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"
    LOGIN_LIMIT = os.environ.get("LMS_LOGIN_LIMIT", "10 per minute")
    REGISTER_LIMIT = os.environ.get("LMS_REGISTER_LIMIT", "20 per hour")
    VERIFY_LIMIT = os.environ.get("LMS_VERIFY_LIMIT", "60 per minute")
    #: wrong second-step (TOTP or recovery) codes allowed per IP and per account
    MFA_LIMIT = os.environ.get("LMS_MFA_LIMIT", "5 per minute")
    #: "forgot your password" requests per account, and per IP address (an academy may share one)
    PASSWORD_RESET_LIMIT = os.environ.get("LMS_PASSWORD_RESET_LIMIT", "5 per hour")
    PASSWORD_RESET_IP_LIMIT = os.environ.get("LMS_PASSWORD_RESET_IP_LIMIT", "30 per hour")
    #: SMTP server for password links and invitations; without it the app sends no email and
    #: shows those links to the administrator or trainer instead
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USE_TLS = _env_flag("MAIL_USE_TLS", True)  # STARTTLS before logging in
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_FROM = os.environ.get("MAIL_FROM", "CASOM LMS <no-reply@localhost>")
    MAIL_TIMEOUT_SECONDS = 10
    #: PEM of the Ed25519 key that signs Open Badges; without it one is created in instance/
    OB_SIGNING_KEY = os.environ.get("LMS_OB_SIGNING_KEY")
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session; pages left open all day still submit
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    #: every session ends this long after its login, whatever the activity (ASVS 3.3.2)
    SESSION_ABSOLUTE_HOURS = 12
    #: trainers and administrators are signed out after this long without a request
    SESSION_IDLE_MINUTES_STAFF = 30
    #: changing the email or two-step verification needs a password typed this recently
    FRESH_LOGIN_MINUTES = 5
    #: trainers and administrators must turn on two-step verification before any staff page
    MFA_ENFORCED = True
    #: emails allowed onto staff pages without two-step verification (development only;
    #: production refuses to start with any)
    MFA_EXEMPT_EMAILS = frozenset()
    #: the name authenticator apps show next to the account
    MFA_ISSUER = "CASOM LMS"
    #: failed sign-ins of one account within LOCKOUT_WINDOW_MINUTES that lock it (ASVS 2.2.1)
    LOCKOUT_THRESHOLD = 100
    LOCKOUT_WINDOW_MINUTES = 60
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    DEMO_ACCOUNTS_ALLOWED = False
    DEMO_PASSWORD = os.environ.get("LMS_DEMO_PASSWORD", "casom-demo-2026")
    TESTING = False
    DEBUG = False

    @classmethod
    def check(cls):
        """Refuse settings that would be unsafe to run with; overridden per environment."""


class DevelopmentConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-0123456789")
    DEMO_ACCOUNTS_ALLOWED = True
    DEBUG = _env_flag("FLASK_DEBUG", False)
    # The demo staff accounts reach the staff pages without an authenticator app.
    MFA_EXEMPT_EMAILS = frozenset({"trainer@example.org", "admin@example.org"})


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production-0123456789"  # noqa: S105 - tests only
    SQLALCHEMY_DATABASE_URI = os.environ.get("LMS_TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_SERVER = None  # tests that send mail use the `outbox` fixture
    DEMO_ACCOUNTS_ALLOWED = True
    LMS_CURRICULA_DIR = str(BASE_DIR / "tests" / "fixtures" / "curricula" / "valid")
    # Most tests log staff in with a password only; tests of two-step verification turn this on.
    MFA_ENFORCED = False


class ProductionConfig(Config):
    # __Host- cookies are refused by browsers unless Secure, Path=/ and without a Domain, so no
    # sibling subdomain can set or shadow them.
    SESSION_COOKIE_NAME = "__Host-session"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_PATH = "/"
    SESSION_COOKIE_DOMAIN = None
    REMEMBER_COOKIE_NAME = "__Host-remember"  # remember-me is not offered; set safely all the same
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_PATH = "/"
    REMEMBER_COOKIE_DOMAIN = None
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def check(cls):
        key = os.environ.get("SECRET_KEY") or ""
        if len(key) < MIN_SECRET_KEY_LENGTH:
            raise RuntimeError(
                f"SECRET_KEY must be set to at least {MIN_SECRET_KEY_LENGTH} random characters "
                "in production (for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')."
            )
        if "DATABASE_URL" not in os.environ:
            raise RuntimeError("DATABASE_URL must be set in production (a PostgreSQL URL).")
        if not cls.MFA_ENFORCED or cls.MFA_EXEMPT_EMAILS:
            raise RuntimeError("Two-step verification must be required of every trainer and administrator in "
                               "production: MFA_ENFORCED must be true and MFA_EXEMPT_EMAILS empty.")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name=None):
    """The configuration class named by `name` or by LMS_ENV (default: development)."""
    name = (name or os.environ.get("LMS_ENV", "development")).lower()
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"Unknown LMS_ENV {name!r}; use one of {', '.join(CONFIGS)}") from None
