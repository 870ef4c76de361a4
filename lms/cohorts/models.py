"""Cohorts: a delivery of a curriculum to a group, with its trainers, roster, attendance and
check-in windows. A learner belongs to a cohort through their enrollment (enrollment.cohort_id)."""

import enum

from lms.core.time import utcnow
from lms.extensions import db


class DeliveryMode(enum.StrEnum):
    ONLINE = "online"
    IN_PERSON = "in_person"
    BLENDED = "blended"


DELIVERY_LABELS = {DeliveryMode.ONLINE: "Online", DeliveryMode.IN_PERSON: "In person",
                   DeliveryMode.BLENDED: "Blended"}


class Cohort(db.Model):
    __tablename__ = "cohort"

    id = db.Column(db.Integer, primary_key=True)
    curriculum_id = db.Column(db.Integer, db.ForeignKey("curriculum.id"), nullable=False, index=True)
    name = db.Column(db.String(160), nullable=False)
    location = db.Column(db.String(200), nullable=False, default="")
    #: online | in_person | blended; in-person and blended cohorts record attendance per day
    delivery_mode = db.Column(db.String(16), nullable=False, default=DeliveryMode.ONLINE.value)
    day1_date = db.Column(db.Date)
    day2_date = db.Column(db.Date)
    #: track given to learners who join by code or are added without one
    default_track = db.Column(db.String(16), nullable=False, default="introductory")
    #: 8 Crockford base32 symbols; learners type it to join
    join_code = db.Column(db.String(8), nullable=False, unique=True)
    join_open = db.Column(db.Boolean, nullable=False, default=True)
    #: half the roster takes the post-test form as its pre-test (counterbalanced knowledge gain)
    crossover_forms = db.Column(db.Boolean, nullable=False, default=False)
    created_by_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="SET NULL"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (
        db.CheckConstraint("delivery_mode IN ('online', 'in_person', 'blended')", name="mode_known"),
        db.CheckConstraint("default_track IN ('introductory', 'advanced')", name="track_known"),
    )

    @property
    def records_attendance(self):
        return self.delivery_mode != DeliveryMode.ONLINE


class CohortTrainer(db.Model):
    __tablename__ = "cohort_trainer"

    cohort_id = db.Column(db.Integer, db.ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True)


class Attendance(db.Model):
    __tablename__ = "attendance"

    id = db.Column(db.Integer, primary_key=True)
    enrollment_id = db.Column(db.Integer, db.ForeignKey("enrollment.id", ondelete="CASCADE"), nullable=False)
    day_number = db.Column(db.Integer, nullable=False)
    present = db.Column(db.Boolean, nullable=False)
    #: "roster" (marked by a trainer) or "check_in" (the learner entered the code in the window)
    method = db.Column(db.String(16), nullable=False)
    recorded_by_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="SET NULL"))
    recorded_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (db.UniqueConstraint("enrollment_id", "day_number"),)


class CheckInWindow(db.Model):
    __tablename__ = "check_in_window"

    id = db.Column(db.Integer, primary_key=True)
    cohort_id = db.Column(db.Integer, db.ForeignKey("cohort.id", ondelete="CASCADE"), nullable=False, index=True)
    day_number = db.Column(db.Integer, nullable=False)
    #: 6 digits, shown in the room; valid only between opens_at and closes_at
    code = db.Column(db.String(6), nullable=False)
    opens_at = db.Column(db.DateTime, nullable=False)
    closes_at = db.Column(db.DateTime, nullable=False)
    created_by_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="SET NULL"))


class Invitation(db.Model):
    """A one-time link that lets a learner added by a roster import set their password."""

    __tablename__ = "invitation"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True)
    #: sha256 of the token; the token itself is only ever in the link
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    expires_at = db.Column(db.DateTime, nullable=False)
    used_at = db.Column(db.DateTime)
    created_by_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="SET NULL"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
