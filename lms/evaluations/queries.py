"""Reads for the evaluation: what a learner is offered, the survey's content, and the summaries
for trainers, each in a fixed number of queries however many responses there are.

Summaries read aggregates only (counts per item and value, comment texts per question): no query
here returns a response id, a receipt, or anything that pairs a response with an enrollment.
"""

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select

from lms.auth.models import Role
from lms.cohorts.models import CohortTrainer
from lms.core.time import utcnow
from lms.evaluations import summary as rules
from lms.evaluations.models import (
    EvaluationAnswer,
    EvaluationComment,
    EvaluationItem,
    EvaluationQuestion,
    EvaluationReceipt,
    EvaluationResponse,
)
from lms.evaluations.offers import NO_EVALUATION, EvaluationState
from lms.extensions import db
from lms.learning.models import Enrollment
from lms.quizzes.models import Attempt, AttemptState

# --- The learner's side ----------------------------------------------------------------------


def evaluation_states(enrollments):
    """{enrollment id: EvaluationState} for any number of enrollments, in two queries."""
    enrollments = list(enrollments)
    if not enrollments:
        return {}
    curriculum_ids = sorted({e.curriculum_id for e in enrollments})
    with_content = set(db.session.scalars(
        select(EvaluationItem.curriculum_id).where(EvaluationItem.curriculum_id.in_(curriculum_ids),
                                                   EvaluationItem.retired_at.is_(None))
        .union(select(EvaluationQuestion.curriculum_id).where(EvaluationQuestion.curriculum_id.in_(curriculum_ids),
                                                              EvaluationQuestion.retired_at.is_(None)))))
    receipts = {r.enrollment_id: r for r in db.session.scalars(
        select(EvaluationReceipt).where(EvaluationReceipt.enrollment_id.in_([e.id for e in enrollments])))}
    states = {}
    for enrollment in enrollments:
        receipt = receipts.get(enrollment.id)
        states[enrollment.id] = NO_EVALUATION if enrollment.curriculum_id not in with_content else EvaluationState(
            exists=True, submitted=receipt is not None and receipt.submitted_at is not None,
            declined=receipt is not None and receipt.declined_at is not None,
            prompted=receipt is not None and receipt.prompted_at is not None)
    return states


def evaluation_state(enrollment):
    return evaluation_states([enrollment])[enrollment.id]


def receipt_for(enrollment_id):
    return db.session.get(EvaluationReceipt, enrollment_id, populate_existing=True)


def current_items(curriculum_id):
    """The survey's items in order (retired ones left out)."""
    return db.session.scalars(select(EvaluationItem).where(
        EvaluationItem.curriculum_id == curriculum_id, EvaluationItem.retired_at.is_(None))
        .order_by(EvaluationItem.position)).all()


def current_questions(curriculum_id):
    return db.session.scalars(select(EvaluationQuestion).where(
        EvaluationQuestion.curriculum_id == curriculum_id, EvaluationQuestion.retired_at.is_(None))
        .order_by(EvaluationQuestion.position)).all()


def sections_of(items):
    """[(section title, [items])] in survey order, consecutive items of a section together."""
    sections = []
    for item in items:
        if sections and sections[-1][0] == item.section:
            sections[-1][1].append(item)
        else:
            sections.append((item.section, [item]))
    return sections


# --- Summaries for trainers ------------------------------------------------------------------

@dataclass(frozen=True)
class Scope:
    """Which responses a summary covers."""

    curriculum_id: int
    posttest_id: int | None
    #: a single cohort, or None for the curriculum-wide summary
    cohort_id: int | None = None
    #: for a trainer's curriculum-wide summary: only the cohorts they teach
    trainer_id: int | None = None


def cohort_summary(cohort, outline, today=None):
    """The summary of one cohort's released responses (see lms.evaluations.summary). At most six
    queries."""
    scope = Scope(cohort.curriculum_id, outline.posttest.id if outline.posttest else None, cohort_id=cohort.id)
    return _released_summary(scope, _responses_per_day(scope).where(EvaluationResponse.cohort_id == cohort.id),
                             today)


def curriculum_summary(outline, user, today=None):
    """The summary of a curriculum's responses that `user` may see: every response for an
    admin, the responses from the cohorts they teach for a trainer. Each cohort (and, for an
    admin, the self-paced learners as one group) enters the figures only with at least
    MIN_RESPONSES released responses of its own: otherwise subtracting the cohort summaries from
    this one would reveal a small cohort's answers. At most six queries."""
    scope = Scope(outline.curriculum_id, outline.posttest.id if outline.posttest else None,
                  trainer_id=None if user.role == Role.ADMIN else user.id)
    query = _responses_per_day(scope)
    if scope.trainer_id is not None:
        query = query.where(EvaluationResponse.cohort_id.in_(_taught_cohorts(scope.trainer_id)))
    return _released_summary(scope, query, today)


