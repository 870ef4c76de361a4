"""Reads for learner pages: the curriculum outline (cached per version) and a learner's record,
each in a fixed number of queries however many modules and attempts there are."""

import threading

from flask import abort
from sqlalchemy import func, select

from lms.cohorts.models import Attendance, Cohort, DeliveryMode
from lms.curricula.models import Curriculum, Day, Lesson, Module, Objective, Question, Quiz
from lms.extensions import db
from lms.learning.models import Enrollment, LessonProgress
from lms.learning.progress import DayRef, LearnerRecord, LessonRef, ModuleRef, Outline, QuizRef
from lms.quizzes.models import Attempt, AttemptState

_outline_cache = {}
_outline_lock = threading.Lock()


def outline_for(curriculum):
    """The outline of `curriculum` at its current version; built once per version per process."""
    cache_key = (curriculum.id, curriculum.version)
    outline = _outline_cache.get(cache_key)
    if outline is None:
        outline = _build_outline(curriculum)
        with _outline_lock:
            for stale in [key for key in _outline_cache if key[0] == curriculum.id]:
                del _outline_cache[stale]
            _outline_cache[cache_key] = outline
    return outline


def clear_outline_cache():
    with _outline_lock:
        _outline_cache.clear()


def _build_outline(curriculum):
    days = db.session.scalars(select(Day).where(Day.curriculum_id == curriculum.id).order_by(Day.number)).all()
    modules = db.session.scalars(
        select(Module).where(Module.curriculum_id == curriculum.id, Module.retired_at.is_(None))
        .order_by(Module.position)).all()
    lessons = db.session.scalars(
        select(Lesson).join(Module).where(Module.curriculum_id == curriculum.id, Lesson.retired_at.is_(None))
        .order_by(Lesson.position)).all()
    question_counts = dict(db.session.execute(
        select(Question.quiz_id, func.count()).join(Quiz)
        .where(Quiz.curriculum_id == curriculum.id, Question.retired_at.is_(None)).group_by(Question.quiz_id)).all())
    quizzes = db.session.scalars(select(Quiz).where(Quiz.curriculum_id == curriculum.id)).all()
    quiz_refs = {quiz.key: _quiz_ref(quiz, question_counts) for quiz in quizzes}
    lessons_by_module = {}
    for lesson in lessons:
        lessons_by_module.setdefault(lesson.module_id, []).append(LessonRef(lesson.id, lesson.key, lesson.title))
    day_numbers = {day.id: day.number for day in days}
    module_refs = [
        ModuleRef(m.id, m.key, m.title, m.level, m.minutes, m.summary, day_numbers[m.day_id],
                  tuple(lessons_by_module.get(m.id, ())), quiz_refs.get(m.key))
        for m in modules
    ]
    day_refs = tuple(
        DayRef(day.number, day.title, tuple(m for m in module_refs if m.day_number == day.number)) for day in days
    )
    return Outline(curriculum.id, curriculum.key, curriculum.title, curriculum.summary,
                   float(curriculum.credit_hours), curriculum.sequential_days, curriculum.version,
                   tuple(day for day in day_refs if day.modules), quiz_refs.get("pretest"), quiz_refs.get("posttest"))


def _quiz_ref(quiz, question_counts):
    count = question_counts.get(quiz.id, 0)
    return QuizRef(quiz.id, quiz.key, quiz.kind, quiz.title, quiz.pass_mark, quiz.max_attempts,
                   min(quiz.draw, count) if quiz.draw else count, quiz.partial_credit, quiz.time_limit_minutes)


def objectives_of(module_id):
    return db.session.scalars(select(Objective).where(Objective.module_id == module_id,
                                                      Objective.retired_at.is_(None))
                              .order_by(Objective.position)).all()


def curriculum_by_id(curriculum_id):
    return db.session.get(Curriculum, curriculum_id)


def curriculum_or_404(key):
    curriculum = curriculum_by_key(key)
    if curriculum is None:
        abort(404)
    return curriculum


def curriculum_by_key(key):
    return db.session.scalar(select(Curriculum).where(Curriculum.key == key))


def enrollment_for(user_id, curriculum_id):
    return db.session.scalar(select(Enrollment).where(Enrollment.user_id == user_id,
                                                      Enrollment.curriculum_id == curriculum_id))


def learner_record(enrollment):
    """Everything progress needs about one enrollment, in at most three queries."""
    read = db.session.scalars(select(LessonProgress.lesson_id)
                              .where(LessonProgress.enrollment_id == enrollment.id)).all()
    attempts = db.session.execute(
        select(Attempt.quiz_id, Attempt.state, func.max(Attempt.score), func.count())
        .where(Attempt.enrollment_id == enrollment.id).group_by(Attempt.quiz_id, Attempt.state)).all()
    submitted = [(quiz_id, best, count) for quiz_id, state, best, count in attempts
                 if state == AttemptState.SUBMITTED.value]
    return LearnerRecord(
        track=enrollment.track,
        read_lesson_ids=frozenset(read),
        best_scores={quiz_id: float(best) for quiz_id, best, _ in submitted},
        attempts_used={quiz_id: count for quiz_id, _, count in submitted},
        open_attempt_quiz_ids=frozenset(quiz_id for quiz_id, state, _, _ in attempts
                                        if state == AttemptState.IN_PROGRESS.value),
        days_attended=days_attended(enrollment),
    )


def days_attended(enrollment):
    """Days marked present, for an enrollment in a cohort that records attendance; else None.
    One query: the cohort's delivery mode beside each day marked present (if any)."""
    if enrollment.cohort_id is None:
        return None
    rows = db.session.execute(
        select(Cohort.delivery_mode, Attendance.day_number)
        .outerjoin(Attendance, (Attendance.enrollment_id == enrollment.id) & Attendance.present.is_(True))
        .where(Cohort.id == enrollment.cohort_id)).all()
    if not rows or rows[0].delivery_mode == DeliveryMode.ONLINE:
        return None
    return frozenset(day for _, day in rows if day is not None)


def enrollments_of(user_id):
    """A user's enrollments with their curricula, in one query."""
    return db.session.execute(
        select(Enrollment, Curriculum).join(Curriculum, Enrollment.curriculum_id == Curriculum.id)
        .where(Enrollment.user_id == user_id).order_by(Enrollment.enrolled_at)).all()
