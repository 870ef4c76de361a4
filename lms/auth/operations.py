"""Account writes: registration and staff account creation."""

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from lms.auth.models import PASSWORD_HASH_METHOD, Role, User
from lms.core.errors import DomainError
from lms.extensions import db

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128


class EmailTaken(DomainError):
    pass


def normalize_email(email):
    return (email or "").strip().lower()


def find_user_by_email(email):
    return db.session.scalar(select(User).where(func.lower(User.email) == normalize_email(email)))


def create_user(*, email, password, name, role=Role.TRAINEE, agency="", discipline="", jurisdiction=""):
    """Create an account; refuses a taken email. Flushes; the caller commits."""
    email = normalize_email(email)
    if find_user_by_email(email) is not None:
        raise EmailTaken("An account with that email address already exists.")
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise DomainError(f"Passwords must be {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters long.")
    user = User(email=email, name=name.strip(), role=Role(role).value, agency=agency.strip(),
                discipline=discipline.strip(), jurisdiction=jurisdiction.strip())
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def register_trainee(**fields):
    """Open registration: always a trainee, whatever the form sent."""
    return create_user(role=Role.TRAINEE, **fields)


def authenticate(email, password):
    """The active user with this email and password, or None (same cost either way)."""
    user = find_user_by_email(email)
    if user is None:
        _burn_password_check(password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


_DUMMY_HASH = generate_password_hash("dummy-password-for-timing-only", method=PASSWORD_HASH_METHOD)


def _burn_password_check(password):
    # Spend the same time as a real check so response timing does not reveal which emails exist.
    check_password_hash(_DUMMY_HASH, password)
