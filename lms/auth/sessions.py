"""Session lifetimes (ASVS 3.3): every session ends 12 hours after its login, and a trainer's or
administrator's after 30 minutes without a request. Sensitive account changes need a "fresh"
login: the password typed within the last few minutes.

The times live in the signed session cookie, so they cannot be altered; a copied cookie expires on
the same schedule as the original. Logging out, a password change, deactivation and "sign out
everywhere" end sessions earlier through User.session_version (lms.auth.models).
"""

import datetime
from functools import wraps

from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user

from lms.core import time as clock
from lms.core.security import safe_next_url

LOGIN_AT = "auth_login_at"
SEEN_AT = "auth_seen_at"
FRESH_AT = "auth_fresh_at"
PENDING_MFA = "auth_pending_mfa"
PENDING_MFA_LIFETIME = datetime.timedelta(minutes=5)

IDLE_MESSAGE = ("You were signed out after {minutes} minutes without activity, to protect your account. "
                "Log in again to continue.")
ABSOLUTE_MESSAGE = "You were signed out because you logged in more than {hours} hours ago. Log in again to continue."


def _now():
    return int(clock.utcnow().replace(tzinfo=datetime.UTC).timestamp())


def begin(user):
    """Log `user` in on this browser and start the clocks of the session."""
    session.pop(PENDING_MFA, None)
    login_user(user)
    now = _now()
    session[LOGIN_AT] = session[SEEN_AT] = session[FRESH_AT] = now


def renew(user):
    """Re-issue this browser's session after the user's session version changed (a new password):
    other sessions end, this one goes on with its original login time."""
    login_at = session.get(LOGIN_AT)
    login_user(user)
    session[LOGIN_AT] = login_at or _now()
    session[SEEN_AT] = session[FRESH_AT] = _now()


def end():
    """Log out this browser."""
    logout_user()
    for key in (LOGIN_AT, SEEN_AT, FRESH_AT, PENDING_MFA):
        session.pop(key, None)


def expiry_message(user):
    """Why this session must end now (a message for the login page), or None if it may go on."""
    config = current_app.config
    now = _now()
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    hours = config["SESSION_ABSOLUTE_HOURS"]
    if not isinstance(login_at, int) or not isinstance(seen_at, int) or now - login_at > hours * 3600:
        return ABSOLUTE_MESSAGE.format(hours=f"{hours:g}")
    minutes = config["SESSION_IDLE_MINUTES_STAFF"]
    if user.is_staff and now - seen_at > minutes * 60:
        return IDLE_MESSAGE.format(minutes=f"{minutes:g}")
    return None


def enforce_limits():
    """before_request: end an expired session and send the browser to the login page."""
    if request.endpoint in (None, "static") or not current_user.is_authenticated:
        return None
    message = expiry_message(current_user)
    if message is None:
        session[SEEN_AT] = _now()
        return None
    end()
    flash(message, "info")
    return redirect(url_for("auth.login", next=_return_path()))


def _return_path():
    return request.full_path.rstrip("?") if request.method == "GET" else None


# --- fresh login -----------------------------------------------------------------------------

def is_fresh():
    fresh_at = session.get(FRESH_AT)
    limit = current_app.config["FRESH_LOGIN_MINUTES"] * 60
    return isinstance(fresh_at, int) and _now() - fresh_at <= limit


def mark_fresh():
    session[FRESH_AT] = _now()


def fresh_login_required(view):
    """The view needs the password typed within FRESH_LOGIN_MINUTES; else ask for it, then come back."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if not is_fresh():
            # After the password, come back here; a form that only posts returns to the account page.
            page = request.url_rule is not None and "GET" in request.url_rule.methods
            back = request.full_path.rstrip("?") if page else url_for("auth.account")
            flash("For your security, enter your password again to continue.", "info")
            return redirect(url_for("auth.reauthenticate", next=back))
        return view(*args, **kwargs)

    return wrapped


# --- a login waiting for its second step -----------------------------------------------------

def await_second_step(user, next_url):
    """The password was right and the account has two-step verification: remember who, briefly.
    The browser is not logged in until the second step succeeds."""
    end()
    session[PENDING_MFA] = {"user": user.id, "version": user.session_version, "at": _now(),
                            "next": safe_next_url(next_url)}


def pending_second_step():
    """(user id, session version, next URL) of a login waiting for its code, or None if none or too old."""
    pending = session.get(PENDING_MFA)
    if not isinstance(pending, dict) or not isinstance(pending.get("at"), int):
        return None
    if _now() - pending["at"] > PENDING_MFA_LIFETIME.total_seconds():
        session.pop(PENDING_MFA, None)
        return None
    return pending.get("user"), pending.get("version"), pending.get("next")


def drop_pending_second_step():
    session.pop(PENDING_MFA, None)
