import pytest
from sqlalchemy import select

from lms.core.audit import AuditEvent
from lms.extensions import db


@pytest.fixture
def admin(auth, make_user):
    """An admin, logged in on `client`."""
    user = make_user("admin", name="Sam Keller")
    auth.login(user.email)
    return user


@pytest.fixture
def events():
    """The audit events with a given action, oldest first."""

    def find(action):
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()

    return find
