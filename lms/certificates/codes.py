"""Certificate codes: 60 random bits in Crockford base32, grouped for reading aloud. Pure."""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
CODE_LENGTH = 12  # 12 symbols x 5 bits = 60 random bits
PREFIX = "CASOM"
_DECODE_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.]+")


def new_code():
    """A fresh random code in canonical form (12 symbols, no prefix, no dashes)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code):
    """CASOM-7KQ2-9XHD-M4TB: the form printed on certificates and read aloud."""
    groups = [code[i:i + 4] for i in range(0, len(code), 4)]
    return "-".join([PREFIX, *groups])


def normalize_code(text):
    """The canonical code for what someone typed, or None: case, spaces, dashes and the prefix do
    not matter, and O/I/L read as 0/1 the way Crockford base32 intends."""
    if not text:
        return None
    compact = _SEPARATORS.sub("", text.strip().upper())
    if compact.startswith(PREFIX) and len(compact) == len(PREFIX) + CODE_LENGTH:
        compact = compact[len(PREFIX):]
    compact = compact.translate(_DECODE_ALIASES)
    if len(compact) != CODE_LENGTH or any(symbol not in ALPHABET for symbol in compact):
        return None
    return compact
