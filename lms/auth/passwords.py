"""The password rule, in one place: 12 to 128 characters of any kind, not a common password.

No composition rules (ASVS 2.1.9): length and a breached-password list do the work. Passwords are
NFKC-normalized before they are measured, hashed or checked, so a passphrase typed on another
keyboard or input method (full-width letters, a precomposed or a combining accent) still matches.
"""

import functools
import gzip
import unicodedata
from pathlib import Path

from lms.core.errors import DomainError

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128
COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common-passwords.txt.gz"

TOO_SHORT = f"Use at least {MIN_PASSWORD_LENGTH} characters. A passphrase of several words works well."
TOO_LONG = f"Use at most {MAX_PASSWORD_LENGTH} characters."
TOO_COMMON = "That password is too common; choose a longer passphrase."


class WeakPassword(DomainError):
    """The password breaks the rule; the message says which part."""


def normalize(password):
    """The form a password is measured, hashed and checked in (Unicode NFKC)."""
    return unicodedata.normalize("NFKC", password or "")


@functools.cache
def common_passwords():
    """The shipped list of common passwords, case-folded; read from disk once, on first use."""
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as lines:
        return frozenset(_comparable(line) for line in lines if line.strip())


def _comparable(password):
    return normalize(password).strip().casefold()


def password_problem(password):
    """Why `password` may not be set (a message to show), or None if it may."""
    length = len(normalize(password))
    if length < MIN_PASSWORD_LENGTH:
        return TOO_SHORT
    if length > MAX_PASSWORD_LENGTH:
        return TOO_LONG
    if _comparable(password) in common_passwords():
        return TOO_COMMON
    return None


def check_new_password(password):
    """Raise WeakPassword unless `password` may be set; every way of setting a password calls this."""
    problem = password_problem(password)
    if problem:
        raise WeakPassword(problem)
