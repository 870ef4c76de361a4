"""Certificates: one per completed enrollment (plus reissues), never deleted; revocation is recorded."""

import enum

from sqlalchemy.orm import validates

from lms.certificates.codes import format_code
from lms.core.text import SEARCH_KEY_LENGTH, search_key, search_key_default
from lms.core.time import utcnow
from lms.extensions import db


class RevocationReason(enum.StrEnum):
    SUPERSEDED = "superseded"
    ISSUED_IN_ERROR = "issued_in_error"
    MISCONDUCT = "misconduct"
    OTHER = "other"


REVOCATION_LABELS = {
    RevocationReason.SUPERSEDED: "Superseded by a corrected certificate",
    RevocationReason.ISSUED_IN_ERROR: "Issued in error",
    RevocationReason.MISCONDUCT: "Revoked for academic misconduct",
    RevocationReason.OTHER: "Revoked by the program",
}


class Certificate(db.Model):
    __tablename__ = "certificate"

    id = db.Column(db.Integer, primary_key=True)
    #: 12 Crockford base32 symbols (60 random bits); shown as CASOM-XXXX-XXXX-XXXX
    code = db.Column(db.String(12), nullable=False, unique=True)
    enrollment_id = db.Column(db.Integer, db.ForeignKey("enrollment.id"), nullable=False)
    #: 1 for the certificate issued at completion, 2+ for reissues; unique per enrollment
    sequence = db.Column(db.Integer, nullable=False, default=1)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    curriculum_id = db.Column(db.Integer, db.ForeignKey("curriculum.id"), nullable=False)
    # What the certificate says is copied at issue, so later edits never change an issued record.
    learner_name = db.Column(db.String(120), nullable=False)
    #: the name folded for search (lms.core.text.search_key)
    learner_name_key = db.Column(db.String(SEARCH_KEY_LENGTH), nullable=False,
                                 default=search_key_default("learner_name"))
    curriculum_title = db.Column(db.String(255), nullable=False)
    curriculum_version = db.Column(db.String(64), nullable=False)
    track = db.Column(db.String(16), nullable=False)
    credit_hours = db.Column(db.Numeric(5, 2), nullable=False)
    cohort_name = db.Column(db.String(160))
    trainer_names = db.Column(db.String(255))
    completed_at = db.Column(db.DateTime, nullable=False)
    issued_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    #: set once; the record stays so the public page can say it was revoked
    revoked_at = db.Column(db.DateTime)
    revocation_reason = db.Column(db.String(32))
    revocation_note = db.Column(db.String(500))
    revoked_by_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="SET NULL"))

    __table_args__ = (
        db.UniqueConstraint("enrollment_id", "sequence"),
        db.CheckConstraint(
            "revocation_reason IS NULL OR revocation_reason IN "
            "('superseded', 'issued_in_error', 'misconduct', 'other')", name="reason_known"),
    )

    @validates("learner_name")
    def _keep_name_key(self, _, name):
        self.learner_name_key = search_key(name)
        return name

    @property
    def display_code(self):
        return format_code(self.code)

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def revocation_label(self):
        return REVOCATION_LABELS.get(self.revocation_reason, "") if self.revocation_reason else ""

    @property
    def status_index(self):
        """This certificate's bit in the published revocation status list."""
        return self.id
