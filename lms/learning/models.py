"""A learner's place in a curriculum: the enrollment and the lessons marked read."""

import enum

from lms.core.time import utcnow
from lms.extensions import db


class Track(enum.StrEnum):
    INTRODUCTORY = "introductory"
    ADVANCED = "advanced"


TRACK_LABELS = {
    Track.INTRODUCTORY: "Introductory (newly hired officers)",
    Track.ADVANCED: "Advanced (specialized caseload staff)",
}


class Enrollment(db.Model):
    __tablename__ = "enrollment"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    curriculum_id = db.Column(db.Integer, db.ForeignKey("curriculum.id"), nullable=False, index=True)
    #: introductory | advanced: decides which modules are required
    track = db.Column(db.String(16), nullable=False)
    enrolled_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    #: set once, in the transaction that meets the last requirement
    completed_at = db.Column(db.DateTime)
    #: last time the learner read a lesson or submitted a quiz (for "at risk" flags)
    last_activity_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    #: the cohort (delivery) this enrollment belongs to, if any
    cohort_id = db.Column(db.Integer, db.ForeignKey("cohort.id", ondelete="SET NULL"), index=True)
    #: "AB": pre-test form first (the default); "BA": the post-test form first (crossover cohorts)
    form_order = db.Column(db.String(2), nullable=False, default="AB", server_default="AB")

    user = db.relationship("User", lazy="raise")
    curriculum = db.relationship("Curriculum", lazy="raise")

    __table_args__ = (
        db.UniqueConstraint("user_id", "curriculum_id"),
        db.CheckConstraint("track IN ('introductory', 'advanced')", name="track_known"),
    )


class LessonProgress(db.Model):
    __tablename__ = "lesson_progress"

    id = db.Column(db.Integer, primary_key=True)
    enrollment_id = db.Column(db.Integer, db.ForeignKey("enrollment.id", ondelete="CASCADE"), nullable=False)
    lesson_id = db.Column(db.Integer, db.ForeignKey("lesson.id"), nullable=False, index=True)
    completed_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (db.UniqueConstraint("enrollment_id", "lesson_id"),)
