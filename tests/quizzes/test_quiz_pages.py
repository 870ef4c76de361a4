from datetime import timedelta
from html.parser import HTMLParser

from sqlalchemy import select

from lms.curricula.models import Choice
from lms.extensions import db
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
