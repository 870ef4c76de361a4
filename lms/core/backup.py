"""Database backups and restores: `flask db backup PATH` and `flask db restore PATH --yes`.

SQLite: the online backup API (sqlite3.Connection.backup) copies the database while the app keeps
writing. The copy is made inside one read transaction that first counts every table's rows, so the
counts describe exactly what the copy holds (in WAL mode writers carry on meanwhile; the copy is
then checked with PRAGMA integrity_check and counted again).

PostgreSQL: `pg_dump --format=custom` run in a snapshot exported by a REPEATABLE READ transaction
that also counts the rows, so again the counts are those of the dump. Restoring runs
`pg_restore --clean --if-exists --no-owner --single-transaction` into the configured database:
all of it or nothing.

Every backup writes PATH.manifest.json beside it (dialect, time, migration revision, sha256 and
the row count of every table); a restore checks the file against it first and its row counts after.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from lms.core.time import utcnow

MANIFEST_SUFFIX = ".manifest.json"
SQLITE_BUSY_TIMEOUT_MS = 15000
PG_TOOL_TIMEOUT_SECONDS = 6 * 3600


class BackupError(Exception):
    """A backup or restore could not be done; the message says why and is safe to print."""


@dataclass
class BackupResult:
    path: Path
    dialect: str
    #: rows per table in the backup, read in the same snapshot that was copied
    counts: dict
    size: int
    seconds: float
    #: "ok", or what the check found
    integrity: str
    revision: str | None
    manifest_path: Path


@dataclass
class RestoreResult:
    path: Path
    dialect: str
    #: rows per table in the restored database
    counts: dict
    seconds: float
    integrity: str
    #: the counts recorded when the backup was made (None without a manifest)
    expected: dict | None = None
    mismatches: dict = field(default_factory=dict)


def manifest_path_for(path):
    path = Path(path)
    return path.with_name(path.name + MANIFEST_SUFFIX)


def backup_database(url, path, overwrite=False):
    """Back up the database at `url` (a SQLAlchemy URL) to `path`; returns a BackupResult."""
    url, path = make_url(url), Path(path)
    if path.exists() and not overwrite:
        raise BackupError(f"{path} already exists; choose a new name (backups are never overwritten silently).")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    started = time.monotonic()
    backend = url.get_backend_name()
    try:
        if backend == "sqlite":
            counts, integrity = _sqlite_backup(_sqlite_file(url, must_exist=True), partial)
        elif backend == "postgresql":
            counts, integrity = _postgres_backup(url, partial)
        else:
            raise BackupError(f"Backups of {backend} databases are not supported; use SQLite or PostgreSQL.")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    result = BackupResult(path=path, dialect=backend, counts=counts, size=path.stat().st_size,
                          seconds=time.monotonic() - started, integrity=integrity,
                          revision=counts.pop(_REVISION_KEY, None), manifest_path=manifest_path_for(path))
    _write_manifest(result, url)
    return result


def restore_database(url, path):
    """Replace the contents of the database at `url` with the backup at `path`; returns a RestoreResult.
    Refuses a backup whose sha256 differs from its manifest; reports counts that differ from it."""
    url, path = make_url(url), Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    manifest = _read_manifest(path)
    backend = url.get_backend_name()
    if manifest and manifest["dialect"] != backend:
        raise BackupError(f"{path} is a {manifest['dialect']} backup; the configured database is {backend}.")
    started = time.monotonic()
    if backend == "sqlite":
        counts, integrity = _sqlite_restore(path, _sqlite_file(url, must_exist=False))
    elif backend == "postgresql":
        counts, integrity = _postgres_restore(url, path)
    else:
        raise BackupError(f"Restores into {backend} databases are not supported; use SQLite or PostgreSQL.")
    counts.pop(_REVISION_KEY, None)
    expected = manifest["counts"] if manifest else None
    mismatches = {} if expected is None else {
        table: (expected.get(table), counts.get(table)) for table in sorted(set(expected) | set(counts))
        if expected.get(table) != counts.get(table)}
    return RestoreResult(path=path, dialect=backend, counts=counts, seconds=time.monotonic() - started,
                         integrity=integrity, expected=expected, mismatches=mismatches)


# --- SQLite ----------------------------------------------------------------------------------

_REVISION_KEY = "\0revision"  # carried in the counts dict from the snapshot, then popped


def _sqlite_file(url, must_exist):
    database = url.database
    if not database or database == ":memory:" or url.query.get("mode") == "memory":
        raise BackupError("The database is an in-memory SQLite database: there is no file to back up or restore.")
    database = Path(database)
    if must_exist and not database.is_file():
        raise BackupError(f"There is no SQLite database at {database}.")
    return database


def _sqlite_connect(path):
    connection = sqlite3.connect(str(path), isolation_level=None, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    connection.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    return connection


def _sqlite_backup(source_path, target_path):
    source = _sqlite_connect(source_path)
    try:
        # One read transaction: the counts and the pages copied come from the same snapshot. In
        # WAL mode the app's writers carry on meanwhile; in rollback-journal mode they wait.
        source.execute("BEGIN")
        counts = _sqlite_counts(source)
        target = sqlite3.connect(str(target_path), isolation_level=None)
        try:
            source.backup(target)  # pages=-1: the whole database in one step, inside the snapshot
            target.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
        finally:
            target.close()
        source.execute("COMMIT")
    except sqlite3.Error as error:
        raise BackupError(f"SQLite backup of {source_path} failed: {error}") from error
    finally:
        source.close()
    integrity, copied = _sqlite_check(target_path)
    if integrity != "ok":
        raise BackupError(f"The backup failed its integrity check: {integrity}")
    if copied != counts:
        raise BackupError("The backup's row counts differ from the snapshot it was copied from; try again.")
    return counts, integrity


def _sqlite_restore(backup_path, live_path):
    integrity, _ = _sqlite_check(backup_path)
    if integrity != "ok":
        raise BackupError(f"{backup_path} fails SQLite's integrity check ({integrity}); nothing was restored.")
    source = _sqlite_connect(backup_path)
    target = _sqlite_connect(live_path)
    try:
        # Writes every page of the live file under its write lock; the app's connections wait
        # (busy timeout), then read the restored pages.
        source.backup(target)
        if target.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            target.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error as error:
        raise BackupError(f"Restoring {backup_path} into {live_path} failed: {error}") from error
    finally:
        source.close()
        target.close()
    integrity, counts = _sqlite_check(live_path)
    if integrity != "ok":
        raise BackupError(f"The restored database fails SQLite's integrity check: {integrity}")
    return counts, integrity


def _sqlite_check(path):
    """(integrity_check result, row counts) of the SQLite file at `path`."""
    connection = _sqlite_connect(path)
    try:
        rows = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        return ("ok" if rows == ["ok"] else "; ".join(rows[:10])), _sqlite_counts(connection)
    finally:
        connection.close()


def _sqlite_counts(connection):
    tables = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    # Table names come from sqlite_master, quoted as identifiers; no value is ever interpolated.
    counts = {table: connection.execute(f'SELECT count(*) FROM "{_sqlite_name(table)}"').fetchone()[0]  # noqa: S608
              for table in tables}
    if "alembic_version" in counts:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        counts[_REVISION_KEY] = row[0] if row else None
    return counts


def _sqlite_name(name):
    return name.replace('"', '""')


# --- PostgreSQL ------------------------------------------------------------------------------

def _tool(name):
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} was not found on PATH. Install the PostgreSQL client tools of the server's "
                          f"major version (Debian: apt-get install postgresql-client) and run this again.")
    return found


def _libpq(url):
    """A libpq connection URI without the password, and an environment carrying the password."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    uri = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return uri, env


