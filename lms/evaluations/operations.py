"""Evaluation writes: send the survey exactly once, say "No thanks", note that the prompt was shown.

The response and the receipt are written in one transaction but never point at each other: the
response holds the curriculum, the cohort and the day; the receipt holds the enrollment.
"""

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from lms.core.errors import DomainError, InvalidState
from lms.core.time import utcnow
from lms.evaluations import queries
from lms.evaluations.models import (
    COMMENT_MAX_CHARS,
    LIKERT_LABELS,
    EvaluationAnswer,
    EvaluationComment,
    EvaluationReceipt,
    EvaluationResponse,
    random_response_id,
)
from lms.extensions import db
from lms.learning import queries as learning_queries
from lms.learning.progress import curriculum_progress

NOT_YET = "The training evaluation opens when you pass the post-test."


def clean_comment(text):
    """Plain text as stored: line breaks normalized, control characters (NUL included, which
    PostgreSQL refuses) removed, surrounding blanks trimmed."""
    if not text:
        return ""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or (ch >= " " and ch != "\x7f")).strip()


def require_posttest_passed(enrollment, outline):
    if not curriculum_progress(outline, learning_queries.learner_record(enrollment)).posttest_passed:
        raise InvalidState(NOT_YET)


def submit_evaluation(enrollment, outline, ratings, comments, now=None):
    """Store one anonymous response for `enrollment`, once. `ratings` maps item id to 1..5 or
    None; `comments` maps question id to text. Returns True if stored, False if this enrollment
    had already sent one (a repeated or concurrent submit changes nothing)."""
    now = now or utcnow()
    require_posttest_passed(enrollment, outline)
    items = queries.current_items(enrollment.curriculum_id)
    questions = queries.current_questions(enrollment.curriculum_id)
    if not items and not questions:
        raise DomainError("This curriculum has no evaluation.")
    values = {item.id: _rating(ratings.get(item.id)) for item in items}
    texts = {question.id: clean_comment(comments.get(question.id)) for question in questions}
    if any(len(text) > COMMENT_MAX_CHARS for text in texts.values()):
        raise DomainError(f"Each answer can be at most {COMMENT_MAX_CHARS:,} characters.")
    if not _claim_receipt(enrollment.id, now):
        return False
    response = EvaluationResponse(id=random_response_id(), curriculum_id=enrollment.curriculum_id,
                                  cohort_id=enrollment.cohort_id, submitted_on=now.date())
    db.session.add(response)
    db.session.flush()
    db.session.add_all(EvaluationAnswer(response_id=response.id, item_id=item_id, value=value)
                       for item_id, value in values.items())
    db.session.add_all(EvaluationComment(response_id=response.id, question_id=question_id, text=text)
                       for question_id, text in texts.items() if text)
    db.session.flush()
    return True


def _rating(value):
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in LIKERT_LABELS:
        raise DomainError("A rating must be from 1 (strongly disagree) to 5 (strongly agree).")
    return value


def _claim_receipt(enrollment_id, now):
    """Mark the enrollment's evaluation as sent; True only for the one request that does it.

    A declined receipt is upgraded by a guarded UPDATE; otherwise the receipt is inserted, and the
    primary key (the enrollment) refuses a second one, including a concurrent one."""
    upgraded = db.session.execute(
        update(EvaluationReceipt)
        .where(EvaluationReceipt.enrollment_id == enrollment_id, EvaluationReceipt.submitted_at.is_(None))
        .values(submitted_at=now).execution_options(synchronize_session=False)).rowcount
    if upgraded == 1:
        return True
    try:
        with db.session.begin_nested():
            db.session.execute(insert(EvaluationReceipt).values(enrollment_id=enrollment_id, submitted_at=now))
    except IntegrityError:
        return False
    return True


def decline_evaluation(enrollment, outline, now=None):
    """"No thanks": stop pushing the survey to this learner; it stays open to them. Idempotent."""
    now = now or utcnow()
    require_posttest_passed(enrollment, outline)
    marked = db.session.execute(
        update(EvaluationReceipt)
        .where(EvaluationReceipt.enrollment_id == enrollment.id, EvaluationReceipt.declined_at.is_(None),
               EvaluationReceipt.submitted_at.is_(None))
        .values(declined_at=now).execution_options(synchronize_session=False)).rowcount
    if marked == 0:
        _insert_receipt_once(enrollment.id, declined_at=now)


def record_prompts_shown(enrollment_ids, now=None):
    """The dashboard or curriculum page is showing the prompt to these enrollments: note it, so
    that it is shown this once. An enrollment that has a receipt already keeps it as it is."""
    now = now or utcnow()
    for enrollment_id in enrollment_ids:
        _insert_receipt_once(enrollment_id, prompted_at=now)


def _insert_receipt_once(enrollment_id, **moment):
    try:
        with db.session.begin_nested():
            db.session.execute(insert(EvaluationReceipt).values(enrollment_id=enrollment_id, **moment))
    except IntegrityError:
        pass  # another request wrote the receipt meanwhile: either way the prompt is not pushed again
