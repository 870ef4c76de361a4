"""Administrators' writes on accounts. Each takes the acting admin, enforces the rule, audits,
flushes, and leaves the commit to the view."""

from sqlalchemy import select

from lms.auth import lockout, reset
from lms.auth.models import Role, User
from lms.core import audit
from lms.core.errors import DomainError, InvalidState
from lms.extensions import db

MIN_TIME_ACCOMMODATION = 1.0
MAX_TIME_ACCOMMODATION = 3.0


class LastAdminError(InvalidState):
    """The change would leave the site without an active administrator."""


def change_role(actor, user, role):
    """Give `user` another role; refuses to demote the last active admin. Returns False if unchanged."""
    try:
        role = Role(role)
    except ValueError:
        raise DomainError("Choose trainee, trainer or administrator.") from None
    _lock_active_admins(user)
    if user.role == role:
        return False
    if user.role == Role.ADMIN and user.active:
        _refuse_removing_last_admin(user, f"{user.name} is the last active administrator, so their role "
                                          "cannot be changed. Make another account an administrator first.")
    previous = user.role
    user.role = role.value
    audit.record("admin.role_changed", actor=actor, target=f"user:{user.id}", **{"from": previous, "to": role.value})
    db.session.flush()
    return True


def deactivate_user(actor, user):
    """Deactivate an account: it cannot log in, every session ends and open password links close."""
    if user.id == actor.id:
        raise InvalidState("You cannot deactivate your own account. Ask another administrator.")
    _lock_active_admins(user)
    if not user.active:
        raise InvalidState(f"{user.name}'s account is already deactivated.")
    if user.role == Role.ADMIN:
        _refuse_removing_last_admin(user, f"{user.name} is the last active administrator and cannot be "
                                          "deactivated. Make another account an administrator first.")
    user.active = False
    user.end_all_sessions()
    reset.close_open_links(user)
    audit.record("admin.user_deactivated", actor=actor, target=f"user:{user.id}")
    db.session.flush()
    return user


def reactivate_user(actor, user):
    """Let a deactivated account log in again (with its existing password)."""
    if user.active:
        raise InvalidState(f"{user.name}'s account is already active.")
    user.active = True
    audit.record("admin.user_reactivated", actor=actor, target=f"user:{user.id}")
    db.session.flush()
    return user


def end_user_sessions(actor, user):
    """Sign `user` out on every device and browser."""
    user.end_all_sessions()
    audit.record("admin.sessions_ended", actor=actor, target=f"user:{user.id}")
    db.session.flush()
    return user


def set_time_accommodation(actor, user, factor):
    """Set the multiplier applied to `user`'s quiz time limits (1.0 to 3.0). Returns False if unchanged."""
    try:
        factor = float(factor)
    except (TypeError, ValueError):
        raise DomainError("Enter a number such as 1.5.") from None
    if not MIN_TIME_ACCOMMODATION <= factor <= MAX_TIME_ACCOMMODATION:  # also refuses NaN
        raise DomainError(f"Enter a number from {MIN_TIME_ACCOMMODATION:.1f} to {MAX_TIME_ACCOMMODATION:.1f}.")
    factor = round(factor, 2)
    previous = user.time_accommodation
    if previous == factor:
        return False
    user.time_accommodation = factor
    audit.record("admin.time_accommodation_changed", actor=actor, target=f"user:{user.id}",
                 **{"from": previous, "to": factor})
    db.session.flush()
    return True


def create_reset_link(actor, user):
    """A one-time password link for `user`, valid 24 hours; returns the raw token to show once."""
    if not user.active:
        raise InvalidState(f"{user.name}'s account is deactivated. Reactivate it before creating a password link.")
    return reset.create_password_link(user, actor, reset.RESET_LINK_LIFETIME)


def unlock_account(actor, user):
    """Lift a sign-in lockout now: failed logins so far stop counting. Audited as admin.account_unlocked."""
    return lockout.unlock(actor, user)


def _lock_active_admins(user):
    # Two admins demoting each other at once must not both succeed. PostgreSQL: lock every active
    # admin row in id order (so concurrent callers queue instead of deadlocking), then re-read the
    # target. SQLite: form posts already hold the write lock from their first statement.
    db.session.execute(select(User.id).where(User.role == Role.ADMIN.value, User.active.is_(True))
                       .order_by(User.id).with_for_update())
    db.session.refresh(user)


def _refuse_removing_last_admin(user, message):
    others = db.session.scalar(select(User.id).where(User.role == Role.ADMIN.value, User.active.is_(True),
                                                     User.id != user.id).limit(1))
    if others is None:
        raise LastAdminError(message)
