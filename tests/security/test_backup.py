"""Backups: one taken while the app keeps writing restores, into a fresh database, to exactly what
it recorded at the moment of the backup; the commands say what they did and refuse what is unsafe.
Runs on SQLite, and on PostgreSQL when LMS_TEST_DATABASE_URL is set (into scratch databases)."""

import threading
import time

import pytest
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.pool import NullPool

from lms import create_app
from lms.core import audit, backup
from lms.core.audit import AuditEvent
from lms.core.backup import BackupError, backup_database, register_backup_commands, restore_database
from lms.extensions import db
from tests.conftest import _TestConfig

WRITES_BEFORE = 25
WRITES_AFTER = 25
MAX_WRITES = 5000
WRITER_SECONDS = 60


def _counts(url):
    """Rows per table, read independently of the backup module."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return {table: connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
                    for table in inspect(connection).get_table_names()}
    finally:
        engine.dispose()


class AuditWriter(threading.Thread):
    """Inserts audit events one transaction at a time until stopped (bounded in count and time)."""

    def __init__(self, app):
        super().__init__(name="audit-writer", daemon=True)
        self.app, self.written, self.error = app, 0, None
        self.stop = threading.Event()

    def run(self):
        deadline = time.monotonic() + WRITER_SECONDS
        try:
            with self.app.app_context():
                while not self.stop.is_set() and self.written < MAX_WRITES and time.monotonic() < deadline:
                    audit.record("backup.test_write", target=f"write:{self.written}")
                    db.session.commit()
                    self.written += 1
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported by the test
            self.error = error

    def wait_for(self, count):
        deadline = time.monotonic() + WRITER_SECONDS
        while self.written < count and self.is_alive() and time.monotonic() < deadline:
            time.sleep(0.005)
        assert self.written >= count, f"the writer stopped at {self.written} rows ({self.error!r})"


def test_backup_while_the_app_writes_restores_to_the_backups_counts(app, world, tmp_path, scratch_url):
    db.session.commit()
    writer = AuditWriter(app)
    writer.start()
    try:
        writer.wait_for(WRITES_BEFORE)
        result = backup_database(db.engine.url, tmp_path / "live.backup")
        writer.wait_for(writer.written + WRITES_AFTER)
    finally:
        writer.stop.set()
        writer.join(timeout=WRITER_SECONDS)
    assert writer.error is None
    live_events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    backed_up = result.counts["audit_event"]
    # The backup was taken in the middle of the writes: some before it, more after.
    assert WRITES_BEFORE <= backed_up < live_events
    assert result.integrity.startswith("ok")
    assert result.counts["user"] == 6 and result.counts["certificate"] == 1
    assert result.manifest_path.is_file()

    fresh = scratch_url()
    restored = restore_database(fresh, result.path)

    assert restored.integrity.startswith("ok")
    assert restored.mismatches == {}
    assert restored.counts == result.counts
    assert _counts(fresh) == result.counts


def _scratch_app(url):
    class ScratchConfig(_TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(ScratchConfig)
    register_backup_commands(app)
    return app


def _filled_scratch(url, users=3):
    from lms.auth.operations import create_user

    app = _scratch_app(url)
    with app.app_context():
        db.create_all()
        for number in range(users):
            create_user(email=f"person{number}@example.org", password="a long enough passphrase", name=f"P {number}")
        audit.record("backup.test_write", target="cli")
        db.session.commit()
    return app


def _dispose(app):
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_commands_back_up_and_restore_and_print_what_they_did(tmp_path, scratch_url):
    source = _filled_scratch(scratch_url())
    path = tmp_path / "nightly" / "lms.backup"
    made = source.test_cli_runner().invoke(args=["db", "backup", str(path)])
    assert made.exit_code == 0, made.output
    assert "Rows per table at the moment of the backup:" in made.output
    assert "Integrity: ok" in made.output
    assert [line.split() for line in made.output.splitlines() if line.strip().startswith("user ")] == [["user", "3"]]

    again = source.test_cli_runner().invoke(args=["db", "backup", str(path)])
    assert again.exit_code == 1 and "already exists" in again.output

    target = _scratch_app(scratch_url())
    refused = target.test_cli_runner().invoke(args=["db", "restore", str(path)])
    assert refused.exit_code == 1 and "--yes" in refused.output
    restored = target.test_cli_runner().invoke(args=["db", "restore", str(path), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert "Every table has the row count recorded in the backup's manifest." in restored.output
    with target.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 1
    _dispose(source)
    _dispose(target)


def test_a_damaged_backup_is_refused_before_anything_changes(tmp_path, scratch_url):
    source_url, target_url = scratch_url(), scratch_url()
    _dispose(_filled_scratch(source_url, users=2))
    result = backup_database(source_url, tmp_path / "x.backup")
    _dispose(_filled_scratch(target_url, users=5))
    with open(result.path, "r+b") as handle:
        handle.seek(result.size // 2)
        handle.write(b"\xff\x00damage")
    with pytest.raises(BackupError, match="does not match its manifest"):
        restore_database(target_url, result.path)
    assert _counts(target_url)["user"] == 5


def test_restoring_reports_tables_that_differ_from_the_manifest(tmp_path, scratch_url):
    source_url = scratch_url()
    _dispose(_filled_scratch(source_url, users=2))
    result = backup_database(source_url, tmp_path / "y.backup")
    manifest = result.manifest_path.read_text(encoding="utf-8").replace('"user": 2', '"user": 7')
    result.manifest_path.write_text(manifest, encoding="utf-8")
    restored = restore_database(scratch_url(), result.path)
    assert restored.mismatches == {"user": (7, 2)}


def test_a_missing_pg_dump_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(BackupError, match="pg_dump was not found on PATH"):
        backup_database("postgresql+psycopg://lms@db.invalid/lms", tmp_path / "z.backup")


def test_an_in_memory_database_cannot_be_backed_up(tmp_path):
    with pytest.raises(BackupError, match="in-memory"):
        backup_database("sqlite://", tmp_path / "m.backup")


def test_the_commands_join_flask_migrates_db_group(app):
    register_backup_commands(app)
    register_backup_commands(app)  # twice changes nothing
    group = app.cli.commands["db"]
    assert group.commands["backup"] is backup.backup_command
    assert group.commands["restore"] is backup.restore_command
    assert "upgrade" in group.commands
