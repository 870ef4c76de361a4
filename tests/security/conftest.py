import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import DATABASE_URL, _TestConfig
from tests.security.world import build_world


class CsrfConfig(_TestConfig):
    """The test settings with CSRF protection on, as in production."""

    WTF_CSRF_ENABLED = True


@pytest.fixture
def world(make_user):
    return build_world(make_user)


@pytest.fixture
def scratch_url(tmp_path):
    """Make empty databases of the suite's kind: `scratch_url()` returns the URL of a new SQLite file
    or of a new PostgreSQL database (dropped at the end of the test)."""
    url = make_url(DATABASE_URL)
    created = []

    def make():
        name = f"lms_scratch_{uuid.uuid4().hex[:10]}"
        if url.get_backend_name() == "sqlite":
            return f"sqlite:///{tmp_path / (name + '.sqlite3')}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        return url.set(database=name).render_as_string(hide_password=False)

    admin = None if url.get_backend_name() == "sqlite" else create_engine(url, isolation_level="AUTOCOMMIT")
    yield make
    if admin is not None:
        with admin.connect() as connection:
            for name in created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
