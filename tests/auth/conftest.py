"""Helpers for the account-security tests: a clock the tests move, two-step verification set up
without the pages, TOTP codes for any time step, audit events by action."""

import datetime

import pyotp
import pytest
from sqlalchemy import select

import lms.core.time
from lms.auth import mfa
from lms.auth.models import User
from lms.core.audit import AuditEvent
from lms.extensions import db
from tests.conftest import PASSWORD


class Clock:
    """lms.core.time.utcnow, frozen at a moment the test moves forward."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += datetime.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    frozen = Clock(lms.core.time.utcnow())
    monkeypatch.setattr(lms.core.time, "utcnow", frozen)
    return frozen


@pytest.fixture
def enforce_mfa(app):
    """Two-step verification required for staff, as in development and production (TestingConfig turns
    it off so the rest of the suite can log staff in with a password alone)."""
    app.config["MFA_ENFORCED"] = True
    return app


def totp(secret, offset=0):
    """The TOTP code of `secret` for the current step (+ offset steps), by the app's clock."""
    return pyotp.TOTP(secret).generate_otp(mfa.current_step() + offset)


def reload(user):
    return db.session.get(User, user.id, populate_existing=True)


@pytest.fixture
def enroll():
    """Turn on two-step verification for `user` directly; returns (secret, recovery codes). The code used
    to confirm is the one of the previous step, so the current code is still unused."""

    def turn_on(user):
        secret = mfa.start_enrollment(user)
        codes = mfa.enable(user, totp(secret, -1))
        db.session.commit()
        assert codes is not None
        return secret, codes

    return turn_on


@pytest.fixture
def events():
    """The audit events with a given action, oldest first."""

    def find(action, outcome=None):
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        if outcome:
            query = query.where(AuditEvent.outcome == outcome)
        return db.session.scalars(query.execution_options(populate_existing=True)).all()

    return find


def login(client, email, password=PASSWORD, **query):
    return client.post("/login", query_string=query, data={"email": email, "password": password})
