"""Configuration read from the environment: Development, Testing and Production.

Settings taken from the environment are read when the app is built (create_app), not when this file
is imported, so the values ProductionConfig.check() refuses or accepts are the ones the app runs with.
"""

import os
from pathlib import Path

from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parent
MIN_SECRET_KEY_LENGTH = 32
MIN_SECRET_KEY_DISTINCT_CHARACTERS = 10
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me-0123456789"  # noqa: S105 - development only
TESTING_SECRET_KEY = "testing-secret-key-not-for-production-0123456789"  # noqa: S105 - tests only
KEY_GENERATION_COMMAND = "python -c \"import secrets; print(secrets.token_urlsafe(48))\""


class FromEnvironment:
    """A setting read from the environment variable `name` each time a config class is read."""

    def __init__(self, name, default=None, parse=None, expected=None):
        self.name = name
        self.default = default
        self.parse = parse
        self.expected = expected

    def __get__(self, instance, owner):
        raw = os.environ.get(self.name)
        if raw is None:
            return self.default
        if self.parse is None:
            return raw
        try:
            return self.parse(raw)
        except ValueError:
            raise RuntimeError(f"{self.name} must be {self.expected}, not {raw!r}.") from None


def _flag(value):
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _proxy_count(value):
    count = int(value)
    if count < 0:
        raise ValueError(value)
    return count


MFA_KEY_GENERATION_COMMAND = ("python -c 'from cryptography.fernet import Fernet; "
                              "print(Fernet.generate_key().decode())'")


def _fernet_keys(value):
    """The comma-separated Fernet keys of LMS_MFA_KEYS; a key that is not one stops the app at
    start-up (without printing the value: it is a secret)."""
    keys = tuple(key.strip() for key in value.split(",") if key.strip())
    try:
        for key in keys:
            Fernet(key.encode())
    except ValueError:
        raise RuntimeError("LMS_MFA_KEYS must be one or more Fernet keys separated by commas (the value is "
                           f"not shown here); generate one with: {MFA_KEY_GENERATION_COMMAND}") from None
    return keys


def _sqlite_url(filename):
    return f"sqlite:///{BASE_DIR / 'instance' / filename}"


def _refuse_unnamed_environment_for_a_server_database():
    # Development settings (a published SECRET_KEY, demo staff without two-step verification) must
    # never serve a real database because someone forgot LMS_ENV on a server.
    url = os.environ.get("DATABASE_URL", "")
    if url and not url.startswith("sqlite"):
        raise RuntimeError("LMS_ENV is not set, but DATABASE_URL names a database server. Set LMS_ENV=production "
                           "for a deployment, or LMS_ENV=development to develop against that database.")


