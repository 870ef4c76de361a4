"""Reads for attempt and result pages, in a fixed number of queries."""

from dataclasses import dataclass

from sqlalchemy import select

from lms.curricula.models import Choice, Question
from lms.extensions import db
from lms.learning.models import Enrollment
from lms.quizzes.models import Answer, Attempt


@dataclass(frozen=True)
class ChoiceView:
    id: int
    text: str
    is_correct: bool


@dataclass(frozen=True)
class ChoiceOption:
    """A choice as the attempt page shows it: deliberately without its correctness."""

    id: int
    text: str


@dataclass(frozen=True)
class AttemptQuestion:
    """A question as the attempt page shows it, before grading: no answer key, no explanation."""

    position: int
    question_id: int
    type: str
    prompt: str
    choices: tuple[ChoiceOption, ...]
    selected: tuple[int, ...]


@dataclass(frozen=True)
class AttemptItem:
    position: int
    question_id: int
    type: str
    prompt: str
    explanation: str
    choices: tuple[ChoiceView, ...]
    selected: tuple[int, ...]
    score: float | None

    @property
    def correct(self):
        return self.score == 1.0


def attempt_with_owner(attempt_id):
    """(attempt, enrollment) or None, in one query."""
    row = db.session.execute(
        select(Attempt, Enrollment).join(Enrollment, Attempt.enrollment_id == Enrollment.id)
        .where(Attempt.id == attempt_id)).first()
    return tuple(row) if row else None


def attempt_questions(attempt_id):
    """The open attempt's questions and choices in the order shown to this learner, in three
    queries. Only choice ids and texts are read, so no answer key can reach the page."""
    answers = db.session.scalars(select(Answer).where(Answer.attempt_id == attempt_id)
                                 .order_by(Answer.position)).all()
    question_ids = {answer.question_id for answer in answers}
    questions = {row.id: row for row in db.session.execute(
        select(Question.id, Question.type, Question.prompt).where(Question.id.in_(question_ids)))}
    texts = dict(db.session.execute(select(Choice.id, Choice.text).where(Choice.question_id.in_(question_ids))).all())
    return [AttemptQuestion(answer.position, answer.question_id, questions[answer.question_id].type,
                            questions[answer.question_id].prompt,
                            tuple(ChoiceOption(choice_id, texts[choice_id]) for choice_id in answer.choice_order
                                  if choice_id in texts),
                            tuple(answer.selected or ()))
            for answer in answers]


def attempt_items(attempt_id):
    """The graded attempt's questions with their choices in the order shown, answer key included."""
    return items_for_attempts([attempt_id]).get(attempt_id, [])


def items_for_attempts(attempt_ids):
    """{attempt id: its items}, for any number of attempts in three queries."""
    answers = db.session.scalars(select(Answer).where(Answer.attempt_id.in_(attempt_ids))
                                 .order_by(Answer.attempt_id, Answer.position)).all()
    question_ids = {answer.question_id for answer in answers}
    questions = {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(question_ids)))}
    choices = {c.id: c for c in db.session.scalars(select(Choice).where(Choice.question_id.in_(question_ids)))}
    items = {}
    for answer in answers:
        question = questions[answer.question_id]
        shown = tuple(ChoiceView(c.id, c.text, c.is_correct)
                      for c in (choices.get(choice_id) for choice_id in answer.choice_order) if c is not None)
        items.setdefault(answer.attempt_id, []).append(AttemptItem(
            answer.position, question.id, question.type, question.prompt, question.explanation, shown,
            tuple(answer.selected or ()), answer.score))
    return items


def attempts_of(enrollment_id, quiz_id):
    return db.session.scalars(select(Attempt).where(Attempt.enrollment_id == enrollment_id,
                                                    Attempt.quiz_id == quiz_id).order_by(Attempt.number)).all()
