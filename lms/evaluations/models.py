"""The end-of-course training evaluation: its content (imported from evaluation.yaml) and the
anonymous responses.

Anonymity is a property of the schema, not of the pages: a response has no user, enrollment,
attempt or certificate column, and nothing on the learner's side (the receipt) points at it.

- EvaluationResponse.id is random, not a sequence, and answers and comments have no id of their
  own (their key is response + item/question; on SQLite they are WITHOUT ROWID tables, so no
  hidden rowid counts them either): no column orders the responses by arrival, so the Nth
  receipt cannot be matched to the Nth response.
- A response stores the day it was sent, not the time (`submitted_on`): a timestamp to the second
  beside the receipt's would pair each response with its learner.
- A response keeps its cohort (for the cohort summary) and curriculum; reports show nothing but a
  count for fewer than five responses, and add responses to their figures only from days that
  are over, five or more at a time (lms.evaluations.summary).

What this does not hide: someone with direct access to the database server (not the app) can
still read storage-level traces, such as PostgreSQL's transaction id of each row (xmin), which
the response and the receipt share. See docs/trainers-evaluation.md, "Anonymity".
"""

import enum
import secrets

from lms.curricula.models import RetirableMixin
from lms.extensions import db

#: the five points of the agreement scale, stored as 1..5
LIKERT_LABELS = {1: "Strongly disagree", 2: "Disagree", 3: "Neither agree nor disagree", 4: "Agree",
                 5: "Strongly agree"}
COMMENT_MAX_CHARS = 2000


#: 64-bit on PostgreSQL; on SQLite an INTEGER PRIMARY KEY (64-bit too) is the rowid itself, so
#: rows are stored in the order of their random ids rather than of their arrival
ResponseId = db.BigInteger().with_variant(db.Integer(), "sqlite")


def random_response_id():
    """A random positive 62-bit id: unique in practice, and carrying no order of arrival."""
    return secrets.randbits(62) or 1


class EvaluationItem(RetirableMixin, db.Model):
    """A statement rated strongly disagree (1) .. strongly agree (5), about a day, a module or the
    course as a whole."""

    __tablename__ = "evaluation_item"

    id = db.Column(db.Integer, primary_key=True)
    curriculum_id = db.Column(db.Integer, db.ForeignKey("curriculum.id", ondelete="CASCADE"), nullable=False)
    #: stable key from evaluation.yaml, unique within the curriculum's evaluation
    key = db.Column(db.String(64), nullable=False)
    text = db.Column(db.Text, nullable=False)
    #: heading of the item's group: "Day 1: ...", the module's title, or the author's title
    section = db.Column(db.String(255), nullable=False)
    #: the day the group is about (null for a module or whole-course group)
    day_number = db.Column(db.Integer)
    #: the module the group is about (null for a day or whole-course group)
    module_id = db.Column(db.Integer, db.ForeignKey("module.id", ondelete="SET NULL"), index=True)
    #: order in the survey, from 1
    position = db.Column(db.Integer, nullable=False)

    __table_args__ = (
        db.UniqueConstraint("curriculum_id", "key"),
        db.CheckConstraint("day_number IS NULL OR module_id IS NULL", name="one_subject"),
    )


class EvaluationQuestion(RetirableMixin, db.Model):
    """An open question answered in free text."""

    __tablename__ = "evaluation_question"

    id = db.Column(db.Integer, primary_key=True)
    curriculum_id = db.Column(db.Integer, db.ForeignKey("curriculum.id", ondelete="CASCADE"), nullable=False)
    key = db.Column(db.String(64), nullable=False)
    text = db.Column(db.Text, nullable=False)
    position = db.Column(db.Integer, nullable=False)

    __table_args__ = (db.UniqueConstraint("curriculum_id", "key"),)


class EvaluationResponse(db.Model):
    """One submitted survey. Deliberately without any column naming who sent it."""

    __tablename__ = "evaluation_response"

    #: random (random_response_id), so that ids do not reveal the order responses arrived in
    id = db.Column(ResponseId, primary_key=True, autoincrement=False, default=random_response_id)
    curriculum_id = db.Column(db.Integer, db.ForeignKey("curriculum.id", ondelete="CASCADE"), nullable=False,
                              index=True)
    #: the learner's cohort when they sent it; null for a self-paced enrollment
    cohort_id = db.Column(db.Integer, db.ForeignKey("cohort.id", ondelete="SET NULL"), index=True)
    #: the UTC day it was sent: a date, never a time (a time would match the receipt's)
    submitted_on = db.Column(db.Date, nullable=False)


class EvaluationAnswer(db.Model):
    """A rating of one item in one response; null when the learner left the item blank."""

    __tablename__ = "evaluation_answer"

    response_id = db.Column(ResponseId, db.ForeignKey("evaluation_response.id", ondelete="CASCADE"),
                            primary_key=True)
    item_id = db.Column(db.Integer, db.ForeignKey("evaluation_item.id", ondelete="CASCADE"), primary_key=True,
                        index=True)
    #: 1 strongly disagree .. 5 strongly agree; null = no answer
    value = db.Column(db.Integer)

    __table_args__ = (db.CheckConstraint("value IS NULL OR (value >= 1 AND value <= 5)", name="value_on_scale"),
                      {"sqlite_with_rowid": False})


class EvaluationComment(db.Model):
    """A free-text answer: plain text, shown escaped, never as HTML. Blank answers are not stored."""

    __tablename__ = "evaluation_comment"

    response_id = db.Column(ResponseId, db.ForeignKey("evaluation_response.id", ondelete="CASCADE"),
                            primary_key=True)
    question_id = db.Column(db.Integer, db.ForeignKey("evaluation_question.id", ondelete="CASCADE"),
                            primary_key=True, index=True)
    #: at most COMMENT_MAX_CHARS characters
    text = db.Column(db.Text, nullable=False)

    __table_args__ = ({"sqlite_with_rowid": False},)


class ReceiptState(enum.StrEnum):
    SUBMITTED = "submitted"
    DECLINED = "declined"
    PROMPTED = "prompted"


class EvaluationReceipt(db.Model):
    """The learner's side: this enrollment was shown the prompt, said "No thanks", or sent its
    evaluation. It never names the response; its primary key is the enrollment, so there is at
    most one, and a second submit finds it and changes nothing."""

    __tablename__ = "evaluation_receipt"

    enrollment_id = db.Column(db.Integer, db.ForeignKey("enrollment.id", ondelete="CASCADE"), primary_key=True)
    #: when the dashboard or curriculum page first showed the prompt: it is not shown again
    prompted_at = db.Column(db.DateTime)
    #: when the learner chose "No thanks": the survey stays open to them but is no longer pushed
    declined_at = db.Column(db.DateTime)
    #: when the response was stored; set once, by a guarded write
    submitted_at = db.Column(db.DateTime)

    __table_args__ = (
        db.CheckConstraint("prompted_at IS NOT NULL OR declined_at IS NOT NULL OR submitted_at IS NOT NULL",
                           name="state_recorded"),
    )

    @property
    def state(self):
        if self.submitted_at is not None:
            return ReceiptState.SUBMITTED
        return ReceiptState.DECLINED if self.declined_at is not None else ReceiptState.PROMPTED
