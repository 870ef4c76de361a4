"""Account writes: registration, staff account creation, and a person's own account settings."""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from lms.auth import lockout, passwords, reset
from lms.auth.models import PASSWORD_HASH_METHOD, Role, User
from lms.auth.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH  # noqa: F401  (re-exported)
from lms.core import audit
from lms.core.errors import DomainError
from lms.extensions import db

PROFILE_FIELDS = ("name", "agency", "discipline", "jurisdiction")


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
    passwords.check_new_password(password)
    user = User(email=email, name=name.strip(), role=Role(role).value, agency=agency.strip(),
                discipline=discipline.strip(), jurisdiction=jurisdiction.strip())
    user.set_password(password)
    _save_unless_email_taken(user, "An account with that email address already exists.")
    return user


def _save_unless_email_taken(user, message):
    """Flush `user` in a savepoint: the unique email index decides between two requests that both
    found the address free (PostgreSQL runs them side by side), and the loser gets EmailTaken."""
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError as error:
        raise EmailTaken(message) from error


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


class WrongPassword(DomainError):
    pass


def update_profile(user, **fields):
    """Change the profile fields given (name, agency, discipline, jurisdiction). Returns the names of
    the fields that changed; audited when any did. Flushes; the caller commits."""
    changed = []
    for name in PROFILE_FIELDS:
        if name in fields:
            value = (fields[name] or "").strip()
            if name == "name" and not value:
                raise DomainError("Enter your full name.")
            if getattr(user, name) != value:
                setattr(user, name, value)
                changed.append(name)
    if changed:
        audit.record("auth.profile_updated", actor=user, target=f"user:{user.id}", fields=",".join(changed))
        db.session.flush()
    return changed


def change_password(user, current_password, new_password):
    """Change a person's own password: the current one must be right and the new one pass the rule.
    Every session of the account ends (the caller renews the current one) and open password links
    close. A wrong current password counts toward the lockout. Flushes; the caller commits."""
    if lockout.is_locked(user.email):
        raise WrongPassword(lockout.LOCKED_MESSAGE)
    if not user.check_password(current_password):
        lockout.record_failure("auth.password_changed", user.email, actor=user)
        raise WrongPassword("Your current password is not correct.")
    passwords.check_new_password(new_password)
    user.set_password(new_password)
    user.end_all_sessions()
    reset.close_open_links(user)
    audit.record("auth.password_changed", actor=user, target=f"user:{user.id}")
    db.session.flush()
    return user


def change_email(user, new_email):
    """Change the login email (the caller has checked for a fresh login). Audited with both
    addresses; refuses one that another account has. Flushes; the caller commits."""
    new_email = normalize_email(new_email)
    if new_email == user.email:
        return False
    if find_user_by_email(new_email) is not None:
        raise EmailTaken("Another account already uses that email address.")
    previous = user.email
    user.email = new_email
    _save_unless_email_taken(user, "Another account already uses that email address.")
    audit.record("auth.email_changed", actor=user, target=f"user:{user.id}", **{"from": previous, "to": new_email})
    db.session.flush()
    return True


_DUMMY_HASH = generate_password_hash("dummy-password-for-timing-only", method=PASSWORD_HASH_METHOD)


def _burn_password_check(password):
    # Spend the same time as a real check so response timing does not reveal which emails exist.
    check_password_hash(_DUMMY_HASH, password)


def reset_link_for_email(email):
    """(user, token) of a new one-hour link for the active account using `email`, or None when no
    active account does. Audited either way, without saying which to the person who asked."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        audit.record("auth.password_reset_requested", outcome="failure", reason="no active account",
                     email=normalize_email(email))
        return None
    token = reset.create_password_link(user, None, reset.SELF_SERVICE_LINK_LIFETIME)
    audit.record("auth.password_reset_requested", actor=user, target=f"user:{user.id}")
    return user, token
