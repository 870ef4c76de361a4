"""Aggregate reads for the cohort reports (item analysis, knowledge gain, completion summary) and
the learner records of a whole cohort. Each runs a fixed number of queries whatever the cohort
size; the arithmetic lives in lms.cohorts.statistics."""

from dataclasses import dataclass

from sqlalchemy import and_, func, select

from lms.auth.models import User
from lms.certificates.models import Certificate
from lms.cohorts import statistics
from lms.cohorts.models import Attendance
from lms.curricula.models import Choice, Module, Objective, Question, Quiz
from lms.extensions import db
from lms.learning.models import TRACK_LABELS, Enrollment, LessonProgress, Track
from lms.learning.progress import LearnerRecord, curriculum_progress
from lms.quizzes.models import Answer, Attempt, AttemptState

SUBMITTED = AttemptState.SUBMITTED.value
FORM_ORDERS = ("AB", "BA")
FORM_ORDER_LABELS = {"AB": "AB: pre-test form first", "BA": "BA: post-test form first"}


def _in_cohort(cohort):
    return Enrollment.cohort_id == cohort.id


def report_quizzes(outline):
    """The quizzes a trainer can analyse, in the order a learner meets them."""
    module_quizzes = [m.quiz for m in outline.modules if m.quiz is not None]
    return tuple(q for q in (outline.pretest, *module_quizzes, outline.posttest) if q is not None)


def default_report_quiz(outline):
    """The first module quiz, else the first quiz there is."""
    module_quiz = next((m.quiz for m in outline.modules if m.quiz is not None), None)
    quizzes = report_quizzes(outline)
    return module_quiz or (quizzes[0] if quizzes else None)


# --- Learner records in bulk -----------------------------------------------------------------

def learner_records_for_cohort(cohort, outline, enrollment_ids=None):
    """{enrollment id: LearnerRecord} for every enrollment in `cohort`, or only those of
    `enrollment_ids` (a page of the grid), in at most five queries (enrollments, lessons read,
    submitted attempts, open attempts, attendance)."""
    if outline.curriculum_id != cohort.curriculum_id:
        raise ValueError("the outline is not the cohort's curriculum")
    in_cohort = _in_cohort(cohort)
    if enrollment_ids is not None:
        in_cohort = and_(in_cohort, Enrollment.id.in_(enrollment_ids))
    tracks = dict(db.session.execute(select(Enrollment.id, Enrollment.track).where(in_cohort)).all())
    read = {}
    for enrollment_id, lesson_id in db.session.execute(
            select(LessonProgress.enrollment_id, LessonProgress.lesson_id)
            .join(Enrollment, LessonProgress.enrollment_id == Enrollment.id).where(in_cohort)):
        read.setdefault(enrollment_id, set()).add(lesson_id)
    best, used = {}, {}
    for enrollment_id, quiz_id, best_score, count in db.session.execute(
            select(Attempt.enrollment_id, Attempt.quiz_id, func.max(Attempt.score), func.count())
            .join(Enrollment, Attempt.enrollment_id == Enrollment.id)
            .where(in_cohort, Attempt.state == SUBMITTED).group_by(Attempt.enrollment_id, Attempt.quiz_id)):
        best.setdefault(enrollment_id, {})[quiz_id] = float(best_score)
        used.setdefault(enrollment_id, {})[quiz_id] = count
    open_quizzes = {}
    for enrollment_id, quiz_id in db.session.execute(
            select(Attempt.enrollment_id, Attempt.quiz_id).join(Enrollment, Attempt.enrollment_id == Enrollment.id)
            .where(in_cohort, Attempt.state == AttemptState.IN_PROGRESS.value)):
        open_quizzes.setdefault(enrollment_id, set()).add(quiz_id)
    attended = None
    if cohort.records_attendance:
        attended = {}
        for enrollment_id, day_number in db.session.execute(
                select(Attendance.enrollment_id, Attendance.day_number)
                .join(Enrollment, Attendance.enrollment_id == Enrollment.id)
                .where(in_cohort, Attendance.present.is_(True))):
            attended.setdefault(enrollment_id, set()).add(day_number)
    return {
        enrollment_id: LearnerRecord(
            track=track,
            read_lesson_ids=frozenset(read.get(enrollment_id, ())),
            best_scores=best.get(enrollment_id, {}),
            attempts_used=used.get(enrollment_id, {}),
            open_attempt_quiz_ids=frozenset(open_quizzes.get(enrollment_id, ())),
            days_attended=None if attended is None else frozenset(attended.get(enrollment_id, ())),
        )
        for enrollment_id, track in tracks.items()
    }


