"""Reads for learner pages: the curriculum outline (cached per version) and a learner's record,
each in a fixed number of queries however many modules and attempts there are."""

import threading
from dataclasses import dataclass

from flask import abort
from sqlalchemy import func, select

from lms.certificates.queries import CertificateSummary, certificate_summaries_by_enrollment
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
    return learner_records([enrollment])[enrollment.id]


def learner_records(enrollments):
    """{enrollment id: LearnerRecord} for any number of enrollments (objects with id, track and
    cohort_id) in at most three queries: lessons read, attempts, and attendance when a cohort
    records it."""
    ids = [enrollment.id for enrollment in enrollments]
    read = _lessons_read(ids)
    best, used, open_quizzes = _attempt_facts(ids)
    attended = _days_attended([enrollment for enrollment in enrollments if enrollment.cohort_id is not None])
    return {
        enrollment.id: LearnerRecord(
            track=enrollment.track,
            read_lesson_ids=frozenset(read.get(enrollment.id, ())),
            best_scores=best.get(enrollment.id, {}),
            attempts_used=used.get(enrollment.id, {}),
            open_attempt_quiz_ids=frozenset(open_quizzes.get(enrollment.id, ())),
            days_attended=attended.get(enrollment.id),
        )
        for enrollment in enrollments
    }


def _lessons_read(enrollment_ids):
    """{enrollment id: lesson ids marked read}, in one query."""
    read = {}
    if enrollment_ids:
        for enrollment_id, lesson_id in db.session.execute(
                select(LessonProgress.enrollment_id, LessonProgress.lesson_id)
                .where(LessonProgress.enrollment_id.in_(enrollment_ids))):
            read.setdefault(enrollment_id, set()).add(lesson_id)
    return read


def _attempt_facts(enrollment_ids):
    """({enrollment: {quiz: best submitted score}}, {enrollment: {quiz: submitted count}},
    {enrollment: quizzes with an open attempt}), in one query."""
    best, used, open_quizzes = {}, {}, {}
    if enrollment_ids:
        for enrollment_id, quiz_id, state, best_score, count in db.session.execute(
                select(Attempt.enrollment_id, Attempt.quiz_id, Attempt.state, func.max(Attempt.score), func.count())
                .where(Attempt.enrollment_id.in_(enrollment_ids))
                .group_by(Attempt.enrollment_id, Attempt.quiz_id, Attempt.state)):
            if state == AttemptState.SUBMITTED.value:
                best.setdefault(enrollment_id, {})[quiz_id] = float(best_score)
                used.setdefault(enrollment_id, {})[quiz_id] = count
            else:
                open_quizzes.setdefault(enrollment_id, set()).add(quiz_id)
    return best, used, open_quizzes


def _days_attended(enrollments):
    """{enrollment id: days marked present} for those in a cohort that records attendance (absent
    from the result otherwise). One query: each enrollment's delivery mode beside each day marked
    present (if any)."""
    if not enrollments:
        return {}
    attended = {}
    for enrollment_id, delivery_mode, day in db.session.execute(
            select(Enrollment.id, Cohort.delivery_mode, Attendance.day_number)
            .join(Cohort, Enrollment.cohort_id == Cohort.id)
            .outerjoin(Attendance, (Attendance.enrollment_id == Enrollment.id) & Attendance.present.is_(True))
            .where(Enrollment.id.in_([enrollment.id for enrollment in enrollments]))):
        if delivery_mode == DeliveryMode.ONLINE:
            continue
        days = attended.setdefault(enrollment_id, set())
        if day is not None:
            days.add(day)
    return {enrollment_id: frozenset(days) for enrollment_id, days in attended.items()}


def enrollments_of(user_id):
    """A user's enrollments with their curricula, in one query."""
    return db.session.execute(
        select(Enrollment, Curriculum).join(Curriculum, Enrollment.curriculum_id == Curriculum.id)
        .where(Enrollment.user_id == user_id).order_by(Enrollment.enrolled_at)).all()


@dataclass(frozen=True)
class DashboardEntry:
    """One curriculum on the learner's "My training" page, with everything the page shows."""

    enrollment: Enrollment
    curriculum: Curriculum
    record: LearnerRecord
    certificate: CertificateSummary | None


def dashboard_entries(user_id):
    """The user's enrollments with their curricula, learner records and current certificates (with
    their status), in at most five queries however many enrollments, modules and attempts."""
    rows = enrollments_of(user_id)
    records = learner_records([enrollment for enrollment, _ in rows])
    certificates = certificate_summaries_by_enrollment([enrollment.id for enrollment, _ in rows])
    return [DashboardEntry(enrollment, curriculum, records[enrollment.id], certificates.get(enrollment.id))
            for enrollment, curriculum in rows]
