"""People: users, their role and profile."""

import enum

from flask_login import UserMixin
from sqlalchemy.orm import validates
from werkzeug.security import check_password_hash, generate_password_hash

from lms.auth import sealing
from lms.auth.passwords import normalize as normalize_password
from lms.core.audit import AuditEvent
from lms.core.text import SEARCH_KEY_LENGTH, search_key, search_key_default
from lms.core.time import utcnow
from lms.extensions import db

PASSWORD_HASH_METHOD = "scrypt:32768:8:1"  # noqa: S105 - an algorithm name, not a password


class Role(enum.StrEnum):
    TRAINEE = "trainee"
    TRAINER = "trainer"
    ADMIN = "admin"


STAFF_ROLES = (Role.TRAINER, Role.ADMIN)


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id = db.Column(db.Integer, primary_key=True)
    #: stored lower-cased; the login identifier
    email = db.Column(db.String(254), nullable=False, unique=True)
    password_hash = db.Column(db.String(256), nullable=False)
    role = db.Column(db.String(16), nullable=False, default=Role.TRAINEE.value)
    name = db.Column(db.String(120), nullable=False)
    #: the name folded for search (lms.core.text.search_key), kept in step with `name`
    name_key = db.Column(db.String(SEARCH_KEY_LENGTH), nullable=False, default=search_key_default("name"))
    agency = db.Column(db.String(160), nullable=False, default="")
    discipline = db.Column(db.String(80), nullable=False, default="")
    jurisdiction = db.Column(db.String(160), nullable=False, default="")
    #: deactivated accounts cannot log in and lose their sessions
    active = db.Column(db.Boolean, nullable=False, default=True)
    #: bumped to end every session of this user (logout, password change, deactivation)
    session_version = db.Column(db.Integer, nullable=False, default=1)
    #: multiplies quiz time limits for a documented accommodation (1.0 = none)
    time_accommodation = db.Column(db.Float, nullable=False, default=1.0)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    #: the base32 TOTP secret (RFC 6238), sealed (lms.auth.sealing); set while enrolling and kept
    #: while two-step verification is on. Read and write it as `mfa_secret`.
    mfa_secret_sealed = db.Column(db.String(255))
    #: when two-step verification was turned on; NULL = off (a secret without it is an unfinished set-up)
    mfa_enabled_at = db.Column(db.DateTime)
    #: the last TOTP time step accepted, so that no code is accepted twice
    mfa_last_step = db.Column(db.Integer)
    #: failed sign-ins before this time no longer count toward a lockout (an administrator's unlock)
    lockout_cleared_at = db.Column(db.DateTime)

    __table_args__ = (
        db.CheckConstraint("role IN ('trainee', 'trainer', 'admin')", name="role_known"),
    )

    @property
    def is_active(self):
        return self.active

    @validates("name")
    def _keep_name_key(self, _, name):
        self.name_key = search_key(name)
        return name

    @property
    def is_staff(self):
        return self.role in STAFF_ROLES

    @property
    def mfa_secret(self):
        """The TOTP secret in clear, for this request only; the database holds it sealed."""
        return sealing.unseal(self.mfa_secret_sealed)

    @mfa_secret.setter
    def mfa_secret(self, secret):
        self.mfa_secret_sealed = sealing.seal(secret)

    @property
    def mfa_enabled(self):
        return self.mfa_enabled_at is not None

    def get_id(self):
        return f"{self.id}.{self.session_version}"

    def set_password(self, password):
        """Store a hash of the password; the rule (lms.auth.passwords) is checked by the caller."""
        self.password_hash = generate_password_hash(normalize_password(password), method=PASSWORD_HASH_METHOD)

    def check_password(self, password):
        return check_password_hash(self.password_hash, normalize_password(password))

    def end_all_sessions(self):
        """Invalidate every session cookie issued to this user so far."""
        self.session_version = (self.session_version or 1) + 1

    def __repr__(self):
        return f"<User {self.id} {self.role}>"


class RecoveryCode(db.Model):
    """A one-time code that stands in for the authenticator app (lost phone); ten per enrollment."""

    __tablename__ = "mfa_recovery_code"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True)
    #: "salt$sha256(salt + code)" in hex; the code itself is shown once and never stored
    code_hash = db.Column(db.String(128), nullable=False)
    used_at = db.Column(db.DateTime)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)


# The lockout counts one account's failed sign-ins of the last hour on every login attempt
# (lms.auth.lockout); this index answers that count without scanning the log.
db.Index("ix_audit_event_action_target_occurred_at", AuditEvent.action, AuditEvent.target, AuditEvent.occurred_at)


def user_from_session_id(session_id):
    """Load the user named by a session id, only if its session version is still current."""
    user_id, _, version = (session_id or "").partition(".")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version) or not user.active:
        return None
    return user
