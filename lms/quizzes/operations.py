"""Quiz writes: start (or resume) an attempt, save answers, submit exactly once, grant an attempt."""

import random

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from lms.core import audit
from lms.core.errors import DomainError, InvalidState, NotAllowed
from lms.core.time import utcnow
from lms.curricula.models import Choice, Question
from lms.extensions import db
from lms.learning import operations as learning
from lms.learning import queries as learning_queries
from lms.learning.models import Enrollment
from lms.learning.progress import curriculum_progress
from lms.quizzes import grading
from lms.quizzes.models import Answer, Attempt, AttemptGrant, AttemptState

_rng = random.SystemRandom()


def quiz_availability(outline, progress, quiz):
    """None if the learner may start `quiz` now, else the reason they may not."""
    if quiz.kind == "pretest":
        if progress.pretest_taken:
            return "You have already taken the pre-test."
        if not progress.pretest_open:
            return "The pre-test closes once you start the course, so it can measure what you knew before."
        return None
    if quiz.kind == "posttest":
        if not progress.posttest_open:
            remaining = [item for day in progress.days for item in day.remaining]
            return "The post-test opens when every required module of both days is complete. Still to do: " + \
                "; ".join(remaining)
        return None
    day = progress.day_of_module(outline.module_of_quiz(quiz.id).key)
    if day.locked:
        return f"Day {day.day.number} opens when Day {day.day.number - 1} is complete."
    return None


def attempts_summary(enrollment_id, quiz_id):
    """(attempts started, extra attempts granted) for one learner and quiz."""
    started = db.session.scalar(select(func.count()).select_from(Attempt).where(
        Attempt.enrollment_id == enrollment_id, Attempt.quiz_id == quiz_id)) or 0
    granted = db.session.scalar(select(func.count()).select_from(AttemptGrant).where(
        AttemptGrant.enrollment_id == enrollment_id, AttemptGrant.quiz_id == quiz_id)) or 0
    return started, granted


def open_attempt(enrollment_id, quiz_id):
    return db.session.scalar(select(Attempt).where(
        Attempt.enrollment_id == enrollment_id, Attempt.quiz_id == quiz_id,
        Attempt.state == AttemptState.IN_PROGRESS.value))


def start_attempt(enrollment, outline, quiz, user, rng=_rng):
    """Resume the open attempt, or draw a new one if attempts remain. Exactly once under races."""
    # Serialize starts per learner: on PostgreSQL a concurrent start waits here and then finds the
    # attempt the first one opened (SQLite posts already begin IMMEDIATE). The unique constraint on
    # (enrollment, quiz, number) below is the backstop if this lock is ever bypassed.
    db.session.execute(select(Enrollment.id).where(Enrollment.id == enrollment.id).with_for_update())
    existing = open_attempt(enrollment.id, quiz.id)
    if existing is not None:
        return existing
    progress = curriculum_progress(outline, learning_queries.learner_record(enrollment))
    reason = quiz_availability(outline, progress, quiz)
    if reason:
        raise NotAllowed(reason)
    started, granted = attempts_summary(enrollment.id, quiz.id)
    allowed = grading.attempts_allowed(quiz.max_attempts, granted)
    if allowed is not None and started >= allowed:
        raise InvalidState("You have used every attempt allowed for this quiz. Your trainer can grant another.")
    attempt = _new_attempt(enrollment, quiz, started + 1, user, rng)
    bank_quiz = _question_bank_for(enrollment, outline, quiz)
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
            db.session.flush()
            for answer in _drawn_answers(enrollment, bank_quiz, rng):
                answer.attempt_id = attempt.id
                db.session.add(answer)
    except IntegrityError:
        # Another request started this attempt number first: resume theirs.
        existing = open_attempt(enrollment.id, quiz.id)
        if existing is None:
            raise InvalidState("That attempt was just started and finished elsewhere. Reload the page.") from None
        return existing
    learning.touch(enrollment)
    return attempt


def _new_attempt(enrollment, quiz, number, user, rng):
    now = utcnow()
    return Attempt(enrollment_id=enrollment.id, quiz_id=quiz.id, number=number, started_at=now,
                   state=AttemptState.IN_PROGRESS.value,
                   deadline_at=grading.deadline(now, quiz.time_limit_minutes, user.time_accommodation or 1.0))


def _question_bank_for(enrollment, outline, quiz):
    """The quiz whose questions this learner answers: in a crossover cohort, learners on form
    order BA take the post-test form as their pre-test and the pre-test form as their post-test."""
    if enrollment.form_order == "BA" and outline.pretest and outline.posttest:
        if quiz.id == outline.pretest.id:
            return outline.posttest
        if quiz.id == outline.posttest.id:
            return outline.pretest
    return quiz


def _drawn_answers(enrollment, quiz, rng):
    bank = db.session.scalars(select(Question.id).where(
        Question.quiz_id == quiz.id, Question.retired_at.is_(None)).order_by(Question.position)).all()
    if not bank:
        raise InvalidState("This quiz has no questions yet.")
    seen = dict(db.session.execute(
        select(Answer.question_id, func.count()).join(Attempt)
        .where(Attempt.enrollment_id == enrollment.id, Answer.question_id.in_(bank))
        .group_by(Answer.question_id)).all())
    picked = grading.draw_questions(bank, seen, quiz.question_count, rng)
    choices = {}
    for question_id, choice_id in db.session.execute(
            select(Choice.question_id, Choice.id).where(Choice.question_id.in_(picked), Choice.retired_at.is_(None))
            .order_by(Choice.position)):
        choices.setdefault(question_id, []).append(choice_id)
    return [Answer(question_id=question_id, position=position, selected=[],
                   choice_order=grading.shuffled(choices.get(question_id, []), rng))
            for position, question_id in enumerate(picked, start=1)]