def _trainees(cohort):
    """(enrollment id, track, form order, name, email, agency, discipline) of every enrollment, by name."""
    return db.session.execute(
        select(Enrollment.id, Enrollment.track, Enrollment.form_order, User.name, User.email, User.agency,
               User.discipline)
        .join(User, Enrollment.user_id == User.id).where(_in_cohort(cohort))
        .order_by(User.name, Enrollment.id)).all()


# --- Item analysis ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ItemRow:
    question_id: int
    key: str
    prompt: str
    #: key of the quiz (form) the question belongs to; differs from the report's quiz for the
    #: crossover half of a cohort, who answer the other form's questions on each test
    form: str
    objective: str
    retired: bool
    attempts: int
    facility: float | None
    discrimination: float | None
    wrong_choice: str | None
    wrong_choice_count: int
    flags: tuple[str, ...]


@dataclass(frozen=True)
class ItemReport:
    quiz: object
    first_attempts: int
    items: tuple[ItemRow, ...]
    alpha: statistics.AlphaResult


def item_analysis(cohort, quiz):
    """Per question of `quiz` (a QuizRef): attempts, facility, discrimination, most-chosen wrong
    choice and flags, over the cohort's first submitted attempts; plus coefficient alpha. Three
    queries."""
    answers = db.session.execute(
        select(Answer.attempt_id, Answer.question_id, Answer.score, Answer.selected)
        .join(Attempt, Answer.attempt_id == Attempt.id).join(Enrollment, Attempt.enrollment_id == Enrollment.id)
        .where(_in_cohort(cohort), Attempt.quiz_id == quiz.id, Attempt.number == 1,
               Attempt.state == SUBMITTED)).all()
    sheets, selections = {}, {}
    for attempt_id, question_id, score, selected in answers:
        sheets.setdefault(attempt_id, {})[question_id] = float(score or 0.0)
        selections.setdefault(question_id, []).append(selected or [])
    question_ids = sorted(selections)
    questions = db.session.execute(
        select(Question.id, Question.key, Question.prompt, Question.position, Question.retired_at, Quiz.key,
               Objective.text)
        .join(Quiz, Question.quiz_id == Quiz.id).join(Objective, Question.objective_id == Objective.id)
        .where(Question.id.in_(question_ids))).all()
    choices = {}
    for choice_id, question_id, text, is_correct in db.session.execute(
            select(Choice.id, Choice.question_id, Choice.text, Choice.is_correct)
            .where(Choice.question_id.in_(question_ids)).order_by(Choice.question_id, Choice.position)):
        choices.setdefault(question_id, []).append((choice_id, text, is_correct))
    stats = statistics.item_statistics(sheets)
    rows = []
    for question_id, key, prompt, _position, retired_at, form, objective in sorted(
            questions, key=lambda q: (q[5] != quiz.key, q[5], q[3])):
        item_choices = choices.get(question_id, [])
        wrong = statistics.most_chosen_wrong_choice(
            selections[question_id], {c[0] for c in item_choices if c[2]}, [c[0] for c in item_choices])
        texts = {c[0]: c[1] for c in item_choices}
        item = stats[question_id]
        rows.append(ItemRow(question_id, key, prompt, form, objective, retired_at is not None, item.attempts,
                            item.facility, item.discrimination, texts.get(wrong[0]) if wrong else None,
                            wrong[1] if wrong else 0, item.flags))
    return ItemReport(quiz, len(sheets), tuple(rows), statistics.alpha_over_shared_items(sheets))


# --- Knowledge gain --------------------------------------------------------------------------

