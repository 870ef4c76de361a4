"""Account lockout (ASVS 2.2.1): too many failed sign-ins for one email address within the window
refuse every further sign-in of that address, right password or not, until the window cools down
or an administrator unlocks the account.

The count comes from the audit log itself: failures are recorded there anyway, with the email
address tried as the target. It applies to an address whether or not an account has it, so the
lock message never tells anyone which addresses have accounts. An unlock sets
User.lockout_cleared_at; failures before that moment stop counting.
"""

import datetime

from flask import current_app
from sqlalchemy import func, select

from lms.auth.models import User
from lms.core import audit
from lms.core import time as clock
from lms.core.audit import AuditEvent
from lms.extensions import db

#: failed steps that count toward a lockout: a wrong password, a wrong second-step code, a wrong
#: password when re-entering it, or a wrong current password when changing it
FAILED_SIGN_IN_ACTIONS = ("auth.login", "auth.mfa_verify", "auth.reauthenticate", "auth.password_changed")

TARGET_LENGTH = AuditEvent.__table__.c.target.type.length

LOCKED_MESSAGE = ("This account is locked after too many failed sign-in attempts. Try again in an hour, "
                  "or ask your program's administrator to unlock it.")


def email_target(email):
    """The audit target of a sign-in attempt for `email`, cut to fit the column (emails may be 254 long)."""
    return f"email:{email}"[:TARGET_LENGTH]


def _window():
    return datetime.timedelta(minutes=current_app.config["LOCKOUT_WINDOW_MINUTES"])


def _threshold():
    return current_app.config["LOCKOUT_THRESHOLD"]


def _counting_since(email, now):
    since = now - _window()
    cleared = db.session.scalar(select(User.lockout_cleared_at).where(User.email == email))
    return max(since, cleared) if cleared else since


def _failures(email, since):
    return (select(AuditEvent.occurred_at)
            .where(AuditEvent.action.in_(FAILED_SIGN_IN_ACTIONS), AuditEvent.target == email_target(email),
                   AuditEvent.outcome == "failure", AuditEvent.occurred_at > since))


def failure_count(email, now=None):
    """Failed sign-ins of `email` that still count toward a lockout."""
    now = now or clock.utcnow()
    query = _failures(email, _counting_since(email, now)).subquery()
    return db.session.scalar(select(func.count()).select_from(query))


def is_locked(email):
    """True while `email` has reached the threshold of failed sign-ins."""
    return failure_count(email) >= _threshold()


def locked_until(email):
    """When the lock on `email` lifts by itself (naive UTC), or None if it is not locked."""
    now = clock.utcnow()
    oldest_that_locks = db.session.scalar(
        _failures(email, _counting_since(email, now)).order_by(AuditEvent.occurred_at.desc())
        .offset(_threshold() - 1).limit(1))
    return None if oldest_that_locks is None else oldest_that_locks + _window()


def record_failure(action, email, *, actor=None, **details):
    """Audit a failed sign-in step for `email`, and audit the lockout when this failure starts one.
    The caller commits."""
    audit.record(action, actor=actor, target=email_target(email), outcome="failure", **details)
    db.session.flush()
    if failure_count(email) == _threshold():
        audit.record("auth.locked", actor=actor, target=email_target(email), outcome="denied",
                     failures=_threshold(), window_minutes=current_app.config["LOCKOUT_WINDOW_MINUTES"])


def record_refused(action, email, *, actor=None):
    """Audit an attempt refused because the address is locked (not itself counted as a failure)."""
    audit.record(action, actor=actor, target=email_target(email), outcome="denied", reason="locked")


def unlock(actor, user):
    """Let `user` sign in again at once: earlier failures stop counting. Audited; the caller commits."""
    user.lockout_cleared_at = clock.utcnow()
    audit.record("admin.account_unlocked", actor=actor, target=f"user:{user.id}")
    db.session.flush()
    return user
