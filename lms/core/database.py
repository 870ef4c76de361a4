"""Engine settings the database needs to keep its promises."""

from flask import g, has_request_context, request
from sqlalchemy import event

SQLITE_BUSY_TIMEOUT_MS = 15000


def configure_engine(engine):
    """Turn on SQLite foreign keys, WAL and immediate transactions; PostgreSQL needs nothing."""
    if engine.dialect.name != "sqlite":
        return
    # pysqlite's own transaction handling defers BEGIN until the first write and never issues
    # BEGIN IMMEDIATE; we take over so that a transaction that will write holds the write lock
    # from its first statement, the way guarded state transitions assume.
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)


def _on_sqlite_connect(dbapi_connection, _record):
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _on_sqlite_begin(connection):
    connection.exec_driver_sql("BEGIN" if _is_read_only_request() else "BEGIN IMMEDIATE")


def read_first():
    """Begin this request's next transaction as a plain read, even in a form post: for a post that
    does slow work before it knows whether it will write (a login's password hash), so SQLite's
    write lock is not held through it. The view ends that transaction before it writes."""
    g.read_first = True


def _is_read_only_request():
    # GET pages only read, so they need not queue behind writers; everything else (form posts,
    # CLI commands, background work) takes the write lock up front, unless it asked to read first.
    if not has_request_context():
        return False
    return g.pop("read_first", False) or request.method in ("GET", "HEAD")