def secret_key_weakness(key):
    """Why `key` is unfit to sign production sessions, or None when it will do."""
    if not key:
        return "SECRET_KEY is not set"
    if key in (DEVELOPMENT_SECRET_KEY, TESTING_SECRET_KEY):
        return "SECRET_KEY is the development or testing key published in config.py"
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return f"SECRET_KEY has {len(key)} characters; at least {MIN_SECRET_KEY_LENGTH} random characters are needed"
    if len(set(key)) < MIN_SECRET_KEY_DISTINCT_CHARACTERS:
        return (f"SECRET_KEY uses only {len(set(key))} different characters; a random key uses at least "
                f"{MIN_SECRET_KEY_DISTINCT_CHARACTERS}")
    return None


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = FromEnvironment("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = FromEnvironment("DATABASE_URL", _sqlite_url("lms.sqlite3"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    LMS_BASE_URL = FromEnvironment("LMS_BASE_URL", "http://127.0.0.1:5000")
    LMS_CURRICULA_DIR = FromEnvironment("LMS_CURRICULA_DIR", str(BASE_DIR / "curricula"))
    #: reverse proxies in front of the app whose X-Forwarded-For and X-Forwarded-Proto are believed;
    #: 0 (no proxy) ignores those headers, since any client could send them
    PROXY_COUNT = FromEnvironment("LMS_PROXY_COUNT", 0, parse=_proxy_count,
                                  expected="the number of reverse proxies in front of the app (0 for none)")
    REDIS_URL = FromEnvironment("REDIS_URL")
    RATELIMIT_STORAGE_URI = FromEnvironment("REDIS_URL", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # If Redis goes down, each worker keeps counting in memory rather than failing the limited pages.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"
    LOGIN_LIMIT = FromEnvironment("LMS_LOGIN_LIMIT", "10 per minute")
    REGISTER_LIMIT = FromEnvironment("LMS_REGISTER_LIMIT", "20 per hour")
    VERIFY_LIMIT = FromEnvironment("LMS_VERIFY_LIMIT", "60 per minute")
    #: wrong second-step (TOTP or recovery) codes allowed per IP and per account
    MFA_LIMIT = FromEnvironment("LMS_MFA_LIMIT", "5 per minute")
    #: wrong check-in codes per account, and per IP address (a classroom may share one)
    CHECK_IN_LIMIT = FromEnvironment("LMS_CHECK_IN_LIMIT", "10 per minute")
    CHECK_IN_IP_LIMIT = FromEnvironment("LMS_CHECK_IN_IP_LIMIT", "30 per minute")
    #: "forgot your password" requests per account, and per IP address (an academy may share one)
    PASSWORD_RESET_LIMIT = FromEnvironment("LMS_PASSWORD_RESET_LIMIT", "5 per hour")
    PASSWORD_RESET_IP_LIMIT = FromEnvironment("LMS_PASSWORD_RESET_IP_LIMIT", "30 per hour")
    #: SMTP server for password links and invitations; without it the app sends no email and
    #: shows those links to the administrator or trainer instead
    MAIL_SERVER = FromEnvironment("MAIL_SERVER")
    MAIL_PORT = FromEnvironment("MAIL_PORT", 587, parse=int, expected="a port number")
    MAIL_USE_TLS = FromEnvironment("MAIL_USE_TLS", True, parse=_flag)  # STARTTLS before logging in
    MAIL_USERNAME = FromEnvironment("MAIL_USERNAME")
    MAIL_PASSWORD = FromEnvironment("MAIL_PASSWORD")
    MAIL_FROM = FromEnvironment("MAIL_FROM", "CASOM LMS <no-reply@localhost>")
    MAIL_TIMEOUT_SECONDS = 10
    #: PEM of the Ed25519 key that signs Open Badges; without it one is created in instance/
    OB_SIGNING_KEY = FromEnvironment("LMS_OB_SIGNING_KEY")
    #: Fernet keys, comma-separated, that seal two-step verification secrets (the first seals,
    #: all unseal); without them one is created in instance/ (lms.auth.sealing)
    MFA_SEALING_KEYS = FromEnvironment("LMS_MFA_KEYS", (), parse=_fernet_keys)
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
    DEMO_PASSWORD = FromEnvironment("LMS_DEMO_PASSWORD", "casom-demo-2026")
    TESTING = False
    DEBUG = False

    @classmethod
    def settings(cls):
        """Every setting of this class, as app.config.from_object reads them (environment read now)."""
        return {name: getattr(cls, name) for name in dir(cls) if name.isupper()}

    @classmethod
    def check(cls, settings=None):
        """Refuse `settings` (the app's config; by default this class's) that would be unsafe to run
        with; overridden per environment."""


class DevelopmentConfig(Config):
    SECRET_KEY = FromEnvironment("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    DEMO_ACCOUNTS_ALLOWED = True
    DEBUG = FromEnvironment("FLASK_DEBUG", False, parse=_flag)
    # The demo staff accounts reach the staff pages without an authenticator app.
    MFA_EXEMPT_EMAILS = frozenset({"trainer@example.org", "admin@example.org"})


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = TESTING_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = FromEnvironment("LMS_TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_SERVER = None  # tests that send mail use the `outbox` fixture
    DEMO_ACCOUNTS_ALLOWED = True
    LMS_CURRICULA_DIR = str(BASE_DIR / "tests" / "fixtures" / "curricula" / "valid")
    # Most tests log staff in with a password only; tests of two-step verification turn this on.
    MFA_ENFORCED = False


class ProductionConfig(Config):
    # No fallback to the development SQLite file or address: production names its database and site.
    SQLALCHEMY_DATABASE_URI = FromEnvironment("DATABASE_URL")
    LMS_BASE_URL = FromEnvironment("LMS_BASE_URL")
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
    def check(cls, settings=None):
        settings = cls.settings() if settings is None else settings
        weakness = secret_key_weakness(settings.get("SECRET_KEY"))
        if weakness:
            raise RuntimeError(f"{weakness}. Production needs a long random SECRET_KEY; generate one with: "
                               f"{KEY_GENERATION_COMMAND}")
        if not settings.get("SQLALCHEMY_DATABASE_URI"):
            raise RuntimeError("DATABASE_URL must be set in production (a PostgreSQL URL).")
        if not (settings.get("LMS_BASE_URL") or "").startswith("https://"):
            raise RuntimeError("LMS_BASE_URL must be the site's public https:// address in production: certificate "
                               "QR codes, Open Badges and emailed links are built from it.")
        if not settings.get("MFA_SEALING_KEYS"):
            raise RuntimeError("LMS_MFA_KEYS must be set in production, the same on every host: it seals the "
                               "two-step verification secrets in the database. Generate a key with: "
                               f"{MFA_KEY_GENERATION_COMMAND}")
        if not settings.get("MFA_ENFORCED") or settings.get("MFA_EXEMPT_EMAILS"):
            raise RuntimeError("Two-step verification must be required of every trainer and administrator in "
                               "production: MFA_ENFORCED must be true and MFA_EXEMPT_EMAILS empty.")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name=None):
    """The configuration class named by `name` or by LMS_ENV (default: development)."""
    if name is None and "LMS_ENV" not in os.environ:
        _refuse_unnamed_environment_for_a_server_database()
    name = (name or os.environ.get("LMS_ENV", "development")).lower()
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"Unknown LMS_ENV {name!r}; use one of {', '.join(CONFIGS)}") from None