def attempt_answers(attempt_id):
    return db.session.scalars(select(Answer).where(Answer.attempt_id == attempt_id).order_by(Answer.position)).all()


def _question_types(answers):
    return dict(db.session.execute(
        select(Question.id, Question.type).where(Question.id.in_([a.question_id for a in answers]))).all())


def _clean_selections(answers, selections, question_types):
    """Keep only choice ids shown for each answer; refuse more than one for single-answer types."""
    cleaned = {}
    for answer in answers:
        chosen = [choice_id for choice_id in selections.get(answer.position, []) if choice_id in answer.choice_order]
        chosen = sorted(set(chosen))
        if question_types[answer.question_id] != "multiple" and len(chosen) > 1:
            raise DomainError(f"Question {answer.position} takes one answer.")
        cleaned[answer.position] = chosen
    return cleaned


def save_answers(attempt, selections, now=None):
    """Save answers without submitting (to resume later); refused once submitted or past time."""
    now = now or utcnow()
    if not attempt.is_open:
        raise InvalidState("This attempt has already been submitted.")
    if grading.is_late(now, attempt.deadline_at):
        raise InvalidState("The time for this attempt is over; submit it to be graded on what was saved.")
    if not _hold_while_open(attempt.id):
        raise InvalidState("This attempt has already been submitted.")
    answers = attempt_answers(attempt.id)
    cleaned = _clean_selections(answers, selections, _question_types(answers))
    for answer in answers:
        answer.selected = cleaned[answer.position]
    db.session.flush()


def _hold_while_open(attempt_id):
    """Lock the attempt's row if it is still in progress, so a submit cannot grade it between this
    check and the save's commit: on PostgreSQL a submit that got there first makes this match no row
    (the WHERE is checked again once its lock is released), and a later submit waits for the save."""
    return db.session.execute(
        update(Attempt).where(Attempt.id == attempt_id, Attempt.state == AttemptState.IN_PROGRESS.value)
        .values(state=AttemptState.IN_PROGRESS.value).execution_options(synchronize_session=False)).rowcount == 1


def submit_attempt(attempt_id, selections, enrollment, outline, now=None):
    """Grade the attempt exactly once. A repeated or concurrent submit changes nothing and returns
    the attempt as graded by the first."""
    now = now or utcnow()
    claimed = db.session.execute(
        update(Attempt).where(Attempt.id == attempt_id, Attempt.state == AttemptState.IN_PROGRESS.value)
        .values(state=AttemptState.SUBMITTED.value, submitted_at=now)
        .execution_options(synchronize_session=False)).rowcount
    attempt = db.session.get(Attempt, attempt_id, populate_existing=True)
    if claimed != 1:
        return attempt
    answers = attempt_answers(attempt.id)
    keys = _answer_keys([answer.question_id for answer in answers])
    late = grading.is_late(now, attempt.deadline_at)
    if not late:
        cleaned = _clean_selections(answers, selections, {question_id: key[0] for question_id, key in keys.items()})
        for answer in answers:
            answer.selected = cleaned[answer.position]
    _grade(attempt, answers, keys, outline.quiz_by_id(attempt.quiz_id))
    attempt.late = late
    learning.touch(enrollment)
    db.session.flush()
    learning.complete_if_done(enrollment, outline)
    return attempt


def _grade(attempt, answers, keys, quiz):
    scores = []
    for answer in answers:
        question_type, correct_ids = keys[answer.question_id]
        result = grading.grade_question(question_type, correct_ids, answer.selected, quiz.partial_credit)
        answer.score = result.score
        scores.append(result.score)
    attempt.score = grading.percent(scores)
    attempt.passed = grading.is_pass(float(attempt.score), quiz.pass_mark)


def _answer_keys(question_ids):
    """{question id: (its type, the ids of its correct choices)}, in one query."""
    rows = db.session.execute(
        select(Question.id, Question.type, Choice.id, Choice.is_correct)
        .join(Choice, Choice.question_id == Question.id).where(Question.id.in_(question_ids))).all()
    keys = {}
    for question_id, question_type, choice_id, is_correct in rows:
        keys.setdefault(question_id, (question_type, set()))
        if is_correct:
            keys[question_id][1].add(choice_id)
    return keys


def grant_extra_attempt(enrollment, quiz_id, granted_by, reason=""):
    """Allow one attempt beyond the maximum; audited."""
    grant = AttemptGrant(enrollment_id=enrollment.id, quiz_id=quiz_id, granted_by_id=granted_by.id,
                         reason=(reason or "").strip()[:500])
    db.session.add(grant)
    audit.record("quiz.extra_attempt", actor=granted_by, target=f"enrollment:{enrollment.id}",
                 quiz_id=quiz_id, reason=grant.reason)
    db.session.flush()
    return grant
