"""Two-step verification: TOTP (RFC 6238) codes from an authenticator app, and one-time recovery codes.

A code is accepted for the current 30-second step or the one either side (clock drift), and never
twice: the last accepted step is stored, and a guarded UPDATE makes two requests racing with the
same code accept it at most once. Recovery codes carry 60 random bits, are stored salted and
hashed (ASVS 2.6.2) and are each accepted once, by the same kind of guarded UPDATE.
"""

import hashlib
import hmac
import re
import secrets
import unicodedata
from datetime import UTC

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, or_, select, update

from lms.auth.models import RecoveryCode, User
from lms.core import audit
from lms.core import time as clock
from lms.core.errors import InvalidState
from lms.extensions import db

TOTP_DIGITS = 6
TOTP_INTERVAL = 30
TOTP_DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_GROUPS = 3
RECOVERY_CODE_GROUP_LENGTH = 4
#: Crockford's base32 without I, L, O and U, so a code read aloud or copied by hand is unambiguous
RECOVERY_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


# --- TOTP ------------------------------------------------------------------------------------

def new_secret():
    """A fresh random base32 secret (160 bits, as RFC 4226 recommends)."""
    return pyotp.random_base32()


def current_step():
    """The TOTP time step now (Unix time // 30), from the app's clock so tests can move it."""
    return int(clock.utcnow().replace(tzinfo=UTC).timestamp()) // TOTP_INTERVAL


def _clean(code):
    # NFKC first, so that digits typed with a full-width (East Asian) keyboard count as digits.
    return re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", code or "")).upper()


def _is_totp_shaped(code):
    # ASCII digits only: str.isdigit() also accepts other scripts' digits, which no app shows.
    return re.fullmatch(rf"[0-9]{{{TOTP_DIGITS}}}", code) is not None


def _matching_step(secret, code):
    """The step within the drift window whose code is `code`, or None."""
    code = _clean(code)
    if not _is_totp_shaped(code):
        return None
    totp = pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_INTERVAL)
    now = current_step()
    matched = None
    for step in range(now - TOTP_DRIFT_STEPS, now + TOTP_DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            matched = step
    return matched


def _claim_step(user, step):
    """Record `step` as used, only if it is later than the last one used; True if this call did."""
    claimed = db.session.execute(
        update(User)
        .where(User.id == user.id, or_(User.mfa_last_step.is_(None), User.mfa_last_step < step))
        .values(mfa_last_step=step))
    if claimed.rowcount == 1:
        db.session.refresh(user, ["mfa_last_step"])
        return True
    return False


def provisioning_uri(user, secret):
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_INTERVAL).provisioning_uri(
        name=user.email, issuer_name=current_app.config["MFA_ISSUER"])


def qr_code(uri):
    """The QR code of `uri` as an SVG data: URI (our CSP allows data: images) and its side in pixels."""
    code = segno.make(uri, error="m")
    return (code.svg_data_uri(scale=5, border=4, dark="#000", light="#fff"),
            code.symbol_size(scale=5, border=4)[0])


def grouped(secret):
    """The secret in groups of four, as people type it into an app."""
    return " ".join(secret[index:index + 4] for index in range(0, len(secret), 4))


# --- enrollment ------------------------------------------------------------------------------

def start_enrollment(user):
    """Make a new secret for an unfinished set-up (replacing any earlier one); the caller commits."""
    if user.mfa_enabled:
        raise InvalidState("Two-step verification is already on.")
    user.mfa_secret = new_secret()
    user.mfa_last_step = None
    db.session.flush()
    return user.mfa_secret


def enable(user, code):
    """Turn two-step verification on once `code` proves the app has the secret. Returns the ten
    recovery codes, to show once; None if the code is wrong. Flushes and audits; the caller commits."""
    if user.mfa_enabled:
        raise InvalidState("Two-step verification is already on.")
    if not user.mfa_secret:
        raise InvalidState("Start the set-up again: no key was made for this account yet.")
    step = _matching_step(user.mfa_secret, code)
    if step is None or not _claim_step(user, step):
        return None
    user.mfa_enabled_at = clock.utcnow()
    codes = _replace_recovery_codes(user)
    audit.record("auth.mfa_enabled", actor=user, target=f"user:{user.id}")
    db.session.flush()
    return codes


