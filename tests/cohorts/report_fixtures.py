"""Builders for the report tests: cohorts whose learners gave chosen answers, written straight to
the database (no HTTP), and big cohorts written with bulk inserts."""

import secrets
from itertools import count

from sqlalchemy import func, insert, select

from lms.auth.models import User
from lms.certificates.models import Certificate
from lms.cohorts.models import Attendance, Cohort, CohortTrainer
from lms.core.time import utcnow
from lms.curricula.models import Choice, Lesson, Module, Question, Quiz
from lms.extensions import db
from lms.learning.models import Enrollment, LessonProgress
from lms.quizzes import grading
from lms.quizzes.models import Answer, Attempt, AttemptState

_codes = count(1)


def new_cohort(curriculum, trainer=None, name="Academy class", **fields):
    """A cohort of `curriculum` taught by `trainer`."""
    cohort = Cohort(curriculum_id=curriculum.id, name=name, join_code=secrets.token_hex(4).upper(), **fields)
    db.session.add(cohort)
    db.session.flush()
    if trainer is not None:
        db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=trainer.id))
    db.session.commit()
    return cohort


class Course:
    """Ids of the fixture curriculum's quizzes, questions, choices and lessons, by key."""

    def __init__(self, curriculum):
        self.curriculum = curriculum
        quizzes = db.session.execute(select(Quiz.key, Quiz.id, Quiz.pass_mark)
                                     .where(Quiz.curriculum_id == curriculum.id)).all()
        self.quizzes = {key: quiz_id for key, quiz_id, _ in quizzes}
        self.pass_marks = {key: pass_mark for key, _, pass_mark in quizzes}
        self.questions = {(quiz_key, key): (question_id, question_type)
                          for quiz_key, key, question_id, question_type in db.session.execute(
                              select(Quiz.key, Question.key, Question.id, Question.type)
                              .join(Quiz, Question.quiz_id == Quiz.id).where(Quiz.curriculum_id == curriculum.id))}
        self.choices = {}
        for question_id, key, choice_id, is_correct in db.session.execute(
                select(Choice.question_id, Choice.key, Choice.id, Choice.is_correct).order_by(Choice.position)):
            self.choices.setdefault(question_id, {})[key] = (choice_id, is_correct)
        self.lessons = {(module_key, key): lesson_id for module_key, key, lesson_id in db.session.execute(
            select(Module.key, Lesson.key, Lesson.id).join(Module, Lesson.module_id == Module.id)
            .where(Module.curriculum_id == curriculum.id))}

    def question_id(self, quiz_key, key):
        return self.questions[(quiz_key, key)][0]

    def choice_id(self, quiz_key, key, choice_key):
        return self.choices[self.question_id(quiz_key, key)][choice_key][0]

    def enroll(self, cohort, user, track="introductory", form_order="AB"):
        enrollment = Enrollment(user_id=user.id, curriculum_id=self.curriculum.id, track=track, cohort_id=cohort.id,
                                form_order=form_order)
        db.session.add(enrollment)
        db.session.commit()
        return enrollment

    def take(self, enrollment, quiz_key, picks, number=1, submitted=True, form=None):
        """An attempt at `quiz_key` answering `picks`: [(question key, [choice keys])], with the
        questions taken from the quiz `form` (default: the same quiz), graded as the server would."""
        form = form or quiz_key
        attempt = Attempt(enrollment_id=enrollment.id, quiz_id=self.quizzes[quiz_key], number=number,
                          state=AttemptState.SUBMITTED.value if submitted else AttemptState.IN_PROGRESS.value)
        db.session.add(attempt)
        db.session.flush()
        scores = []
        for position, (question_key, choice_keys) in enumerate(picks, start=1):
            question_id, question_type = self.questions[(form, question_key)]
            choices = self.choices[question_id]
            selected = [choices[key][0] for key in choice_keys]
            score = None
            if submitted:
                correct = [choice_id for choice_id, is_correct in choices.values() if is_correct]
                score = grading.grade_question(question_type, correct, selected).score
                scores.append(score)
            db.session.add(Answer(attempt_id=attempt.id, question_id=question_id, position=position,
                                  choice_order=[c[0] for c in choices.values()], selected=selected, score=score))
        if submitted:
            attempt.submitted_at = utcnow()
            attempt.score = grading.percent(scores)
            attempt.passed = grading.is_pass(attempt.score, self.pass_marks[quiz_key])
        db.session.commit()
        return attempt

    def read(self, enrollment, module_key, lessons=("first", "second")):
        for lesson in lessons:
            db.session.add(LessonProgress(enrollment_id=enrollment.id, lesson_id=self.lessons[(module_key, lesson)]))
        db.session.commit()

    def complete_module(self, enrollment, module_key):
        """Read both lessons and pass the quiz (drawn: the four first questions, all right)."""
        self.read(enrollment, module_key)
        right = [("q-single", ["a"]), ("q-multiple", ["a", "b"]), ("q-true", ["true"]), ("q-false", ["false"])]
        number = 1 + db.session.scalar(select(func.count()).select_from(Attempt).where(
            Attempt.enrollment_id == enrollment.id, Attempt.quiz_id == self.quizzes[module_key]))
        self.take(enrollment, module_key, right, number=number)


