"""Starting an attempt stores a shuffled choice order (design §4), checked on what was stored."""

import random

from sqlalchemy import select

from lms.curricula.models import Choice
from lms.extensions import db
from lms.learning.operations import enroll
from lms.learning.queries import outline_for
from lms.quizzes import grading, operations
from lms.quizzes.models import Answer

LEARNERS = 5


def _start_attempts(make_user, curriculum):
    """One attempt at the basics quiz for each of several learners; their ids."""
    outline = outline_for(curriculum)
    quiz = outline.quiz("basics")
    attempt_ids = []
    for seed in range(LEARNERS):
        user = make_user()
        enrollment = enroll(user, curriculum, "introductory")
        db.session.flush()
        attempt_ids.append(operations.start_attempt(enrollment, outline, quiz, user, rng=random.Random(seed)).id)
    db.session.commit()
    return attempt_ids


def _stored_orders_differing_from_file_order(attempt_ids):
    """How many stored choice orders differ from the order the choices have in the quiz file."""
    answers = db.session.scalars(select(Answer).where(Answer.attempt_id.in_(attempt_ids))).all()
    file_order = {}
    for question_id, choice_id in db.session.execute(
            select(Choice.question_id, Choice.id).where(Choice.question_id.in_({a.question_id for a in answers}))
            .order_by(Choice.position)):
        file_order.setdefault(question_id, []).append(choice_id)
    assert all(sorted(a.choice_order) == sorted(file_order[a.question_id]) for a in answers)  # every choice, once
    return sum(answer.choice_order != file_order[answer.question_id] for answer in answers)


def test_starting_attempts_stores_shuffled_choice_orders(app, make_user, curriculum):
    assert _stored_orders_differing_from_file_order(_start_attempts(make_user, curriculum)) > 0


def test_without_shuffling_every_stored_order_is_the_file_order(app, make_user, curriculum, monkeypatch):
    """The check above can fail: with the shuffle made the identity, no order differs."""
    monkeypatch.setattr(grading, "shuffled", lambda items, rng=None: list(items))
    assert _stored_orders_differing_from_file_order(_start_attempts(make_user, curriculum)) == 0
