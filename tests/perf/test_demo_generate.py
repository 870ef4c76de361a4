"""`flask demo generate`: refused without curricula or outside development; the histories it writes
obey the app's own rules (progress, attempts, certificates), and it can make upcoming cohorts."""

from collections import Counter

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from lms.auth.models import User
from lms.certificates.codes import normalize_code
from lms.certificates.models import Certificate
from lms.cohorts.models import Attendance, Cohort, CohortTrainer
from lms.cohorts.reports import learner_records_for_cohort
from lms.core.text import search_key
from lms.core.time import utcnow
from lms.extensions import db
from lms.learning.models import Enrollment, LessonProgress
from lms.learning.progress import curriculum_progress
from lms.learning.queries import curriculum_by_id, outline_for
from lms.quizzes.models import Answer, Attempt


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_generation_needs_the_curricula_first(runner, app):
    result = runner.invoke(args=["demo", "generate", "--cohorts", "1", "--trainees", "3"])
    assert result.exit_code == 1 and "flask curricula import" in result.output
    assert _count(User) == 0


def test_generation_is_refused_outside_development(app, runner, curriculum):
    app.config["DEMO_ACCOUNTS_ALLOWED"] = False
    result = runner.invoke(args=["demo", "generate", "--cohorts", "1", "--trainees", "3"])
    assert result.exit_code == 1 and "development only" in result.output
    assert _count(User) == 0


def test_unknown_curriculum_is_refused(runner, curriculum):
    result = runner.invoke(args=["demo", "generate", "--sizes", "3", "--curriculum", "no-such-course"])
    assert result.exit_code == 1 and "no-such-course" in result.output


@pytest.mark.slow
def test_generated_histories_follow_the_rules(app, runner, curriculum):
    result = runner.invoke(args=["demo", "generate", "--cohorts", "4", "--trainees", "160", "--seed", "5",
                                 "--tag", "tst"])
    assert result.exit_code == 0, result.output
    assert "Generated 4 cohorts and 160 trainees" in result.output and "fixture-course" in result.output
    now = utcnow()

    trainees = db.session.scalars(select(User).where(User.role == "trainee")).all()
    assert len(trainees) == 160 and len({user.email for user in trainees}) == 160
    assert len({user.password_hash for user in trainees}) == 1  # hashed once, shared
    assert check_password_hash(trainees[0].password_hash, app.config["DEMO_PASSWORD"])
    assert all(_count_trainers(cohort.id) >= 1 for cohort in db.session.scalars(select(Cohort)))
    assert all(user.name_key == search_key(user.name) for user in trainees)  # bulk inserts fill the key too
    certificates = db.session.scalars(select(Certificate)).all()
    assert certificates and all(c.learner_name_key == search_key(c.learner_name) for c in certificates)

    statuses = Counter()
    for cohort in db.session.scalars(select(Cohort)).all():
        outline = outline_for(curriculum_by_id(cohort.curriculum_id))
        completed = dict(db.session.execute(select(Enrollment.id, Enrollment.completed_at)
                                            .where(Enrollment.cohort_id == cohort.id)).all())
        for enrollment_id, record in learner_records_for_cohort(cohort, outline).items():
            progress = curriculum_progress(outline, record)
            # The app's own rules say complete exactly when the generator recorded a completion.
            assert progress.complete == (completed[enrollment_id] is not None), enrollment_id
            statuses[progress.status.value] += 1
        attended = db.session.scalar(select(func.count()).select_from(Attendance).join(Enrollment)
                                     .where(Enrollment.cohort_id == cohort.id))
        assert (attended > 0) == (cohort.records_attendance and cohort.day1_date <= now.date()), cohort.delivery_mode
    assert statuses["complete"] and statuses["in_progress"], statuses

    quizzes = {quiz.id: quiz for quiz in outline.quizzes}
    attempts = db.session.scalars(select(Attempt)).all()
    answers = Counter(db.session.scalars(select(Answer.attempt_id)))
    numbers = {}
    for attempt in attempts:
        quiz = quizzes[attempt.quiz_id]
        numbers.setdefault((attempt.enrollment_id, attempt.quiz_id), []).append(attempt.number)
        assert answers[attempt.id] == quiz.question_count
        assert attempt.started_at <= now
        if attempt.state == "submitted":
            assert attempt.submitted_at <= now and attempt.score is not None
            assert attempt.passed == (quiz.pass_mark is not None and float(attempt.score) >= quiz.pass_mark)
        else:
            assert attempt.submitted_at is None and attempt.score is None
    for (_, quiz_id), used in numbers.items():
        assert sorted(used) == list(range(1, len(used) + 1))
        assert quizzes[quiz_id].max_attempts is None or len(used) <= quizzes[quiz_id].max_attempts
    assert db.session.scalar(select(func.max(LessonProgress.completed_at))) <= now

    completed = db.session.scalars(select(Enrollment.id).where(Enrollment.completed_at.is_not(None))).all()
    certificates = db.session.scalars(select(Certificate)).all()
    assert sorted(c.enrollment_id for c in certificates) == sorted(completed)
    assert all(normalize_code(c.code) == c.code for c in certificates)

    again = runner.invoke(args=["demo", "generate", "--sizes", "2", "--tag", "tst"])
    assert again.exit_code == 1 and "tagged 'tst' exist already" in again.output


def _count_trainers(cohort_id):
    return db.session.scalar(select(func.count()).select_from(CohortTrainer)
                             .where(CohortTrainer.cohort_id == cohort_id))


def test_upcoming_cohorts_have_enrollments_and_nothing_done(runner, curriculum):
    result = runner.invoke(args=["demo", "generate", "--sizes", "12,8", "--upcoming"])
    assert result.exit_code == 0, result.output
    assert _count(Enrollment) == 20
    assert _count(Attempt) == _count(LessonProgress) == _count(Attendance) == _count(Certificate) == 0
    assert all(cohort.day1_date > utcnow().date() and cohort.delivery_mode == "in_person"
               for cohort in db.session.scalars(select(Cohort)))