def _run(command, env, what):
    try:
        completed = subprocess.run(command, env=env, capture_output=True, text=True,  # noqa: S603 - fixed tools
                                   timeout=PG_TOOL_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired as error:
        raise BackupError(f"{what} did not finish within {PG_TOOL_TIMEOUT_SECONDS} seconds.") from error
    if completed.returncode != 0:
        raise BackupError(f"{what} failed (exit {completed.returncode}): {completed.stderr.strip()[-2000:]}")
    return completed.stdout


def _postgres_engine(url):
    return create_engine(url, poolclass=NullPool)


def _postgres_backup(url, target_path):
    pg_dump = _tool("pg_dump")
    _tool("pg_restore")  # to verify the archive
    uri, env = _libpq(url)
    engine = _postgres_engine(url)
    try:
        with engine.connect() as connection:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                # The dump runs in this transaction's snapshot, so the counts are the dump's.
                snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                counts = _postgres_counts(connection)
                _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", "--no-password",
                      f"--file={target_path}", f"--dbname={uri}"], env, "pg_dump")
    finally:
        engine.dispose()
    listing = _run([_tool("pg_restore"), "--list", str(target_path)], env, "pg_restore --list")
    tables_with_data = sum(1 for line in listing.splitlines() if " TABLE DATA " in line)
    expected_tables = len([table for table in counts if table != _REVISION_KEY])
    if tables_with_data != expected_tables:
        raise BackupError(f"The archive holds data for {tables_with_data} tables; the database has {expected_tables}.")
    return counts, f"ok (pg_restore reads the archive: {tables_with_data} tables with data)"


