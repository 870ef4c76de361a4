"""Write generated cohorts, trainees and their histories with bulk inserts
(`db.session.execute(insert(Model), rows)`), a chunk of learners at a time, so 10,000 trainees
take seconds rather than the hours one ORM object per row would.

The curricula must be imported first: histories follow their modules, lessons and question banks.
Every generated trainee shares one password, hashed once (scrypt is slow on purpose)."""

import functools
import json
import random
import secrets
import time
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import column, insert, select
from sqlalchemy import table as sa_table
from werkzeug.security import generate_password_hash

from lms.auth import models as auth_models
from lms.auth.models import Role, User
from lms.auth.passwords import normalize as normalize_password
from lms.certificates.codes import new_code
from lms.certificates.models import Certificate
from lms.cohorts.models import Attendance, Cohort, CohortTrainer
from lms.cohorts.operations import new_join_code
from lms.core.time import utcnow
from lms.curricula.models import Choice, Curriculum, Question, Quiz
from lms.demo import history as histories
from lms.demo import people
from lms.extensions import db
from lms.learning.models import Enrollment, LessonProgress
from lms.learning.queries import outline_for
from lms.quizzes.models import Answer, Attempt

CHUNK = 1000
DEMO_TRAINER_EMAIL = "trainer@example.org"
DEMO_ADMIN_EMAIL = "admin@example.org"
#: share of trainees who also study the other curriculum on their own (a second enrollment)
SELF_PACED_SHARE = 0.2
ADVANCED_SHARE = 0.35
REVOKED_SHARE = 0.005
DELIVERY_MODES = (("in_person", 0.5), ("online", 0.3), ("blended", 0.2))


class GenerationRefused(Exception):
    """The database is not ready for generated data (no curricula, unknown curriculum, tag in use)."""


@dataclass
class Summary:
    tag: str
    curricula: list
    cohorts: list = field(default_factory=list)     # (cohort id, curriculum key, size, delivery mode)
    rows: dict = field(default_factory=dict)        # table -> rows inserted
    seconds: float = 0.0

    def add(self, table, count):
        self.rows[table] = self.rows.get(table, 0) + count


@dataclass(frozen=True)
class _Course:
    curriculum: Curriculum
    outline: object
    banks: dict          # quiz id -> (history.Question, ...)


def cohort_sizes(cohorts, trainees, rng):
    """`trainees` split over `cohorts` cohorts of uneven but similar size (each at least 1)."""
    if cohorts < 1 or trainees < cohorts:
        raise GenerationRefused("Ask for at least one cohort and at least one trainee per cohort.")
    weights = [rng.uniform(0.6, 1.4) for _ in range(cohorts)]
    total = sum(weights)
    sizes = [max(1, int(trainees * w / total)) for w in weights]
    for index in range(trainees - sum(sizes)):
        sizes[index % cohorts] += 1
    while sum(sizes) > trainees:
        largest = sizes.index(max(sizes))
        sizes[largest] -= 1
    return sizes


