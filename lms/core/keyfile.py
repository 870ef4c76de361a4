"""Secret keys kept in the instance folder: created once, on first use, whole or not at all."""

import contextlib
import os
import tempfile
from pathlib import Path


def read_or_create(path, make_key):
    """The bytes of the key file at `path`, first writing `make_key()` there if it does not exist.
    The new key goes to a temporary file beside `path` (mode 0600) and is linked into place, so
    the file appears whole or not at all; when workers race on first start, the first link wins
    and the others read the winner's key."""
    path = Path(path)
    if not path.exists():
        _publish(path, make_key())
    return path.read_bytes()


def _publish(path, key_bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key_bytes)
            handle.flush()
            os.fsync(handle.fileno())  # whole on disk before it is visible, even across a crash
        with contextlib.suppress(FileExistsError):  # another worker published first: its key is the key
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