def _postgres_restore(url, backup_path):
    pg_restore = _tool("pg_restore")
    uri, env = _libpq(url)
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
          "--no-password", f"--dbname={uri}", str(backup_path)], env, "pg_restore")
    engine = _postgres_engine(url)
    try:
        with engine.connect() as connection:
            counts = _postgres_counts(connection)
    finally:
        engine.dispose()
    return counts, "ok (pg_restore finished in one transaction)"


def _postgres_counts(connection):
    quote = connection.dialect.identifier_preparer.quote
    tables = sorted(inspect(connection).get_table_names())
    counts = {table: connection.execute(text(f"SELECT count(*) FROM {quote(table)}")).scalar_one()  # noqa: S608
              for table in tables}
    if "alembic_version" in counts:
        counts[_REVISION_KEY] = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return counts


# --- Manifest --------------------------------------------------------------------------------

def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_manifest(result, url):
    manifest = {
        "format": 1, "dialect": result.dialect, "created_at": utcnow().isoformat(timespec="seconds") + "Z",
        "database": url.render_as_string(hide_password=True), "revision": result.revision,
        "file": result.path.name, "bytes": result.size, "sha256": _sha256(result.path), "counts": result.counts,
    }
    result.manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _read_manifest(path):
    manifest_path = manifest_path_for(path)
    if not manifest_path.is_file():
        return None
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise BackupError(f"{manifest_path} is not valid JSON: {error}") from error
    if manifest.get("sha256") != _sha256(path):
        raise BackupError(f"{path} does not match its manifest (sha256 differs): the file is damaged or not the "
                          "one that was backed up. Nothing was restored.")
    return manifest


# --- Commands --------------------------------------------------------------------------------

def _echo_counts(title, counts, expected=None):
    click.echo(title)
    width = max((len(table) for table in counts), default=0)
    for table, count in sorted(counts.items()):
        note = "" if expected is None or expected.get(table) == count else f"   (backup had {expected.get(table)})"
        click.echo(f"  {table:<{width}}  {count:>9}{note}")


def _configured_url():
    from lms.extensions import db

    return db.engine.url


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True, help="Replace PATH if it already exists.")
@with_appcontext
def backup_command(path, overwrite):
    """Back up the database to PATH (SQLite: online backup API; PostgreSQL: pg_dump --format=custom)."""
    url = _configured_url()
    try:
        result = backup_database(url, path, overwrite=overwrite)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up the {result.dialect} database {url.render_as_string(hide_password=True)} to {result.path} "
               f"({result.size:,} bytes in {result.seconds:.2f} s; migration revision {result.revision or 'none'}).")
    click.echo(f"Integrity: {result.integrity}")
    _echo_counts("Rows per table at the moment of the backup:", result.counts)
    click.echo(f"Manifest: {result.manifest_path}")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Confirm that every row of the configured database is to be replaced.")
@with_appcontext
def restore_command(path, yes):
    """Replace the configured database with the backup at PATH (stop the app first)."""
    url = _configured_url()
    target = url.render_as_string(hide_password=True)
    if not yes:
        raise click.ClickException(f"This replaces the contents of {target} with {path}. Stop the app, then run "
                                   "the command again with --yes.")
    try:
        result = restore_database(url, path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {result.path} into the {result.dialect} database {target} in {result.seconds:.2f} s.")
    click.echo(f"Integrity: {result.integrity}")
    _echo_counts("Rows per table now:", result.counts, result.expected)
    if result.expected is None:
        click.echo(f"No manifest ({manifest_path_for(path).name}) beside the backup: counts not compared.")
    elif result.mismatches:
        raise click.ClickException(f"{len(result.mismatches)} table(s) differ from the backup's manifest: "
                                   + ", ".join(sorted(result.mismatches)))
    else:
        click.echo("Every table has the row count recorded in the backup's manifest.")


def register_backup_commands(app):
    """Add `backup` and `restore` to Flask-Migrate's `db` command group (idempotent)."""
    group = app.cli.commands["db"]
    for command in (backup_command, restore_command):
        if group.commands.get(command.name) is not command:
            group.add_command(command)
