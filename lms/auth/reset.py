"""One-time "set your password" links: an admin's reset link, or a roster import's invitation.

Only the sha256 of a token is stored (in the `invitation` table), so a copy of the database
cannot be turned into working links. A link is redeemed at most once, before it expires; a newer
link for the same account, or a successful redemption, closes every other open link of that user.
"""

import datetime
import hashlib
import secrets

from sqlalchemy import select, update

from lms.auth import passwords
from lms.auth.models import User
from lms.cohorts.models import Invitation
from lms.core import audit
from lms.core.errors import DomainError
from lms.core.time import utcnow
from lms.extensions import db

TOKEN_BYTES = 32
RESET_LINK_LIFETIME = datetime.timedelta(hours=24)
#: a link asked for on the "forgot your password" page; shorter, since anyone can ask for one
SELF_SERVICE_LINK_LIFETIME = datetime.timedelta(hours=1)


class PasswordLinkNotUsable(DomainError):
    """The link was used, has expired or belongs to a deactivated account (410 Gone)."""

    status_code = 410


class UnknownPasswordLink(PasswordLinkNotUsable):
    """No link has this token (404)."""

    status_code = 404


def hash_token(token):
    """The stored form of a token: its sha256, in hex."""
    return hashlib.sha256((token or "").encode("utf-8")).hexdigest()


def create_password_link(user, created_by, lifetime: datetime.timedelta) -> str:
    """Make a one-time link for `user`, valid for `lifetime`; returns the raw token (never stored).
    Earlier open links of the user stop working. Flushes and audits; the caller commits."""
    if lifetime <= datetime.timedelta(0):
        raise DomainError("A password link must be valid for some time.")
    now = utcnow()
    close_open_links(user, now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation = Invitation(user_id=user.id, token_hash=hash_token(token), expires_at=now + lifetime,
                            created_by_id=getattr(created_by, "id", None), created_at=now)
    db.session.add(invitation)
    db.session.flush()
    audit.record("auth.password_link_created", actor=created_by, target=f"user:{user.id}",
                 invitation_id=invitation.id, expires_at=invitation.expires_at.isoformat(timespec="seconds"))
    return token


def usable_link_owner(token):
    """The user a still-usable link belongs to; raises UnknownPasswordLink or PasswordLinkNotUsable."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))
    if invitation is None:
        raise UnknownPasswordLink("This link is not valid. Check that you copied all of it, or ask for a new one.")
    if invitation.used_at is not None:
        raise PasswordLinkNotUsable("This link has already been used. Each link works once: ask for a new one "
                                    "if you need to set your password again.")
    if invitation.expires_at <= utcnow():
        raise PasswordLinkNotUsable("This link has expired. Ask your administrator or trainer for a new one.")
    user = db.session.get(User, invitation.user_id)
    if not user.active:
        raise PasswordLinkNotUsable("This account is deactivated. Contact your program's administrator.")
    return user


def redeem_password_link(token: str, new_password: str) -> User:
    """Set the password of the link's user, once: checks hash, expiry and single use with a guarded
    UPDATE, ends every session of the user and audits. Flushes; the caller commits."""
    passwords.check_new_password(new_password)
    user = usable_link_owner(token)
    now = utcnow()
    claimed = db.session.execute(
        update(Invitation)
        .where(Invitation.token_hash == hash_token(token), Invitation.used_at.is_(None), Invitation.expires_at > now)
        .values(used_at=now))
    if claimed.rowcount != 1:
        # Someone redeemed it (or it expired) between the check above and this statement.
        raise PasswordLinkNotUsable("This link has already been used. Ask for a new one if you need it.")
    close_open_links(user, now)
    user.set_password(new_password)
    user.end_all_sessions()
    audit.record("auth.password_set", actor=user, target=f"user:{user.id}", via="password_link")
    db.session.flush()
    return user


def close_open_links(user, now=None):
    """Make every unused, unexpired link of `user` expire now (deactivation, a newer link, a new password)."""
    now = now or utcnow()
    db.session.execute(
        update(Invitation)
        .where(Invitation.user_id == user.id, Invitation.used_at.is_(None), Invitation.expires_at > now)
        .values(expires_at=now))
