"""The audit log: one structured row per security-relevant event, never edited through the app."""

from flask import has_request_context, request
from sqlalchemy import JSON

from lms.core.time import utcnow
from lms.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_event"

    id = db.Column(db.Integer, primary_key=True)
    #: UTC time of the event
    occurred_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    #: the user who acted, if anyone was logged in
    actor_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    ip_address = db.Column(db.String(64))
    #: dotted action name, e.g. "auth.login", "quiz.extra_attempt"
    action = db.Column(db.String(64), nullable=False, index=True)
    #: what the action was about, e.g. "user:12" or "curriculum:casom-basic"
    target = db.Column(db.String(128))
    #: "success", "failure" or "denied"
    outcome = db.Column(db.String(16), nullable=False, default="success")
    #: extra facts, stored as data so no value can forge a log line
    details = db.Column(JSON, nullable=False, default=dict)


def record(action, *, actor=None, target=None, outcome="success", **details):
    """Add an audit event to the session; the caller's transaction commits it."""
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        target=target,
        outcome=outcome,
        ip_address=request.remote_addr if has_request_context() else None,
        details={key: _plain(value) for key, value in details.items()},
    )
    db.session.add(event)
    return event


def _plain(value):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)
