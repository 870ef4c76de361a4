"""A small world in which every URL variable names something real and owned by someone:

- trainer A teaches an in-person cohort of the fixture curriculum; trainee A is in it, has
  completed it (post-test passed, a certificate), has an open quiz attempt, and has an unused
  password link;
- trainee B has a self-paced enrollment of their own and nothing else;
- trainer B teaches nothing that trainee A is in; one admin.

Actors then request each other's objects (see test_access_matrix.py)."""

import datetime
import functools
from dataclasses import dataclass

from sqlalchemy import func, select

from lms.auth.models import User
from lms.auth.reset import RESET_LINK_LIFETIME, create_password_link
from lms.certificates.models import Certificate
from lms.certificates.operations import issue_certificate_if_complete
from lms.cohorts import operations as cohorts
from lms.core.time import utcnow
from lms.curricula.loader import load_all
from lms.curricula.operations import import_curricula
from lms.extensions import db, limiter
from lms.learning import operations as learning
from lms.learning.queries import clear_outline_cache, curriculum_by_key, outline_for
from lms.quizzes import operations as quizzes
from lms.quizzes.models import Answer, Attempt
from tests.conftest import FIXTURE_CURRICULUM, PASSWORD, _empty_all_tables

ACTORS = ("anonymous", "trainee", "other_trainee", "trainer", "other_trainer", "admin")


@functools.cache
def _fixture_specs():
    # Parsing and validating the YAML is the slow part of an import; the specs are plain data.
    return tuple(load_all(FIXTURE_CURRICULUM))


@dataclass
class World:
    users: dict
    curriculum_key: str
    curriculum_id: int
    module_key: str
    lesson_key: str
    quiz_key: str
    quiz_id: int
    cohort_id: int
    join_code: str
    check_in_code: str
    enrollment_id: int
    other_enrollment_id: int
    certificate_code: str
    attempt_id: int
    password_token: str

    def user(self, actor):
        return db.session.get(User, self.users[actor]) if actor != "anonymous" else None

    def email(self, actor):
        return self.user(actor).email

    def attempt_answers(self):
        """{position: shown choice ids} of the open attempt."""
        rows = db.session.execute(select(Answer.position, Answer.choice_order)
                                  .where(Answer.attempt_id == self.attempt_id)).all()
        return dict(rows)


def build_world(make_user):
    """Create the world; every row committed. Takes about as long as a handful of requests."""
    import_curricula(_fixture_specs())
    db.session.commit()
    curriculum = curriculum_by_key("fixture-course")
    outline = outline_for(curriculum)
    module = outline.module("basics")
    trainee = make_user("trainee", email="ana.owner@example.org", name="Ana Owner")
    other_trainee = make_user("trainee", email="ben.other@example.org", name="Ben Other")
    trainer = make_user("trainer", email="tia.trainer@example.org", name="Tia Trainer")
    other_trainer = make_user("trainer", email="tom.elsewhere@example.org", name="Tom Elsewhere")
    admin = make_user("admin", email="ada.admin@example.org", name="Ada Admin")
    deactivated = make_user("trainee", email="dee.former@example.org", name="Dee Former")
    deactivated.active = False

    cohort = cohorts.create_cohort(trainer, curriculum_id=curriculum.id, name="Pine County academy",
                                   delivery_mode="in_person")
    enrollment, _ = cohorts.enroll_in_cohort(trainee, cohort, "introductory")
    window = cohorts.open_check_in(cohort, trainer, 1, 60)
    other_enrollment = learning.enroll(other_trainee, curriculum, "introductory")
    db.session.flush()
    attempt = quizzes.start_attempt(enrollment, outline, module.quiz, trainee)
    finished = utcnow() - datetime.timedelta(minutes=5)
    db.session.add(Attempt(enrollment_id=enrollment.id, quiz_id=outline.posttest.id, number=1, started_at=finished,
                           state="submitted", submitted_at=finished, score=100, passed=True))
    enrollment.completed_at = finished
    certificate = issue_certificate_if_complete(enrollment)
    token = create_password_link(trainee, admin, RESET_LINK_LIFETIME)
    db.session.commit()
    return World(
        users={"trainee": trainee.id, "other_trainee": other_trainee.id, "trainer": trainer.id,
               "other_trainer": other_trainer.id, "admin": admin.id,
               "deactivated": deactivated.id},
        curriculum_key=curriculum.key, curriculum_id=curriculum.id, module_key=module.key,
        lesson_key=module.lessons[0].key, quiz_key=module.quiz.key, quiz_id=module.quiz.id,
        cohort_id=cohort.id, join_code=cohort.join_code, check_in_code=window.code,
        enrollment_id=enrollment.id, other_enrollment_id=other_enrollment.id,
        certificate_code=certificate.display_code, attempt_id=attempt.id, password_token=token,
    )


def rebuild_world(make_user):
    """Empty every table and build the world again (after a request that may have changed it)."""
    db.session.commit()
    db.session.remove()
    _empty_all_tables()
    clear_outline_cache()
    limiter.reset()
    return build_world(make_user)


def log_in(client, world, actor):
    """Log `actor` in on `client` through the login form (anonymous: do nothing)."""
    if actor == "anonymous":
        return
    response = client.post("/login", data={"email": world.email(actor), "password": PASSWORD})
    assert response.status_code == 302, f"could not log in as {actor}"


def certificate_count():
    return db.session.scalar(select(func.count()).select_from(Certificate))
