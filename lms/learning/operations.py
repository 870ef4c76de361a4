"""Learner writes: enroll, change track, mark a lesson read, record completion."""

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from lms.certificates.operations import issue_certificate_if_complete
from lms.core.errors import DomainError, InvalidState, NotAllowed
from lms.core.time import utcnow
from lms.curricula.models import Curriculum
from lms.extensions import db
from lms.learning import queries
from lms.learning.models import Enrollment, LessonProgress, Track
from lms.learning.progress import curriculum_progress, quiz_passed

#: incomplete enrollments checked per round by record_missing_completions
COMPLETION_BATCH = 500


def enroll(user, curriculum, track):
    """Enroll `user` once in `curriculum`; a repeated or concurrent enroll returns the same row."""
    track = _valid_track(track)
    existing = queries.enrollment_for(user.id, curriculum.id)
    if existing is not None:
        return existing
    enrollment = Enrollment(user_id=user.id, curriculum_id=curriculum.id, track=track)
    try:
        with db.session.begin_nested():
            db.session.add(enrollment)
    except IntegrityError:
        return queries.enrollment_for(user.id, curriculum.id)
    return enrollment


def change_track(enrollment, outline, track):
    """Switch track while no quiz has been passed; what is required is then recomputed."""
    track = _valid_track(track)
    record = queries.learner_record(enrollment)
    quizzes = [m.quiz for m in outline.modules if m.quiz] + ([outline.posttest] if outline.posttest else [])
    if any(quiz_passed(quiz, record) for quiz in quizzes):
        raise InvalidState("The track cannot be changed after a quiz has been passed. Ask your trainer.")
    enrollment.track = track
    db.session.flush()
    return enrollment


def mark_lesson_read(enrollment, outline, lesson_id):
    """Record a lesson as read (once) and complete the enrollment if that was the last step."""
    module = outline.module_of_lesson(lesson_id)
    if module is None:
        raise DomainError("That lesson is not part of this curriculum.")
    progress = curriculum_progress(outline, queries.learner_record(enrollment))
    day = progress.day_of_module(module.key)
    if day is not None and day.locked:
        raise NotAllowed(f"Day {day.day.number} opens when Day {day.day.number - 1} is complete.")
    already = db.session.scalar(select(LessonProgress.id).where(
        LessonProgress.enrollment_id == enrollment.id, LessonProgress.lesson_id == lesson_id))
    if already is None:
        try:
            with db.session.begin_nested():
                db.session.add(LessonProgress(enrollment_id=enrollment.id, lesson_id=lesson_id))
        except IntegrityError:
            pass  # a concurrent request recorded it first: the lesson is read either way
    touch(enrollment)
    return complete_if_done(enrollment, outline)


def touch(enrollment):
    enrollment.last_activity_at = utcnow()


def complete_if_done(enrollment, outline, record=None):
    """Set completed_at exactly once, in this transaction, when every requirement is met. Pass the
    learner's `record` when it is already loaded (and current), to save reading it again."""
    progress = curriculum_progress(outline, queries.learner_record(enrollment) if record is None else record)
    if progress.complete and enrollment.completed_at is None:
        # The guarded UPDATE makes completion a one-way, once-only transition under concurrency.
        db.session.execute(
            update(Enrollment).where(Enrollment.id == enrollment.id, Enrollment.completed_at.is_(None))
            .values(completed_at=utcnow()).execution_options(synchronize_session=False))
        db.session.refresh(enrollment)
        issue_certificate_if_complete(enrollment)
    return progress


def record_missing_completions(batch_size=COMPLETION_BATCH):
    """Check every incomplete enrollment against its curriculum's current rules (after a pass mark
    was lowered, say) and record those now complete, which issues their certificates. Returns the
    enrollments completed. A few queries per batch, plus a few per completion recorded."""
    completed = []
    after_id = 0
    while batch := _incomplete_enrollments(after_id, batch_size):
        records = queries.learner_records([enrollment for enrollment, _ in batch])
        for enrollment, curriculum in batch:
            if complete_if_done(enrollment, queries.outline_for(curriculum), records[enrollment.id]).complete:
                completed.append(enrollment)
        after_id = batch[-1][0].id
    return completed


def _incomplete_enrollments(after_id, limit):
    """The next `limit` incomplete enrollments by id, with their curricula."""
    return db.session.execute(
        select(Enrollment, Curriculum).join(Curriculum, Enrollment.curriculum_id == Curriculum.id)
        .where(Enrollment.completed_at.is_(None), Enrollment.id > after_id)
        .order_by(Enrollment.id).limit(limit)).all()


def _valid_track(track):
    try:
        return Track(track).value
    except ValueError:
        raise DomainError("Choose the introductory or the advanced track.") from None
