"""Learner states for the browser tests, written through the domain operations into the served
database, and the answer key of a drawn attempt (the test may read it; the page never shows it)."""

import itertools
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import pyotp
from sqlalchemy import select

from lms.core.time import utcnow
from tests.conftest import PASSWORD

CURRICULUM_KEY = "fixture-course"
LESSON_KEYS = ("first", "second")
DAY_ONE_MODULES = ("basics", "newcomers")  # required on the introductory track
DAY_TWO_MODULES = ("practice",)


@dataclass(frozen=True)
class Account:
    email: str
    name: str
    password: str = PASSWORD
    totp_secret: str | None = None  # staff with two-step verification on

    def current_code(self):
        """The code the account's authenticator app shows now."""
        return authenticator_code(self.totp_secret)


def authenticator_code(secret):
    """The code an authenticator app set up with `secret` shows now (spaces in the key ignored)."""
    return pyotp.TOTP(secret.replace(" ", "")).now()


class Seeder:
    def __init__(self, app, curriculum_key=CURRICULUM_KEY):
        self.app = app
        self.curriculum_key = curriculum_key
        self._numbers = itertools.count(1)

    @contextmanager
    def _session(self):
        from lms.extensions import db

        with self.app.app_context():
            yield db.session
            db.session.commit()

    def _learner(self, email):
        """(user, enrollment or None, curriculum, outline) for `email` in the curriculum."""
        from lms.auth.operations import find_user_by_email
        from lms.learning import queries

        user = find_user_by_email(email)
        curriculum = queries.curriculum_by_key(self.curriculum_key)
        return user, queries.enrollment_for(user.id, curriculum.id), curriculum, queries.outline_for(curriculum)

    def account(self, name=None):
        """A new trainee who can log in with PASSWORD."""
        from lms.auth.operations import create_user

        number = next(self._numbers)
        email = f"learner-{number}-{uuid.uuid4().hex[:6]}@example.org"
        name = name or f"Learner {number}"
        with self._session():
            create_user(email=email, password=PASSWORD, name=name, agency="County Probation",
                        discipline="probation", jurisdiction="Fixture County")
        return Account(email=email, name=name)

    def staff(self, role, two_step=True):
        """A new trainer or admin. With `two_step`, verification is already on, set up with the
        previous 30-second code so that the code of the moment still works at the next login."""
        from lms.auth import mfa
        from lms.auth.operations import create_user

        number = next(self._numbers)
        email = f"{role}-{number}-{uuid.uuid4().hex[:6]}@example.org"
        name = f"{role.title()} {number}"
        secret = None
        with self._session():
            user = create_user(email=email, password=PASSWORD, name=name, role=role, agency="State Academy")
            if two_step:
                secret = mfa.start_enrollment(user)
                previous_code = pyotp.TOTP(secret).at(time.time() - mfa.TOTP_INTERVAL)
                assert mfa.enable(user, previous_code), "could not turn two-step verification on"
        return Account(email=email, name=name, totp_secret=secret)

    def cohort(self, trainer, learners=(), delivery="in_person", name=None):
        """A cohort of the fixture curriculum run by `trainer`, with `learners` enrolled; its id."""
        from lms.auth.operations import find_user_by_email
        from lms.cohorts import operations
        from lms.learning import queries

        with self._session():
            actor = find_user_by_email(trainer.email)
            curriculum = queries.curriculum_by_key(self.curriculum_key)
            cohort = operations.create_cohort(
                actor, curriculum_id=curriculum.id, name=name or f"Pine County academy {next(self._numbers)}",
                location="Pine County Justice Center", delivery_mode=delivery)
            for account in learners:
                operations.enroll_in_cohort(find_user_by_email(account.email), cohort)
            return cohort.id

    def attend(self, trainer, cohort_id, day_number, accounts):
        """The trainer marks `accounts` present (and everyone else in the cohort absent) on a day."""
        from lms.auth.operations import find_user_by_email
        from lms.cohorts import operations
        from lms.cohorts.models import Cohort

        with self._session() as session:
            present = [self._learner(account.email)[1].id for account in accounts]
            operations.record_attendance(session.get(Cohort, cohort_id), find_user_by_email(trainer.email),
                                         day_number, present)

    def evaluate(self, account, rating=4, comment="The scenarios were the most useful part."):
        """The learner answers every item of the end-of-course evaluation with `rating`."""
        from lms.evaluations import operations, queries

        with self._session():
            _, enrollment, curriculum, outline = self._learner(account.email)
            ratings = {item.id: rating for item in queries.current_items(curriculum.id)}
            comments = {question.id: comment for question in queries.current_questions(curriculum.id)}
            # sent yesterday: a trainer's figures include a response from the day after it is sent
            assert operations.submit_evaluation(enrollment, outline, ratings, comments,
                                                now=utcnow() - timedelta(days=1))

    def revoke(self, admin, code, reason="issued_in_error"):
        from lms.auth.operations import find_user_by_email
        from lms.certificates import operations
        from lms.certificates.queries import certificate_by_code

        with self._session():
            operations.revoke_certificate(certificate_by_code(code), reason, find_user_by_email(admin.email))

    def reported_cohort(self, trainer, size=5):
        """An online cohort of `size` learners who took the pre-test (half of them failing it),
        finished the course and answered the evaluation: every report has figures. Its id."""
        learners = [self.account() for _ in range(size)]
        cohort_id = self.cohort(trainer, learners, delivery="online")
        for number, account in enumerate(learners):
            self.finish_curriculum(account, pretest_right=number % 2 == 0)
            self.evaluate(account, rating=3 + number % 3)
        return cohort_id

    def password_link(self, account):
        """A one-time set-password link for the account, as staff would hand it over."""

        from lms.auth.operations import find_user_by_email
        from lms.auth.reset import create_password_link

        with self._session():
            return f"/password/{create_password_link(find_user_by_email(account.email), None, timedelta(days=14))}"

    def enroll(self, account, track="introductory"):
        from lms.learning import operations

        with self._session():
            user, _, curriculum, _ = self._learner(account.email)
            operations.enroll(user, curriculum, track)
        return account

    def read(self, account, module_key, lesson_keys=LESSON_KEYS):
        from lms.learning import operations

        with self._session():
            _, enrollment, _, outline = self._learner(account.email)
            module = outline.module(module_key)
            for lesson in module.lessons:
                if lesson.key in lesson_keys:
                    operations.mark_lesson_read(enrollment, outline, lesson.id)

    def start(self, account, quiz_key):
        """Start (or resume) an attempt; returns its id."""
        from lms.quizzes import operations

        with self._session():
            user, enrollment, _, outline = self._learner(account.email)
            return operations.start_attempt(enrollment, outline, outline.quiz(quiz_key), user).id

    def submit(self, account, attempt_id, right=True):
        from lms.quizzes import operations

        selections = {position: [int(choice) for choice in choices]
                      for position, choices in self.answer_key(attempt_id, right).items()}
        with self._session():
            _, enrollment, _, outline = self._learner(account.email)
            operations.submit_attempt(attempt_id, selections, enrollment, outline)

    def take(self, account, quiz_key, right=True):
        """Start and submit an attempt answering every question right (or every one wrong)."""
        attempt_id = self.start(account, quiz_key)
        self.submit(account, attempt_id, right)
        return attempt_id

    def finish_module(self, account, module_key):
        self.read(account, module_key)
        return self.take(account, module_key)

    def finish_day_one(self, account):
        for module_key in DAY_ONE_MODULES:
            self.finish_module(account, module_key)

    def finish_curriculum(self, account, pretest_right=True):
        """Every required step of the introductory track, pre-test first; the certificate follows."""
        self.take(account, "pretest", right=pretest_right)
        self.finish_day_one(account)
        for module_key in DAY_TWO_MODULES:
            self.finish_module(account, module_key)
        return self.take(account, "posttest")

    def answer_key(self, attempt_id, right=True):
        """{position: [choice ids as strings]}: every correct choice of each drawn question, or
        one wrong choice per question when `right` is false."""
        from lms.curricula.models import Choice
        from lms.quizzes.models import Answer

        with self._session() as session:
            answers = session.scalars(select(Answer).where(Answer.attempt_id == attempt_id)
                                      .order_by(Answer.position)).all()
            key = {}
            for answer in answers:
                correct = dict(session.execute(select(Choice.id, Choice.is_correct)
                                               .where(Choice.id.in_(answer.choice_order))).all())
                in_order = [choice_id for choice_id in answer.choice_order if choice_id in correct]
                if right:
                    chosen = [choice_id for choice_id in in_order if correct[choice_id]]
                else:
                    chosen = [choice_id for choice_id in in_order if not correct[choice_id]][:1]
                key[answer.position] = [str(choice_id) for choice_id in chosen]
            return key

    def certificate_code(self, account):
        """The display code of the learner's current certificate, or None."""
        from lms.certificates.queries import current_certificates_by_enrollment

        with self._session():
            _, enrollment, _, _ = self._learner(account.email)
            certificate = current_certificates_by_enrollment([enrollment.id]).get(enrollment.id)
            return certificate.display_code if certificate else None
