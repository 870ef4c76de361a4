"""UTC time, stored naive in the database so SQLite and PostgreSQL agree."""

from datetime import UTC, datetime


def utcnow():
    """The current UTC time without tzinfo (the form every timestamp column stores)."""
    return datetime.now(UTC).replace(tzinfo=None)