def generate(*, sizes, password, curriculum_keys=(), seed=2026, tag=None, now=None, upcoming=False, delivery=None):
    """Create cohorts of the given sizes with trainees and their histories; flushes, the caller
    commits. Returns a Summary. `delivery`: every cohort's mode (default: a realistic mix).
    `upcoming`: in-person cohorts whose first day is still ahead, so their trainees are enrolled
    and have done nothing yet (the pre-test is open to them)."""
    started = time.perf_counter()
    rng = random.Random(seed)
    now = now or utcnow()
    courses = _courses(curriculum_keys, seed)
    tag = tag or _fresh_tag()
    if db.session.scalar(select(User.id).where(User.email.like(f"%.{tag}%@{_domain()}")).limit(1)) is not None:
        raise GenerationRefused(f"Generated accounts tagged {tag!r} exist already; choose another --tag.")
    summary = Summary(tag, [course.outline.key for course in courses])
    password_hash = generate_password_hash(normalize_password(password), method=auth_models.PASSWORD_HASH_METHOD)
    writer = _Writer(summary, rng, now, password_hash, tag)
    trainers = writer.trainers(max(1, (len(sizes) + 3) // 4))
    for index, size in enumerate(sizes):
        course = courses[index % len(courses)]
        others = [c for c in courses if c is not course]
        cohort = writer.cohort(course, index, trainers, upcoming, delivery)
        for first in range(0, size, CHUNK):
            writer.learners(course, cohort, min(CHUNK, size - first), others)
        summary.cohorts.append((cohort.id, course.outline.key, size, cohort.delivery.mode))
    db.session.flush()
    summary.seconds = time.perf_counter() - started
    return summary


def _domain():
    return "generated.example.org"


def _fresh_tag():
    return "g" + secrets.token_hex(2)


def _courses(curriculum_keys, seed):
    query = select(Curriculum).order_by(Curriculum.key)
    if curriculum_keys:
        query = query.where(Curriculum.key.in_(curriculum_keys))
    curricula = db.session.scalars(query).all()
    if not curricula:
        if curriculum_keys:
            raise GenerationRefused(f"No imported curriculum has the key {', '.join(curriculum_keys)}.")
        raise GenerationRefused("No curricula are imported yet: run `flask curricula import` first; generated "
                                "histories follow the imported modules, lessons and question banks.")
    missing = set(curriculum_keys) - {c.key for c in curricula}
    if missing:
        raise GenerationRefused(f"No imported curriculum has the key {', '.join(sorted(missing))}.")
    banks = _question_banks([c.id for c in curricula], seed)
    return [_Course(c, outline_for(c), banks) for c in curricula]


def _question_banks(curriculum_ids, seed):
    """{quiz id: active questions with their active choices}, in two queries."""
    choices = {}
    for question_id, choice_id, is_correct in db.session.execute(
            select(Choice.question_id, Choice.id, Choice.is_correct).join(Question).join(Quiz)
            .where(Quiz.curriculum_id.in_(curriculum_ids), Choice.retired_at.is_(None))
            .order_by(Choice.question_id, Choice.position)):
        choices.setdefault(question_id, []).append((choice_id, is_correct))
    banks = {}
    for question_id, quiz_id, question_type in db.session.execute(
            select(Question.id, Question.quiz_id, Question.type).join(Quiz)
            .where(Quiz.curriculum_id.in_(curriculum_ids), Question.retired_at.is_(None))
            .order_by(Question.quiz_id, Question.position)):
        own = choices.get(question_id, [])
        banks.setdefault(quiz_id, []).append(histories.question(
            question_id, question_type, [c for c, _ in own], [c for c, ok in own if ok], seed))
    return {quiz_id: tuple(questions) for quiz_id, questions in banks.items()}


@functools.cache
def _untyped(model):
    return sa_table(model.__tablename__, *(column(c.name) for c in model.__table__.columns))


@functools.lru_cache(maxsize=65536)
def _json_ids(ids):
    """JSON text of a tuple of ids; the few thousand distinct orders and selections are cached."""
    return json.dumps(list(ids))


@dataclass(frozen=True)
class _Cohort:
    id: int
    name: str
    delivery: histories.Delivery
    trainer_ids: tuple
    trainer_names: str | None


class _Writer:
    """Builds rows and inserts them; keeps the counters that make emails and codes unique."""

    def __init__(self, summary, rng, now, password_hash, tag):
        self.summary, self.rng, self.now, self.password_hash, self.tag = summary, rng, now, password_hash, tag
        self.serial = 0
        self.codes = set(db.session.scalars(select(Certificate.code)))
        self.join_codes = set(db.session.scalars(select(Cohort.join_code)))
        self.demo_trainer = db.session.execute(select(User.id, User.name).where(
            User.email == DEMO_TRAINER_EMAIL)).first()
        self.admin_id = db.session.scalar(select(User.id).where(User.role == Role.ADMIN.value).order_by(User.id))

    def _insert(self, model, rows, returning=False, encoded=False):
        """One executemany (or multi-row INSERT ... RETURNING id, in the rows' order) per call.
        Core's insert of the model's table, through the session: the ORM form, insert(model),
        groups rows by which values are None and costs about five times as much per row.
        `encoded`: the values are ready for the driver as they are (JSON already text), so the
        insert goes to an untyped copy of the table and skips per-value type processing."""
        if not rows:
            return []
        self.summary.add(model.__tablename__, len(rows))
        table = _untyped(model) if encoded else model.__table__
        if returning:
            statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
            return list(db.session.scalars(statement, rows))
        db.session.execute(insert(table), rows)
        return []

    def trainers(self, count):
        rows = []
        for _ in range(count):
            self.serial += 1
            name, agency, _discipline, jurisdiction = people.person(self.rng, self.serial)
            rows.append({"email": people.email_for(name, self.tag, self.serial, _domain()), "name": name,
                         "password_hash": self.password_hash, "role": Role.TRAINER.value, "agency": agency,
                         "discipline": "Training", "jurisdiction": jurisdiction,
                         "created_at": self.now - timedelta(days=400)})
        ids = self._insert(User, rows, returning=True)
        return [(user_id, row["name"]) for user_id, row in zip(ids, rows, strict=True)]

    def cohort(self, course, index, trainers, upcoming=False, delivery=None):
        rng, outline = self.rng, course.outline
        mode = rng.choices([m for m, _ in DELIVERY_MODES], [w for _, w in DELIVERY_MODES])[0]
        mode = delivery or mode
        first_day = (self.now - timedelta(days=rng.uniform(-30, 360))).date()
        if upcoming:
            mode, first_day = "in_person", (self.now + timedelta(days=rng.uniform(7, 30))).date()
        tribal = "indian" in outline.key or "tribal" in outline.key
        place = people.cohort_place(rng, tribal)
        chosen = rng.sample(trainers, k=min(len(trainers), 1 + (rng.random() < 0.4)))
        if self.demo_trainer is not None:
            chosen.append(tuple(self.demo_trainer))
        code = new_join_code()
        while code in self.join_codes:
            code = new_join_code()
        self.join_codes.add(code)
        name = f"{place}: {outline.title[:60]}, {first_day:%b %Y} (#{index + 1} {self.tag})"
        crossover = rng.random() < 0.2 and outline.pretest is not None and outline.posttest is not None
        days = histories.classroom_days(first_day, outline)
        [cohort_id] = self._insert(Cohort, [{
            "curriculum_id": outline.curriculum_id, "name": name[:160], "location": place, "delivery_mode": mode,
            "day1_date": days.get(1), "day2_date": days.get(2), "default_track": "introductory",
            "join_code": code, "join_open": first_day > self.now.date(), "crossover_forms": crossover,
            "created_by_id": chosen[0][0], "created_at": self.now - timedelta(days=rng.uniform(400, 420))}],
            returning=True)
        self._insert(CohortTrainer, [{"cohort_id": cohort_id, "user_id": user_id} for user_id, _ in chosen])
        names = ", ".join(sorted(name for _, name in chosen))[:255] or None
        return _Cohort(cohort_id, name[:160], histories.Delivery(mode, days, crossover),
                       tuple(user_id for user_id, _ in chosen), names)

    def learners(self, course, cohort, count, other_courses):
        """`count` new trainees in `cohort`, some also self-paced in another curriculum."""
        rng = self.rng
        users, plans = [], []  # plans: (user index, course, cohort or None, track, form order, history)
        for n in range(count):
            self.serial += 1
            name, agency, discipline, jurisdiction = people.person(rng, self.serial)
            track = "advanced" if rng.random() < ADVANCED_SHARE else "introductory"
            form_order = "BA" if cohort.delivery.crossover and n % 2 else "AB"
            main = histories.simulate(course.outline, course.banks, cohort.delivery, track, form_order, rng, self.now)
            plans.append((n, course, cohort, track, form_order, main))
            if other_courses and rng.random() < SELF_PACED_SHARE:
                other = rng.choice(other_courses)
                alone = histories.Delivery(histories.SELF_PACED, {})
                plans.append((n, other, None, track, "AB",
                              histories.simulate(other.outline, other.banks, alone, track, "AB", rng, self.now)))
            users.append({"email": people.email_for(name, self.tag, self.serial, _domain()), "name": name,
                          "password_hash": self.password_hash, "role": Role.TRAINEE.value, "agency": agency,
                          "discipline": discipline, "jurisdiction": jurisdiction,
                          "time_accommodation": 1.5 if rng.random() < 0.01 else 1.0,
                          "created_at": main.enrolled_at - timedelta(minutes=rng.uniform(5, 600))})
        user_ids = self._insert(User, users, returning=True)
        enrollment_ids = self._insert(Enrollment, [{
            "user_id": user_ids[n], "curriculum_id": plan_course.outline.curriculum_id, "track": track,
            "enrolled_at": history.enrolled_at, "completed_at": history.completed_at,
            "last_activity_at": history.last_activity_at, "cohort_id": plan_cohort.id if plan_cohort else None,
            "form_order": form_order} for n, plan_course, plan_cohort, track, form_order, history in plans],
            returning=True)
        self._histories(plans, enrollment_ids, user_ids, users)

    def _histories(self, plans, enrollment_ids, user_ids, users):
        reads, attendance, attempts, answer_sets, certificates = [], [], [], [], []
        for (n, course, cohort, track, _order, history), enrollment_id in zip(plans, enrollment_ids, strict=True):
            reads.extend({"enrollment_id": enrollment_id, "lesson_id": lesson_id, "completed_at": at}
                         for lesson_id, at in history.reads)
            recorder = cohort.trainer_ids[0] if cohort else None
            attendance.extend({"enrollment_id": enrollment_id, "day_number": day, "present": present, "method": method,
                               "recorded_by_id": None if method == "check_in" else recorder, "recorded_at": at}
                              for day, present, method, at in history.attendance)
            for plan in history.attempts:
                attempts.append({"enrollment_id": enrollment_id, "quiz_id": plan.quiz_id, "number": plan.number,
                                 "state": plan.state, "started_at": plan.started_at, "submitted_at": plan.submitted_at,
                                 "score": plan.score, "passed": plan.passed, "late": False})
                answer_sets.append(plan.answers)
            if history.completed_at is not None:
                certificates.append(self._certificate(course, cohort, track, enrollment_id, user_ids[n],
                                                      users[n]["name"], history.completed_at))
        self._insert(LessonProgress, reads)
        self._insert(Attendance, attendance)
        attempt_ids = self._insert(Attempt, attempts, returning=True)
        self._insert(Answer, [
            {"attempt_id": attempt_id, "question_id": question_id, "position": position,
             "choice_order": _json_ids(order), "selected": _json_ids(selected), "score": score}
            for attempt_id, answers in zip(attempt_ids, answer_sets, strict=True)
            for question_id, position, order, selected, score in answers], encoded=True)
        self._insert(Certificate, certificates)

    def _certificate(self, course, cohort, track, enrollment_id, user_id, name, completed_at):
        code = new_code()
        while code in self.codes:
            code = new_code()
        self.codes.add(code)
        curriculum = course.curriculum
        revoked = self.rng.random() < REVOKED_SHARE
        revoked_at = min(self.now, completed_at + timedelta(days=self.rng.uniform(1, 30))) if revoked else None
        return {"code": code, "enrollment_id": enrollment_id, "sequence": 1, "user_id": user_id,
                "curriculum_id": curriculum.id, "learner_name": name, "curriculum_title": curriculum.title,
                "curriculum_version": curriculum.version, "track": track, "credit_hours": curriculum.credit_hours,
                "cohort_name": cohort.name if cohort else None,
                "trainer_names": cohort.trainer_names if cohort else None,
                "completed_at": completed_at, "issued_at": completed_at, "revoked_at": revoked_at,
                "revocation_reason": "issued_in_error" if revoked else None,
                "revocation_note": "Generated: issued to the wrong enrollment." if revoked else None,
                "revoked_by_id": self.admin_id if revoked else None}