def _responses_per_day(scope):
    """A select of (cohort id, day sent, responses) for the curriculum of `scope`."""
    return (select(EvaluationResponse.cohort_id, EvaluationResponse.submitted_on, func.count())
            .where(EvaluationResponse.curriculum_id == scope.curriculum_id)
            .group_by(EvaluationResponse.cohort_id, EvaluationResponse.submitted_on))


def _released_summary(scope, responses_per_day, today):
    """The summary of what each group (a cohort, or the self-paced learners) has released, given
    its responses per day: every response counted, only released days in the figures."""
    days_per_group = {}
    for cohort_id, day, count in db.session.execute(responses_per_day):
        days_per_group.setdefault(cohort_id, []).append((day, count))
    responses = sum(count for days in days_per_group.values() for _, count in days)
    today = today or utcnow().date()
    released = {}
    for cohort_id, days in days_per_group.items():
        through = rules.released_through(days, today)
        if through is not None:
            released[cohort_id] = (through, sum(count for day, count in days if day <= through))
    included = sum(count for _, count in released.values())
    if included < rules.MIN_RESPONSES:
        return rules.suppressed(responses)
    return _summary(scope, responses, included, or_(*[
        and_(_in_group(cohort_id), EvaluationResponse.submitted_on <= through)
        for cohort_id, (through, _) in sorted(released.items(), key=lambda group: group[0] or 0)]))


def _in_group(cohort_id):
    if cohort_id is None:
        return EvaluationResponse.cohort_id.is_(None)
    return EvaluationResponse.cohort_id == cohort_id


def _taught_cohorts(trainer_id):
    return select(CohortTrainer.cohort_id).where(CohortTrainer.user_id == trainer_id)


def _summary(scope, responses, included, response_filter):
    """Items, questions, ratings and comments of the included responses, and the denominator."""
    items = [rules.ItemRef(i.id, i.key, i.text, i.section, i.position, i.retired_at is not None)
             for i in db.session.execute(
                 select(EvaluationItem.id, EvaluationItem.key, EvaluationItem.text, EvaluationItem.section,
                        EvaluationItem.position, EvaluationItem.retired_at)
                 .where(EvaluationItem.curriculum_id == scope.curriculum_id))]
    questions = [rules.QuestionRef(q.id, q.key, q.text, q.position, q.retired_at is not None)
                 for q in db.session.execute(
                     select(EvaluationQuestion.id, EvaluationQuestion.key, EvaluationQuestion.text,
                            EvaluationQuestion.position, EvaluationQuestion.retired_at)
                     .where(EvaluationQuestion.curriculum_id == scope.curriculum_id))]
    in_scope = (EvaluationResponse.curriculum_id == scope.curriculum_id) & response_filter
    value_counts = db.session.execute(
        select(EvaluationAnswer.item_id, EvaluationAnswer.value, func.count())
        .join(EvaluationResponse, EvaluationAnswer.response_id == EvaluationResponse.id)
        .where(in_scope).group_by(EvaluationAnswer.item_id, EvaluationAnswer.value)).all()
    comment_rows = db.session.execute(
        select(EvaluationComment.question_id, EvaluationComment.text)
        .join(EvaluationResponse, EvaluationComment.response_id == EvaluationResponse.id)
        .where(in_scope)).all()
    return rules.summarize(responses, included, _eligible(scope), items, questions, value_counts, comment_rows)


def _eligible(scope):
    """Learners in scope who passed the post-test (the response rate's denominator)."""
    if scope.posttest_id is None:
        return 0
    query = (select(func.count(func.distinct(Attempt.enrollment_id)))
             .join(Enrollment, Attempt.enrollment_id == Enrollment.id)
             .where(Enrollment.curriculum_id == scope.curriculum_id, Attempt.quiz_id == scope.posttest_id,
                    Attempt.state == AttemptState.SUBMITTED.value, Attempt.passed.is_(True)))
    if scope.cohort_id is not None:
        query = query.where(Enrollment.cohort_id == scope.cohort_id)
    elif scope.trainer_id is not None:
        query = query.where(Enrollment.cohort_id.in_(_taught_cohorts(scope.trainer_id)))
    return db.session.scalar(query) or 0