def disable(actor, user, reason="by_user"):
    """Turn two-step verification off and forget the secret and recovery codes. Audited; flushes."""
    if not user.mfa_enabled and not user.mfa_secret:
        raise InvalidState("Two-step verification is already off.")
    user.mfa_secret = None
    user.mfa_enabled_at = None
    user.mfa_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit.record("auth.mfa_disabled", actor=actor, target=f"user:{user.id}", reason=reason)
    db.session.flush()
    return user


def regenerate_recovery_codes(user):
    """Ten new recovery codes (to show once); every earlier one stops working. Audited; flushes."""
    if not user.mfa_enabled:
        raise InvalidState("Turn on two-step verification first.")
    codes = _replace_recovery_codes(user)
    audit.record("auth.recovery_codes_regenerated", actor=user, target=f"user:{user.id}")
    db.session.flush()
    return codes


# --- the second step -------------------------------------------------------------------------

TOTP = "totp"
RECOVERY_CODE = "recovery_code"


def verify(user, code):
    """Check a second-step code: "totp" or "recovery_code" when accepted (a recovery code is used
    up and audited), or None. Flushes; the caller commits."""
    if not user.mfa_enabled:
        return None
    cleaned = _clean(code)
    if _is_totp_shaped(cleaned):
        step = _matching_step(user.mfa_secret, cleaned)
        return TOTP if step is not None and _claim_step(user, step) else None
    if _use_recovery_code(user, _recovery_form(cleaned)):
        audit.record("auth.recovery_code_used", actor=user, target=f"user:{user.id}",
                     remaining=unused_recovery_codes(user))
        db.session.flush()
        return RECOVERY_CODE
    return None


def unused_recovery_codes(user):
    """How many recovery codes `user` has left."""
    return len(db.session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all())


def enrollment_required(user):
    """True if `user` must turn on two-step verification before opening a staff page."""
    config = current_app.config
    return (user.is_staff and not user.mfa_enabled and config["MFA_ENFORCED"]
            and user.email not in config["MFA_EXEMPT_EMAILS"])


# --- recovery codes --------------------------------------------------------------------------

def _new_recovery_code():
    symbols = "".join(secrets.choice(RECOVERY_CODE_ALPHABET)
                      for _ in range(RECOVERY_CODE_GROUPS * RECOVERY_CODE_GROUP_LENGTH))
    return "-".join(symbols[index:index + RECOVERY_CODE_GROUP_LENGTH]
                    for index in range(0, len(symbols), RECOVERY_CODE_GROUP_LENGTH))


_READ_AS = str.maketrans("OIL", "011")  # letters a person may type for the digits they look like


def _recovery_form(code):
    return _clean(code).translate(_READ_AS)


def _hash_recovery_code(code, salt=None):
    salt = salt or secrets.token_hex(16)
    digest = hashlib.sha256((salt + _recovery_form(code)).encode("utf-8")).hexdigest()
    return f"{salt}${digest}"


def _replace_recovery_codes(user):
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    now = clock.utcnow()
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash_recovery_code(code), created_at=now)
                       for code in codes)
    return codes


def _use_recovery_code(user, cleaned):
    if len(cleaned) != RECOVERY_CODE_GROUPS * RECOVERY_CODE_GROUP_LENGTH or not cleaned.isalnum():
        return False
    unused = db.session.execute(select(RecoveryCode.id, RecoveryCode.code_hash).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all()
    matched = None
    for code_id, stored in unused:
        salt, _, _ = stored.partition("$")
        if hmac.compare_digest(_hash_recovery_code(cleaned, salt), stored):
            matched = code_id
    if matched is None:
        return False
    used = db.session.execute(update(RecoveryCode).where(RecoveryCode.id == matched, RecoveryCode.used_at.is_(None))
                              .values(used_at=clock.utcnow()))
    return used.rowcount == 1

