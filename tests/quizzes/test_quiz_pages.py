import re
from datetime import timedelta
from html.parser import HTMLParser

from flask import template_rendered
from sqlalchemy import not_, select, update

from lms.curricula.models import Choice
from lms.extensions import db
from lms.learning.models import Enrollment
from lms.learning.queries import clear_outline_cache
from lms.quizzes.models import Answer, Attempt
from tests.learning.helpers import Learner


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.attributes, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.attributes.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


def test_attempt_page_reveals_nothing_about_correctness(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll()
    attempt_id = learner.start("basics")
    html = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    parsed = _Collector()
    parsed.feed(html)
    names_and_values = " ".join(f"{name}={value}" for name, value in parsed.attributes).lower()
    assert "correct" not in names_and_values and "is_correct" not in html.lower()
    assert "explanation" not in html.lower()
    choice_keys = set(db.session.scalars(select(Choice.key)))
    values = {value for name, value in parsed.attributes if name == "value"}
    shown_ids = {str(choice_id) for answer in db.session.scalars(select(Answer)) for choice_id in answer.choice_order}
    assert shown_ids <= values
    assert not (values & choice_keys - {"true", "false"} - shown_ids)
    for answer in db.session.scalars(select(Answer)):
        correct = db.session.scalars(select(Choice.id).where(Choice.question_id == answer.question_id,
                                                             Choice.is_correct)).all()
        assert correct  # the page shows every choice; only their shuffled order differs per learner


def test_choice_order_is_stored_and_stable_across_reloads(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll()
    attempt_id = learner.start("basics")
    import re

    def shown_order():
        html = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
        return re.findall(r'name="(q\d+)"[^>]*value="(\d+)"', html)

    first = shown_order()
    assert len(first) >= 8 and first == shown_order()


def test_late_submission_is_graded_on_saved_answers(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll()
    attempt_id = learner.start("basics")
    attempt = db.session.get(Attempt, attempt_id)
    attempt.deadline_at = attempt.started_at - timedelta(minutes=5)
    db.session.commit()
    client.post(f"/attempts/{attempt_id}", data=learner.answers_for(attempt_id, right=True))
    graded = db.session.get(Attempt, attempt_id, populate_existing=True)
    assert graded.late and float(graded.score) == 0


def test_timed_quiz_deadline_uses_the_accommodation(app, client, auth, make_user, curriculum):
    from lms.curricula.models import Quiz
    from lms.learning.queries import clear_outline_cache

    db.session.execute(Quiz.__table__.update().where(Quiz.key == "basics").values(time_limit_minutes=20))
    user = make_user()
    user.time_accommodation = 1.5
    db.session.commit()
    clear_outline_cache()
    auth.login(user.email)
    learner = Learner(client)
    learner.enroll()
    attempt = db.session.get(Attempt, learner.start("basics"))
    assert attempt.deadline_at - attempt.started_at == timedelta(minutes=30)


def test_tampered_choice_ids_are_ignored(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll()
    attempt_id = learner.start("basics")
    form = learner.answers_for(attempt_id, right=False)
    foreign = db.session.scalar(select(Choice.id).order_by(Choice.id.desc()))
    form["q1"] = [str(foreign)]
    response = client.post(f"/attempts/{attempt_id}", data=form)
    assert response.status_code == 400  # not one of the choices shown: re-render with an error
    assert db.session.get(Attempt, attempt_id, populate_existing=True).state == "in_progress"


def _attempt_html(client, attempt_id):
    html = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    return re.sub(r'name="csrf_token"[^>]*>', 'name="csrf_token">', html)  # a signed, timestamped token


def test_attempt_page_is_the_same_whichever_choices_are_correct(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll()
    attempt_id = learner.start("basics")
    client.get(f"/attempts/{attempt_id}")  # shows, and so clears, the "enrolled" message
    before = _attempt_html(client, attempt_id)
    correct_before = set(db.session.scalars(select(Choice.id).where(Choice.is_correct)))
    db.session.execute(update(Choice).values(is_correct=not_(Choice.is_correct)))
    db.session.commit()
    clear_outline_cache()
    assert set(db.session.scalars(select(Choice.id).where(Choice.is_correct))).isdisjoint(correct_before)
    assert _attempt_html(client, attempt_id) == before  # so nothing on it depends on the answer key


def test_attempt_page_is_given_no_answer_key_or_explanations(app, client, auth, make_user, curriculum):
    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll()
    attempt_id = learner.start("basics")
    contexts = []

    def remember(sender, template, context, **extra):
        contexts.append(context)

    with template_rendered.connected_to(remember, app):
        assert client.get(f"/attempts/{attempt_id}").status_code == 200
    items = contexts[-1]["items"]
    assert len(items) == 4
    for item in items:
        assert not hasattr(item, "explanation") and not hasattr(item, "score")
        assert item.choices and all(not hasattr(choice, "is_correct") for choice in item.choices)


def _take_by_hand(client, learner, attempt_id, right):
    response = client.post(f"/attempts/{attempt_id}", data=learner.answers_for(attempt_id, right))
    assert response.status_code == 302


def _reveals_answers(client, attempt_id):
    return "Correct answer:" in client.get(f"/attempts/{attempt_id}/results").get_data(as_text=True)


def test_answers_stay_hidden_while_the_last_attempt_is_open(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll()
    first = learner.take("basics", right=False)
    second = learner.take("basics", right=False)
    third_id = learner.start("basics")  # the last of 3 allowed, in progress
    assert not _reveals_answers(client, first.id) and not _reveals_answers(client, second.id)
    _take_by_hand(client, learner, third_id, right=False)
    assert all(_reveals_answers(client, attempt_id) for attempt_id in (first.id, second.id, third_id))


def test_a_granted_attempt_hides_the_answers_until_it_too_is_submitted(client, auth, make_user, curriculum):
    from lms.quizzes.operations import grant_extra_attempt
    from tests.learning.helpers import quiz_id

    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll()
    last = [learner.take("basics", right=False) for _ in range(3)][-1]
    assert _reveals_answers(client, last.id)
    grant_extra_attempt(db.session.scalar(select(Enrollment)), quiz_id("basics"), make_user(role="trainer"))
    db.session.commit()
    assert not _reveals_answers(client, last.id)
    fourth_id = learner.start("basics")
    assert not _reveals_answers(client, last.id)
    _take_by_hand(client, learner, fourth_id, right=False)
    assert _reveals_answers(client, last.id) and _reveals_answers(client, fourth_id)


def test_after_a_pass_a_retake_in_progress_hides_the_answers(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll()
    failed = learner.take("basics", right=False)
    learner.take("basics", right=True)
    assert _reveals_answers(client, failed.id)  # passed: the earlier attempt's answers are shown
    learner.start("basics")
    assert not _reveals_answers(client, failed.id)