@dataclass(frozen=True)
class TraineeGain:
    enrollment_id: int
    name: str
    email: str
    agency: str
    discipline: str
    track: str
    form_order: str
    #: percent on the first submitted attempt of the pre-test quiz and of the post-test quiz
    pre: float | None
    post: float | None

    @property
    def paired(self):
        return self.pre is not None and self.post is not None

    @property
    def gain(self):
        return self.post - self.pre if self.paired else None

    @property
    def normalized_gain(self):
        return statistics.individual_normalized_gain(self.pre, self.post) if self.paired else None


@dataclass(frozen=True)
class ObjectiveGain:
    objective_id: int
    module: str
    text: str
    means: statistics.ObjectiveMeans


@dataclass(frozen=True)
class FormGain:
    form_order: str
    summary: statistics.GainSummary
    objectives: tuple[ObjectiveGain, ...]

    @property
    def label(self):
        return FORM_ORDER_LABELS[self.form_order]


@dataclass(frozen=True)
class GainReport:
    #: false when the curriculum lacks a pre-test or a post-test: there is nothing to pair
    available: bool
    crossover: bool
    trainees: tuple[TraineeGain, ...]
    summary: statistics.GainSummary
    objectives: tuple[ObjectiveGain, ...]
    by_form: tuple[FormGain, ...]

    @property
    def unpaired(self):
        return tuple(t for t in self.trainees if not t.paired)


def _occasions(outline):
    """{quiz id: "pre" or "post"}, or None when the curriculum lacks a pre-test or a post-test."""
    if outline.pretest is None or outline.posttest is None:
        return None
    return {outline.pretest.id: "pre", outline.posttest.id: "post"}


def _first_attempts(cohort, occasions):
    """(subquery, join condition) selecting each trainee's first submitted attempt at each test."""
    first = (select(Attempt.enrollment_id, Attempt.quiz_id, func.min(Attempt.number).label("number"))
             .join(Enrollment, Attempt.enrollment_id == Enrollment.id)
             .where(_in_cohort(cohort), Attempt.quiz_id.in_(list(occasions)), Attempt.state == SUBMITTED)
             .group_by(Attempt.enrollment_id, Attempt.quiz_id).subquery())
    return first, and_(Attempt.enrollment_id == first.c.enrollment_id, Attempt.quiz_id == first.c.quiz_id,
                       Attempt.number == first.c.number)


def trainee_gains(cohort, outline):
    """Every trainee's first pre-test and post-test scores, by name. Both queries run now; each row
    is built as it is read (the CSV streams them)."""
    trainees = _trainees(cohort)
    occasions = _occasions(outline)
    scores = {}
    if occasions is not None:
        first, is_first = _first_attempts(cohort, occasions)
        for enrollment_id, quiz_id, score in db.session.execute(
                select(Attempt.enrollment_id, Attempt.quiz_id, Attempt.score).join(first, is_first)):
            if score is not None:
                scores[(enrollment_id, occasions[quiz_id])] = float(score)
    return (TraineeGain(e, name, email, agency, discipline, track, order, scores.get((e, "pre")),
                        scores.get((e, "post")))
            for e, track, order, name, email, agency, discipline in trainees)