def attend(enrollment, day, present=True):
    db.session.add(Attendance(enrollment_id=enrollment.id, day_number=day, present=present, method="roster"))
    db.session.commit()


def certify(enrollment, user, revoked=False):
    now = utcnow()
    db.session.add(Certificate(
        code=f"T{next(_codes):011d}", enrollment_id=enrollment.id, sequence=1, user_id=user.id,
        curriculum_id=enrollment.curriculum_id, learner_name=user.name, curriculum_title="Fixture Course",
        curriculum_version="v", track=enrollment.track, credit_hours=2, completed_at=now,
        revoked_at=now if revoked else None, revocation_reason="other" if revoked else None))
    db.session.commit()


def bulk_cohort(course, trainer, size, tag):
    """An in-person crossover cohort of `size` trainees with lessons read, pre-test, basics quiz and
    post-test attempts (with answers), attendance and some certificates, in a few bulk inserts."""
    cohort = new_cohort(course.curriculum, trainer, name=f"Bulk {tag}", delivery_mode="in_person",
                        crossover_forms=True)
    db.session.execute(insert(User), [
        {"email": f"bulk-{tag}-{n}@example.test", "password_hash": "x", "name": f"Bulk {tag} {n:05d}",
         "role": "trainee"} for n in range(size)])
    users = db.session.execute(select(User.id, User.name).where(User.email.like(f"bulk-{tag}-%"))
                               .order_by(User.id)).all()
    db.session.execute(insert(Enrollment), [
        {"user_id": user_id, "curriculum_id": course.curriculum.id, "cohort_id": cohort.id,
         "track": "advanced" if n % 3 == 0 else "introductory", "form_order": "BA" if n % 2 else "AB"}
        for n, (user_id, _name) in enumerate(users)])
    enrollments = db.session.execute(select(Enrollment.id, Enrollment.user_id, Enrollment.track,
                                            Enrollment.form_order)
                                     .where(Enrollment.cohort_id == cohort.id).order_by(Enrollment.id)).all()
    db.session.execute(insert(LessonProgress), [
        {"enrollment_id": e.id, "lesson_id": course.lessons[("basics", lesson)]}
        for e in enrollments for lesson in ("first", "second")])
    db.session.execute(insert(Attendance), [
        {"enrollment_id": e.id, "day_number": day, "present": (e.id + day) % 4 != 0, "method": "roster"}
        for e in enrollments for day in (1, 2)])
    plans = []  # (enrollment id, quiz key, form, number, [(question key, right?)])
    for n, e in enumerate(enrollments):
        pre_form, post_form = ("posttest", "pretest") if e.form_order == "BA" else ("pretest", "posttest")
        plans.append((e.id, "pretest", pre_form, 1, [("1", n % 2 == 0), ("2", n % 5 == 0)]))
        plans.append((e.id, "posttest", post_form, 1, [("1", n % 3 != 0), ("2", n % 2 == 0)]))
        drawn = ["q-single", "q-multiple", "q-true", "q-false", "q-extra", "q-extra-two"]
        drawn = drawn[n % 3:n % 3 + 4]
        plans.append((e.id, "basics", "basics", 1, [(key, (n + i) % 4 != 0) for i, key in enumerate(drawn)]))
    db.session.execute(insert(Attempt), [
        {"enrollment_id": enrollment_id, "quiz_id": course.quizzes[quiz], "number": number, "state": "submitted",
         "score": 100 * sum(right for _, right in items) / len(items), "passed": True}
        for enrollment_id, quiz, _form, number, items in plans])
    attempt_ids = {(enrollment_id, quiz_id): attempt_id for attempt_id, enrollment_id, quiz_id in db.session.execute(
        select(Attempt.id, Attempt.enrollment_id, Attempt.quiz_id).join(Enrollment)
        .where(Enrollment.cohort_id == cohort.id))}
    answers = []
    for enrollment_id, quiz, form, _number, items in plans:
        for position, (key, right) in enumerate(items, start=1):
            question_key = f"{form}-{key}" if form in ("pretest", "posttest") else key
            question_id = course.question_id(form, question_key)
            choices = course.choices[question_id]
            picked = [c for c, ok in choices.values() if ok == right][:1]
            answers.append({"attempt_id": attempt_ids[(enrollment_id, course.quizzes[quiz])],
                            "question_id": question_id, "position": position,
                            "choice_order": [c for c, _ in choices.values()], "selected": picked,
                            "score": 1.0 if right else 0.0})
    db.session.execute(insert(Answer), answers)
    now = utcnow()
    names = dict(users)
    db.session.execute(insert(Certificate), [
        {"code": f"{tag[:1].upper()}{next(_codes):011d}", "enrollment_id": e.id, "sequence": 1, "user_id": e.user_id,
         "curriculum_id": course.curriculum.id, "learner_name": names[e.user_id], "curriculum_title": "Fixture",
         "curriculum_version": "v", "track": e.track, "credit_hours": 2, "completed_at": now}
        for n, e in enumerate(enrollments) if n % 10 == 0])
    db.session.commit()
    return cohort
