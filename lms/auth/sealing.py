"""Two-step verification secrets are stored sealed (Fernet: AES-128-CBC with HMAC-SHA256) with a
key kept outside the database, so a copy of the database or of a backup does not hand out every
staff member's authenticator seed (ASVS 2.9.1, 6.4.1).

The key is LMS_MFA_KEYS (comma-separated Fernet keys: the first seals, every one unseals, so a new
key can be put first and the old one kept until `flask users reseal-mfa` has run), else a key
created on first use in the instance folder (one host only: hosts must share the key)."""

from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

from lms.core import keyfile

KEY_FILE = "mfa-sealing-key"
CANNOT_UNSEAL = ("A two-step verification secret cannot be opened with the configured key: set LMS_MFA_KEYS "
                 "to include the key it was sealed with.")


class UnsealError(RuntimeError):
    """A sealed secret could not be opened with any configured key."""


def sealer(app=None):
    app = app or current_app
    fernet = app.extensions.get("mfa_sealer")
    if fernet is None:
        fernet = MultiFernet([Fernet(key) for key in sealing_keys(app)])
        app.extensions["mfa_sealer"] = fernet
    return fernet


def sealing_keys(app):
    configured = app.config.get("MFA_SEALING_KEYS") or ()
    if configured:
        return [key.encode() for key in configured]
    return [keyfile.read_or_create(Path(app.instance_path) / KEY_FILE, Fernet.generate_key)]


def seal(secret, app=None):
    return None if secret is None else sealer(app).encrypt(secret.encode()).decode()


def unseal(sealed, app=None):
    if sealed is None:
        return None
    try:
        return sealer(app).decrypt(sealed.encode()).decode()
    except InvalidToken:
        raise UnsealError(CANNOT_UNSEAL) from None


def reseal(sealed, app=None):
    """The same secret sealed with the first (current) key."""
    try:
        return sealer(app).rotate(sealed.encode()).decode()
    except InvalidToken:
        raise UnsealError(CANNOT_UNSEAL) from None
