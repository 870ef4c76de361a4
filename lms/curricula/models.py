"""Content imported from the curriculum files: curriculum, day, module, objective, lesson, quiz,
question, choice. Rows carry the files' stable keys; removed content is retired, never deleted."""

import enum

from lms.core.time import utcnow
from lms.extensions import db


class Level(enum.StrEnum):
    CORE = "core"
    INTRODUCTORY = "introductory"
    ADVANCED = "advanced"


class QuizKind(enum.StrEnum):
    MODULE = "module"
    PRETEST = "pretest"
    POSTTEST = "posttest"


class QuestionType(enum.StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"


class RetirableMixin:
    #: set when the item disappears from the files; history keeps pointing at it
    retired_at = db.Column(db.DateTime)

    @property
    def is_retired(self):
        return self.retired_at is not None


class Curriculum(db.Model):
    __tablename__ = "curriculum"

    id = db.Column(db.Integer, primary_key=True)
    key = db.Column(db.String(64), nullable=False, unique=True)
    title = db.Column(db.String(255), nullable=False)
    summary = db.Column(db.Text, nullable=False, default="")
    credit_hours = db.Column(db.Numeric(5, 2), nullable=False)
    #: Day 2 opens only when Day 1 is complete
    sequential_days = db.Column(db.Boolean, nullable=False, default=True)
    #: sha256 of the curriculum's files at the last import
    version = db.Column(db.String(64), nullable=False)
    imported_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    days = db.relationship("Day", back_populates="curriculum", order_by="Day.number", lazy="raise")
    modules = db.relationship("Module", back_populates="curriculum", order_by="Module.position", lazy="raise")
    quizzes = db.relationship("Quiz", back_populates="curriculum", lazy="raise")


class Day(db.Model):
    __tablename__ = "day"

    id = db.Column(db.Integer, primary_key=True)
    curriculum_id = db.Column(db.Integer, db.ForeignKey("curriculum.id", ondelete="CASCADE"), nullable=False)
    number = db.Column(db.Integer, nullable=False)
    title = db.Column(db.String(255), nullable=False)

    curriculum = db.relationship("Curriculum", back_populates="days", lazy="raise")
    modules = db.relationship("Module", back_populates="day", order_by="Module.position", lazy="raise")

    __table_args__ = (db.UniqueConstraint("curriculum_id", "number"),)


class Module(RetirableMixin, db.Model):
    __tablename__ = "module"

    id = db.Column(db.Integer, primary_key=True)
    curriculum_id = db.Column(db.Integer, db.ForeignKey("curriculum.id", ondelete="CASCADE"), nullable=False)
    day_id = db.Column(db.Integer, db.ForeignKey("day.id"), nullable=False, index=True)
    key = db.Column(db.String(64), nullable=False)
    title = db.Column(db.String(255), nullable=False)
    #: core | introductory | advanced: decides on which tracks the module is required
    level = db.Column(db.String(16), nullable=False)
    minutes = db.Column(db.Integer, nullable=False)
    summary = db.Column(db.Text, nullable=False, default="")
    #: order within the curriculum (day by day)
    position = db.Column(db.Integer, nullable=False)

    curriculum = db.relationship("Curriculum", back_populates="modules", lazy="raise")
    day = db.relationship("Day", back_populates="modules", lazy="raise")
    objectives = db.relationship("Objective", back_populates="module", order_by="Objective.position", lazy="raise")
    lessons = db.relationship("Lesson", back_populates="module", order_by="Lesson.position", lazy="raise")

    __table_args__ = (
        db.UniqueConstraint("curriculum_id", "key"),
        db.CheckConstraint("level IN ('core', 'introductory', 'advanced')", name="level_known"),
    )


class Objective(RetirableMixin, db.Model):
    __tablename__ = "objective"

    id = db.Column(db.Integer, primary_key=True)
    module_id = db.Column(db.Integer, db.ForeignKey("module.id", ondelete="CASCADE"), nullable=False)
    key = db.Column(db.String(64), nullable=False)
    text = db.Column(db.Text, nullable=False)
    position = db.Column(db.Integer, nullable=False)

    module = db.relationship("Module", back_populates="objectives", lazy="raise")

    __table_args__ = (db.UniqueConstraint("module_id", "key"),)


class Lesson(RetirableMixin, db.Model):
    __tablename__ = "lesson"

    id = db.Column(db.Integer, primary_key=True)
    module_id = db.Column(db.Integer, db.ForeignKey("module.id", ondelete="CASCADE"), nullable=False)
    key = db.Column(db.String(64), nullable=False)
    title = db.Column(db.String(255), nullable=False)
    #: rendered and sanitized once, at import
    body_html = db.Column(db.Text, nullable=False)
    #: sha256 of the Markdown source, for change detection and ETags
    source_hash = db.Column(db.String(64), nullable=False)
    word_count = db.Column(db.Integer, nullable=False)
    position = db.Column(db.Integer, nullable=False)

    module = db.relationship("Module", back_populates="lessons", lazy="raise")

    __table_args__ = (db.UniqueConstraint("module_id", "key"),)


class Quiz(db.Model):
    __tablename__ = "quiz"

    id = db.Column(db.Integer, primary_key=True)
    curriculum_id = db.Column(db.Integer, db.ForeignKey("curriculum.id", ondelete="CASCADE"), nullable=False)
    #: the module's key for a module quiz; "pretest" or "posttest" otherwise
    key = db.Column(db.String(64), nullable=False)
    kind = db.Column(db.String(16), nullable=False)
    module_id = db.Column(db.Integer, db.ForeignKey("module.id", ondelete="CASCADE"), unique=True)
    title = db.Column(db.String(255), nullable=False)
    #: percent needed to pass; null for a pre-test
    pass_mark = db.Column(db.Integer)
    #: null means unlimited
    max_attempts = db.Column(db.Integer)
    #: questions drawn per attempt; null means the whole bank
    draw = db.Column(db.Integer)
    partial_credit = db.Column(db.Boolean, nullable=False, default=False)
    time_limit_minutes = db.Column(db.Integer)

    curriculum = db.relationship("Curriculum", back_populates="quizzes", lazy="raise")
    module = db.relationship("Module", lazy="raise")
    questions = db.relationship("Question", back_populates="quiz", order_by="Question.position", lazy="raise")

    __table_args__ = (
        db.UniqueConstraint("curriculum_id", "key"),
        db.CheckConstraint("kind IN ('module', 'pretest', 'posttest')", name="kind_known"),
    )


class Question(RetirableMixin, db.Model):
    __tablename__ = "question"

    id = db.Column(db.Integer, primary_key=True)
    quiz_id = db.Column(db.Integer, db.ForeignKey("quiz.id", ondelete="CASCADE"), nullable=False)
    key = db.Column(db.String(64), nullable=False)
    type = db.Column(db.String(16), nullable=False)
    prompt = db.Column(db.Text, nullable=False)
    explanation = db.Column(db.Text, nullable=False)
    objective_id = db.Column(db.Integer, db.ForeignKey("objective.id"), nullable=False, index=True)
    position = db.Column(db.Integer, nullable=False)

    quiz = db.relationship("Quiz", back_populates="questions", lazy="raise")
    objective = db.relationship("Objective", lazy="raise")
    choices = db.relationship("Choice", back_populates="question", order_by="Choice.position", lazy="raise")

    __table_args__ = (
        db.UniqueConstraint("quiz_id", "key"),
        db.CheckConstraint("type IN ('single', 'multiple', 'true_false')", name="type_known"),
    )


class Choice(RetirableMixin, db.Model):
    __tablename__ = "choice"

    id = db.Column(db.Integer, primary_key=True)
    question_id = db.Column(db.Integer, db.ForeignKey("question.id", ondelete="CASCADE"), nullable=False)
    key = db.Column(db.String(32), nullable=False)
    text = db.Column(db.Text, nullable=False)
    is_correct = db.Column(db.Boolean, nullable=False)
    position = db.Column(db.Integer, nullable=False)

    question = db.relationship("Question", back_populates="choices", lazy="raise")

    __table_args__ = (db.UniqueConstraint("question_id", "key"),)
