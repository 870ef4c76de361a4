"""Migrations upgrade and downgrade cleanly and match the models, on SQLite and PostgreSQL."""

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from lms import create_app
from lms.extensions import db
from tests.conftest import DATABASE_URL, _TestConfig


@pytest.fixture
def scratch_url(tmp_path):
    """An empty database of the same kind as the suite's: a new SQLite file or a new PostgreSQL database."""
    url = make_url(DATABASE_URL)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    name = f"lms_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _app_for(url):
    class ScratchConfig(_TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    return create_app(ScratchConfig)


def _tables(engine):
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade_and_match_models(scratch_url):
    app = _app_for(scratch_url)
    with app.app_context():
        upgrade()
        assert _tables(db.engine) == set(db.metadata.tables)
        downgrade(revision="base")
        assert _tables(db.engine) == set()
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == []
        db.engine.dispose()


def test_every_revision_file_has_a_reviewed_name():
    versions = os.path.join(os.path.dirname(__file__), "..", "migrations", "versions")
    names = sorted(name for name in os.listdir(versions) if name.endswith(".py"))
    assert names and all(name[:4].isdigit() and "_" in name for name in names)


def _rows_pointing_at_users(connection):
    return (connection.execute(text("SELECT count(*) FROM mfa_recovery_code")).scalar_one(),
            connection.execute(text("SELECT actor_id FROM audit_event")).scalar_one())


def test_name_search_keys_are_filled_in_place_for_existing_people(scratch_url):
    """Filled for existing rows, and added and removed without copying the user table, which
    would delete (CASCADE) or blank (SET NULL) the rows that point at it."""
    app = _app_for(scratch_url)
    with app.app_context():
        upgrade(revision="0005_evaluations")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO \"user\" (id, email, password_hash, role, name, agency, discipline, jurisdiction, "
                "active, session_version, time_accommodation, created_at) VALUES (7, 'c@example.org', 'x', "
                "'trainee', 'Chloé  ŊA Begay', '', '', '', true, 1, 1.0, '2026-01-01 00:00:00')"))
            connection.execute(text("INSERT INTO mfa_recovery_code (user_id, code_hash, created_at) "
                                    "VALUES (7, 'h', '2026-01-01 00:00:00')"))
            connection.execute(text("INSERT INTO audit_event (occurred_at, actor_id, action, outcome, details) "
                                    "VALUES ('2026-01-01 00:00:00', 7, 'auth.login', 'success', '{}')"))
        upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(text('SELECT name_key FROM "user"')).scalar_one() == "chloe ŋa begay"
            assert _rows_pointing_at_users(connection) == (1, 7)
        downgrade(revision="0005_evaluations")
        with db.engine.connect() as connection:
            assert "name_key" not in {column["name"] for column in inspect(connection).get_columns("user")}
            assert _rows_pointing_at_users(connection) == (1, 7)
        db.engine.dispose()


def test_upgrading_a_database_with_records_keeps_every_record(scratch_url):
    """0003 rebuilds the enrollment table on SQLite (a new foreign key); with the app's foreign
    keys on, dropping the old table fails when a certificate points at it, and rows with
    ON DELETE CASCADE would go with it. Migrations run with foreign keys off and checked after."""
    app = _app_for(scratch_url)
    with app.app_context():
        upgrade(revision="0002_certificates")
        with db.engine.begin() as connection:
            for statement in (
                "INSERT INTO curriculum (id, key, title, summary, credit_hours, sequential_days, version, imported_at) "
                "VALUES (1, 'c', 'C', '', 14, true, 'v1', '2026-01-01 00:00:00')",
                "INSERT INTO \"user\" (id, email, password_hash, role, name, agency, discipline, jurisdiction, active, "
                "session_version, time_accommodation, created_at) VALUES (7, 'c@example.org', 'x', 'trainee', 'Ana', "
                "'', '', '', true, 1, 1.0, '2026-01-01 00:00:00')",
                "INSERT INTO enrollment (id, user_id, curriculum_id, track, enrolled_at, completed_at, "
                "last_activity_at) VALUES (3, 7, 1, 'introductory', '2026-01-01 00:00:00', '2026-01-02 00:00:00', "
                "'2026-01-02 00:00:00')",
                "INSERT INTO certificate (code, enrollment_id, sequence, user_id, curriculum_id, learner_name, "
                "curriculum_title, curriculum_version, track, credit_hours, completed_at, issued_at) VALUES "
                "('ABCDEFGHJKMN', 3, 1, 7, 1, 'Ana', 'C', 'v1', 'introductory', 14, '2026-01-02 00:00:00', "
                "'2026-01-02 00:00:00')",
            ):
                connection.execute(text(statement))
        upgrade()
        with db.engine.connect() as connection:
            certificate = connection.execute(text("SELECT enrollment_id, learner_name_key FROM certificate")).one()
            assert tuple(certificate) == (3, "ana")
            assert connection.execute(text("SELECT cohort_id FROM enrollment")).scalar_one() is None
        db.engine.dispose()


def test_mfa_secrets_are_sealed_on_upgrade_and_opened_on_downgrade(scratch_url):
    from lms.auth.sealing import unseal

    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    app = _app_for(scratch_url)
    with app.app_context():
        upgrade(revision="0007_evaluation_prompted_once")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO \"user\" (id, email, password_hash, role, name, name_key, agency, discipline, "
                "jurisdiction, active, session_version, time_accommodation, created_at, mfa_secret) VALUES "
                "(7, 't@example.org', 'x', 'trainer', 'Tia', 'tia', '', '', '', true, 1, 1.0, "
                "'2026-01-01 00:00:00', :secret)"), {"secret": secret})
        upgrade()
        with db.engine.connect() as connection:
            sealed = connection.execute(text('SELECT mfa_secret_sealed FROM "user"')).scalar_one()
        assert secret not in sealed and unseal(sealed) == secret
        assert "mfa_secret" not in {column["name"] for column in inspect(db.engine).get_columns("user")}
        downgrade(revision="0007_evaluation_prompted_once")
        with db.engine.connect() as connection:
            assert connection.execute(text('SELECT mfa_secret FROM "user"')).scalar_one() == secret
        db.engine.dispose()
