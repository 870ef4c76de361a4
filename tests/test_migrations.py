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


def test_name_search_keys_are_filled_for_existing_people(scratch_url):
    app = _app_for(scratch_url)
    with app.app_context():
        upgrade(revision="0005_evaluations")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO \"user\" (email, password_hash, role, name, agency, discipline, jurisdiction, active, "
                "session_version, time_accommodation, created_at) VALUES ('c@example.org', 'x', 'trainee', "
                "'Chloé  ŊA Begay', '', '', '', true, 1, 1.0, '2026-01-01 00:00:00')"))
        upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(text('SELECT name_key FROM "user"')).scalar_one() == "chloe ŋa begay"
        downgrade(revision="0005_evaluations")
        with db.engine.connect() as connection:
            assert "name_key" not in {column["name"] for column in inspect(connection).get_columns("user")}
        db.engine.dispose()
