"""Quiz attempts: the questions drawn, the choice order shown, the answers and the grade."""

import enum

from lms.core.time import utcnow
from lms.extensions import db


class AttemptState(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


class Attempt(db.Model):
    __tablename__ = "attempt"

    id = db.Column(db.Integer, primary_key=True)
    enrollment_id = db.Column(db.Integer, db.ForeignKey("enrollment.id", ondelete="CASCADE"), nullable=False)
    quiz_id = db.Column(db.Integer, db.ForeignKey("quiz.id"), nullable=False, index=True)
    #: 1, 2, 3... per learner and quiz; the unique constraint makes starting exactly-once
    number = db.Column(db.Integer, nullable=False)
    #: only ever moves in_progress -> submitted, by a guarded UPDATE
    state = db.Column(db.String(16), nullable=False, default=AttemptState.IN_PROGRESS.value)
    started_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    #: when a timed attempt must be in (time limit x accommodation); null when untimed
    deadline_at = db.Column(db.DateTime)
    submitted_at = db.Column(db.DateTime)
    #: percent, 0-100, two decimals
    score = db.Column(db.Numeric(5, 2))
    passed = db.Column(db.Boolean)
    #: true when the submission arrived after the deadline and its grace
    late = db.Column(db.Boolean, nullable=False, default=False)

    quiz = db.relationship("Quiz", lazy="raise")
    answers = db.relationship("Answer", back_populates="attempt", order_by="Answer.position", lazy="raise")

    __table_args__ = (
        db.UniqueConstraint("enrollment_id", "quiz_id", "number"),
        db.CheckConstraint("state IN ('in_progress', 'submitted')", name="state_known"),
        db.Index("ix_attempt_enrollment_quiz_state", "enrollment_id", "quiz_id", "state"),
    )

    @property
    def is_open(self):
        return self.state == AttemptState.IN_PROGRESS


class Answer(db.Model):
    __tablename__ = "answer"

    id = db.Column(db.Integer, primary_key=True)
    attempt_id = db.Column(db.Integer, db.ForeignKey("attempt.id", ondelete="CASCADE"), nullable=False)
    question_id = db.Column(db.Integer, db.ForeignKey("question.id"), nullable=False, index=True)
    #: order of the question on the attempt page, from 1
    position = db.Column(db.Integer, nullable=False)
    #: choice ids in the shuffled order shown to this learner
    choice_order = db.Column(db.JSON, nullable=False)
    #: choice ids the learner selected (empty until submitted)
    selected = db.Column(db.JSON, nullable=False, default=list)
    #: 0.0-1.0 once graded
    score = db.Column(db.Float)

    attempt = db.relationship("Attempt", back_populates="answers", lazy="raise")

    __table_args__ = (db.UniqueConstraint("attempt_id", "question_id"),)


class AttemptGrant(db.Model):
    """One extra attempt granted by a trainer beyond the quiz's maximum."""

    __tablename__ = "attempt_grant"

    id = db.Column(db.Integer, primary_key=True)
    enrollment_id = db.Column(db.Integer, db.ForeignKey("enrollment.id", ondelete="CASCADE"), nullable=False)
    quiz_id = db.Column(db.Integer, db.ForeignKey("quiz.id"), nullable=False)
    granted_by_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="SET NULL"))
    granted_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    reason = db.Column(db.String(500), nullable=False, default="")

    __table_args__ = (db.Index("ix_attempt_grant_enrollment_quiz", "enrollment_id", "quiz_id"),)
