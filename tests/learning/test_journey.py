"""Whole journeys through the fixture curriculum over HTTP (design §4 rules end to end)."""

from sqlalchemy import select

from lms.extensions import db
from lms.learning.models import Enrollment
from lms.learning.progress import Status, curriculum_progress
from lms.learning.queries import learner_record, outline_for
from tests.learning.helpers import Learner


def _enrollment():
    return db.session.scalar(select(Enrollment).execution_options(populate_existing=True))


def test_introductory_track_from_enrollment_to_completion(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    learner = Learner(client)
    assert learner.enroll("introductory").status_code == 302
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Take the pre-test" in dashboard

    pre = learner.take("pretest", right=False)
    assert pre.score == 0 and pre.passed is False
    assert client.get("/curricula/fixture-course/resume").headers["Location"].endswith(
        "/modules/basics/lessons/first")

    response = learner.read("basics", "first")
    assert response.headers["Location"].endswith("/modules/basics/lessons/second")
    response = learner.read("basics", "second")
    assert response.headers["Location"].endswith("/quizzes/basics")

    failed = learner.take("basics", right=False)
    assert failed.passed is False and failed.number == 1
    first_draw = learner.drawn_question_ids(failed.id)
    passed = learner.take("basics", right=True)
    assert passed.passed is True and passed.number == 2 and float(passed.score) == 100
    assert first_draw != learner.drawn_question_ids(passed.id)
    assert len(first_draw & learner.drawn_question_ids(passed.id)) <= 2  # bank of 6, draw 4: least seen first

    locked = client.get("/curricula/fixture-course").get_data(as_text=True)
    assert "Day 2 opens when Day 1 is complete" in locked
    assert "Module newcomers: 2 lessons to read" in locked
    assert learner.read("practice", "first").status_code == 403

    learner.read_module("newcomers")
    learner.take("newcomers")
    assert "Day 2 opens" not in client.get("/curricula/fixture-course").get_data(as_text=True)

    assert isinstance(learner.start("posttest"), object)
    learner.read_module("practice")
    learner.take("practice")
    assert _enrollment().completed_at is None

    post = learner.take("posttest")
    assert post.passed
    enrollment = _enrollment()
    assert enrollment.completed_at is not None
    page = client.get("/dashboard").get_data(as_text=True)
    assert "You completed this curriculum" in page and "100% complete" in page


def test_advanced_track_requires_a_different_set(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll("advanced")
    learner.read_module("basics")
    learner.take("basics")
    assert learner.read("practice", "first").status_code == 403  # specialists still missing
    page = client.get("/curricula/fixture-course").get_data(as_text=True)
    assert "Module specialists: 2 lessons to read" in page and "Module newcomers: 2 lessons" not in page
    learner.read_module("specialists")
    learner.take("specialists")
    learner.read_module("practice")
    learner.take("practice")
    learner.take("posttest")
    assert _enrollment().completed_at is not None  # without ever opening the introductory-only module
    assert learner_record(_enrollment()).read_lesson_ids.isdisjoint(
        lesson.id for lesson in outline_for(curriculum).module("newcomers").lessons)


def test_the_best_attempt_counts_after_a_later_failure(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll()
    learner.read_module("basics")
    passed = learner.take("basics", right=True)
    failed = learner.take("basics", right=False)
    assert passed.passed and not failed.passed and failed.number == 2
    basics = curriculum_progress(outline_for(curriculum), learner_record(_enrollment())).module("basics")
    assert basics.status == Status.COMPLETE and basics.quiz_passed and basics.best_score == 100
    assert "Module basics: pass the quiz" not in client.get("/curricula/fixture-course").get_data(as_text=True)


def test_posttest_is_refused_until_both_days_are_complete(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll()
    response = learner.start("posttest")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The post-test opens when every required module of both days is complete" in page


def test_pretest_closes_once_the_course_starts(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll()
    learner.read("basics", "first")
    response = learner.start("pretest")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The pre-test closes once you start the course" in page


def test_track_can_change_until_a_quiz_is_passed(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll("introductory")
    client.post("/curricula/fixture-course/track", data={"track": "advanced"})
    assert _enrollment().track == "advanced"
    learner.read_module("basics")
    learner.take("basics")
    response = client.post("/curricula/fixture-course/track", data={"track": "introductory"}, follow_redirects=True)
    assert "cannot be changed after a quiz has been passed" in response.get_data(as_text=True)
    assert _enrollment().track == "advanced"


def test_enrolling_twice_keeps_one_enrollment(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    Learner(client).enroll("introductory")
    Learner(client).enroll("advanced")
    assert len(db.session.scalars(select(Enrollment)).all()) == 1


def test_max_attempts_then_answers_revealed(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll()
    learner.read_module("basics")
    first = learner.take("basics", right=False)
    results = client.get(f"/attempts/{first.id}/results").get_data(as_text=True)
    assert "Correct answer:" not in results and "You have 2 attempts left" in results
    learner.take("basics", right=False)
    last = learner.take("basics", right=False)
    results = client.get(f"/attempts/{last.id}/results").get_data(as_text=True)
    assert "Correct answer:" in results and "no attempts left" in results
    response = learner.start("basics")
    assert "used every attempt" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_extra_attempt_granted_by_a_trainer_is_audited(client, auth, make_user, curriculum):
    from lms.core.audit import AuditEvent
    from lms.quizzes.operations import grant_extra_attempt
    from tests.learning.helpers import quiz_id

    trainer = make_user(role="trainer")
    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll()
    for _ in range(3):
        learner.take("basics", right=False)
    grant_extra_attempt(_enrollment(), quiz_id("basics"), trainer, "Fire alarm during attempt 3")
    db.session.commit()
    assert learner.take("basics").number == 4
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "quiz.extra_attempt"))
    assert event.actor_id == trainer.id and event.details["reason"] == "Fire alarm during attempt 3"


def test_saved_answers_survive_and_an_open_attempt_is_resumed(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll()
    attempt_id = learner.start("basics")
    data = learner.answers_for(attempt_id, right=True)
    data.pop("submit")
    data["save"] = "Save answers and finish later"
    assert client.post(f"/attempts/{attempt_id}", data=data).status_code == 302
    assert learner.start("basics") == attempt_id  # resumed, not redrawn
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert page.count("checked") >= 4


def test_another_trainees_attempt_is_not_found(app, client, auth, make_user, curriculum):
    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll()
    attempt_id = learner.start("basics")
    other = app.test_client()
    Learner(other)
    other.post("/login", data={"email": make_user().email, "password": "correct horse battery staple"})
    assert other.get(f"/attempts/{attempt_id}").status_code == 404
    assert other.post(f"/attempts/{attempt_id}", data={"submit": "x"}).status_code == 404
    assert other.get(f"/attempts/{attempt_id}/results").status_code == 404


def test_a_half_answered_attempt_can_be_saved_and_submitted(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll()
    attempt_id = learner.start("basics")
    data = learner.answers_for(attempt_id, right=True)
    answered = [key for key in data if key.startswith("q")]
    data.pop(answered[0])
    data.pop("submit")
    data["save"] = "Save answers and finish later"
    assert client.post(f"/attempts/{attempt_id}", data=data).status_code == 302
    data.pop("save")
    data["submit"] = "Submit answers for grading"
    assert client.post(f"/attempts/{attempt_id}", data=data).status_code == 302
    from lms.quizzes.models import Attempt

    assert float(db.session.get(Attempt, attempt_id, populate_existing=True).score) == 75
