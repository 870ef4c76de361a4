"""Learner states for the browser tests, written through the domain operations into the served
database, and the answer key of a drawn attempt (the test may read it; the page never shows it)."""

import itertools
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import select

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
        email = f"learner-{number}-{uuid.uuid4().hex[:6]}@example.test"
        name = name or f"Learner {number}"
        with self._session():
            create_user(email=email, password=PASSWORD, name=name, agency="County Probation",
                        discipline="probation", jurisdiction="Fixture County")
        return Account(email=email, name=name)

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

    def finish_curriculum(self, account):
        """Every required step of the introductory track, pre-test first; the certificate follows."""
        self.take(account, "pretest")
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
