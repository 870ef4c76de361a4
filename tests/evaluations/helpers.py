"""Builders for the evaluation tests: learners who passed the post-test, responses sent through
the real operation (or, for big cohorts, bulk-inserted), and the fixture survey's ids by key.

Responses are sent yesterday unless a test says otherwise: a summary shows only responses from
days that are over (lms.evaluations.summary.released_through)."""

from datetime import timedelta

from sqlalchemy import insert, select

from lms.core.time import utcnow
from lms.evaluations import operations
from lms.evaluations.models import (
    EvaluationAnswer,
    EvaluationComment,
    EvaluationItem,
    EvaluationQuestion,
    EvaluationResponse,
    random_response_id,
)
from lms.extensions import db
from lms.learning.queries import outline_for
from tests.learning.helpers import Learner

ITEM_KEYS = ("overall-satisfied", "day-1-relevant", "day-1-trainer", "basics-clear", "basics-apply")
QUESTION_KEYS = ("most-useful", "least-useful", "what-to-change")
SURVEY = "/curricula/fixture-course/evaluation"


def pass_the_course(client):
    """Over HTTP, as the logged-in learner: enroll (introductory), do every required module, pass
    the post-test. Returns the post-test attempt."""
    learner = Learner(client)
    learner.enroll("introductory")
    learner.finish_required_modules()
    return learner.take("posttest")


def survey_ids(curriculum):
    items = dict(db.session.execute(select(EvaluationItem.key, EvaluationItem.id)
                                    .where(EvaluationItem.curriculum_id == curriculum.id)).all())
    questions = dict(db.session.execute(select(EvaluationQuestion.key, EvaluationQuestion.id)
                                        .where(EvaluationQuestion.curriculum_id == curriculum.id)).all())
    return items, questions


def form_data(curriculum, ratings=(), comments=None):
    """The survey form as a browser sends it: `ratings` in ITEM_KEYS order (None = "No answer")."""
    items, questions = survey_ids(curriculum)
    data = {"submit": "Send my evaluation"}
    for key, value in zip(ITEM_KEYS, ratings, strict=False):
        data[f"item_{items[key]}"] = "" if value is None else str(value)
    for key, text in (comments or {}).items():
        data[f"comment_{questions[key]}"] = text
    return data


def days_ago(days):
    """That moment `days` days ago (UTC, naive, as the app stores it)."""
    return utcnow() - timedelta(days=days)


def respond(course, enrollment, ratings=(), comments=None, now=None):
    """Send `enrollment`'s evaluation through the operation (the post-test must be passed), at
    `now` (default: yesterday)."""
    items, questions = survey_ids(course.curriculum)
    outline = outline_for(course.curriculum)
    stored = operations.submit_evaluation(
        enrollment, outline, {items[key]: value for key, value in zip(ITEM_KEYS, ratings, strict=False)},
        {questions[key]: text for key, text in (comments or {}).items()}, now=now or days_ago(1))
    db.session.commit()
    return stored


def passed_learner(course, cohort, user):
    """An enrollment in `cohort` whose post-test is passed (both items right)."""
    enrollment = course.enroll(cohort, user)
    course.take(enrollment, "posttest", [("posttest-1", ["a"]), ("posttest-2", ["true"])])
    return enrollment


def bulk_responses(curriculum, cohort_id, count, comment="Useful", on=None):
    """`count` responses written straight to the tables, sent on the day `on` (default: 30 days
    ago), every item rated 4, one comment each."""
    items, questions = survey_ids(curriculum)
    ids = [random_response_id() for _ in range(count)]
    day = on or days_ago(30).date()
    db.session.execute(insert(EvaluationResponse), [
        {"id": response_id, "curriculum_id": curriculum.id, "cohort_id": cohort_id, "submitted_on": day}
        for response_id in ids])
    db.session.execute(insert(EvaluationAnswer), [
        {"response_id": response_id, "item_id": item_id, "value": 4} for response_id in ids
        for item_id in items.values()])
    db.session.execute(insert(EvaluationComment), [
        {"response_id": response_id, "question_id": questions["most-useful"], "text": f"{comment} {n}"}
        for n, response_id in enumerate(ids)])
    db.session.commit()
