"""People: users, their role and profile."""

import enum

from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

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

    __table_args__ = (
        db.CheckConstraint("role IN ('trainee', 'trainer', 'admin')", name="role_known"),
    )

    @property
    def is_active(self):
        return self.active

    @property
    def is_staff(self):
        return self.role in STAFF_ROLES

    def get_id(self):
        return f"{self.id}.{self.session_version}"

    def set_password(self, password):
        self.password_hash = generate_password_hash(password, method=PASSWORD_HASH_METHOD)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    def end_all_sessions(self):
        """Invalidate every session cookie issued to this user so far."""
        self.session_version = (self.session_version or 1) + 1

    def __repr__(self):
        return f"<User {self.id} {self.role}>"


def user_from_session_id(session_id):
    """Load the user named by a session id, only if its session version is still current."""
    user_id, _, version = (session_id or "").partition(".")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version) or not user.active:
        return None
    return user