def knowledge_gain(cohort, outline):
    """Pre-test and post-test scores of every trainee, and the paired statistics overall, per
    objective and (crossover cohorts) per form order. Four queries."""
    rows = tuple(trainee_gains(cohort, outline))
    occasions = _occasions(outline)
    if occasions is None:
        return GainReport(False, cohort.crossover_forms, rows, statistics.gain_summary([]), (), ())
    first, is_first = _first_attempts(cohort, occasions)
    paired = {t.enrollment_id: t for t in rows if t.paired}
    # Per objective through the question actually answered: a crossover learner's pre-test
    # attempt holds post-test questions, whose item N measures the same objective.
    item_scores = [
        (enrollment_id, objective_id, occasions[quiz_id], score)
        for enrollment_id, quiz_id, objective_id, score in db.session.execute(
            select(Attempt.enrollment_id, Attempt.quiz_id, Question.objective_id, Answer.score)
            .join(first, is_first).join(Answer, Answer.attempt_id == Attempt.id)
            .join(Question, Answer.question_id == Question.id))
        if enrollment_id in paired
    ]
    labels = {row[0]: row[1:] for row in db.session.execute(
        select(Objective.id, Module.title, Objective.text, Module.position, Objective.position)
        .join(Module, Objective.module_id == Module.id)
        .where(Objective.id.in_(sorted({s[1] for s in item_scores}))))}

    def objective_rows(enrollment_ids):
        means = statistics.objective_means((o, when, s) for e, o, when, s in item_scores if e in enrollment_ids)
        ordered = sorted(means.values(), key=lambda m: (labels[m.objective_id][2], labels[m.objective_id][3]))
        return tuple(ObjectiveGain(m.objective_id, labels[m.objective_id][0], labels[m.objective_id][1], m)
                     for m in ordered)

    crossover = cohort.crossover_forms or any(t.form_order == "BA" for t in rows)
    by_form = ()
    if crossover:
        by_form = tuple(
            FormGain(order, statistics.gain_summary((t.pre, t.post) for t in paired.values() if t.form_order == order),
                     objective_rows({e for e, t in paired.items() if t.form_order == order}))
            for order in FORM_ORDERS)
    return GainReport(True, crossover, rows, statistics.gain_summary((t.pre, t.post) for t in paired.values()),
                      objective_rows(set(paired)), by_form)


# --- Completion summary ----------------------------------------------------------------------

@dataclass(frozen=True)
class TraineeCompletion:
    enrollment_id: int
    name: str
    email: str
    agency: str
    discipline: str
    track: str
    percent: int
    #: one per outline day, in order
    days_complete: tuple[bool, ...]
    posttest_passed: bool
    certified: bool


@dataclass(frozen=True)
class CompletionCounts:
    label: str
    enrolled: int
    days_complete: tuple[int, ...]
    posttest_passed: int
    certified: int


@dataclass(frozen=True)
class CompletionReport:
    day_numbers: tuple[int, ...]
    has_posttest: bool
    #: one row per track, then the total
    counts: tuple[CompletionCounts, ...]
    bands: tuple[statistics.Band, ...]
    trainees: tuple[TraineeCompletion, ...]


def _counts(label, trainees, days):
    return CompletionCounts(label, len(trainees),
                            tuple(sum(1 for t in trainees if t.days_complete[i]) for i in range(days)),
                            sum(1 for t in trainees if t.posttest_passed), sum(1 for t in trainees if t.certified))


def trainee_completions(cohort, outline):
    """Every trainee's completion, by name. The seven queries run now; each trainee's progress is
    computed as their row is read (the CSV streams them)."""
    records = learner_records_for_cohort(cohort, outline)
    certified = set(db.session.scalars(
        select(Certificate.enrollment_id).join(Enrollment, Certificate.enrollment_id == Enrollment.id)
        .where(_in_cohort(cohort), Certificate.revoked_at.is_(None)).distinct()))
    trainees = _trainees(cohort)
    return (_trainee_completion(outline, records[trainee[0]], trainee, trainee[0] in certified)
            for trainee in trainees)


def _trainee_completion(outline, record, trainee, certified):
    enrollment_id, track, _order, name, email, agency, discipline = trainee
    progress = curriculum_progress(outline, record)
    return TraineeCompletion(enrollment_id, name, email, agency, discipline, track, progress.percent,
                             tuple(day.complete for day in progress.days), progress.posttest_passed, certified)


def completion_summary(cohort, outline):
    """Enrolled, each day complete, post-test passed and valid certificates, by track and in
    total, with the distribution of percent complete. Seven queries at most."""
    trainees = list(trainee_completions(cohort, outline))
    days = len(outline.days)
    counts = [_counts(TRACK_LABELS[track], [t for t in trainees if t.track == track], days) for track in Track]
    counts.append(_counts("All tracks", trainees, days))
    return CompletionReport(tuple(day.number for day in outline.days), outline.posttest is not None, tuple(counts),
                            statistics.percent_bands(t.percent for t in trainees), tuple(trainees))
