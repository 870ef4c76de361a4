"""Concurrent duplicates: one graded submission, one attempt started, one enrollment."""

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.learning.models import Enrollment
from lms.learning.operations import enroll
from lms.quizzes import operations
from lms.quizzes.models import Answer, Attempt
from tests.learning.helpers import Learner

THREADS = 20
#: each race runs this many times (CI: 20, see .ci/run); a race that fails once in a while is a bug
ROUNDS = range(int(os.environ.get("LMS_CONCURRENCY_ROUNDS", 2)))


def _logged_in_clients(app, email, count):
    clients = []
    for _ in range(count):
        client = app.test_client()
        client.post("/login", data={"email": email, "password": "correct horse battery staple"})
        clients.append(client)
    return clients


def _in_parallel(function, arguments):
    barrier = threading.Barrier(len(arguments))

    def run(argument):
        barrier.wait()
        return function(argument)

    with ThreadPoolExecutor(max_workers=len(arguments)) as pool:
        return list(pool.map(run, arguments))


@pytest.mark.parametrize("round_number", ROUNDS)
def test_twenty_concurrent_submits_grade_once_and_agree(app, client, auth, make_user, curriculum, monkeypatch,
                                                        round_number):
    user = make_user()
    auth.login(user.email)
    learner = Learner(client)
    learner.enroll()
    attempt_id = learner.start("basics")
    form = learner.answers_for(attempt_id, right=True)
    graded = []
    original_grade = operations._grade
    monkeypatch.setattr(operations, "_grade", lambda *a: (graded.append(1), original_grade(*a))[1])
    clients = _logged_in_clients(app, user.email, THREADS)
    db.session.commit()

    def submit(each_client):
        response = each_client.post(f"/attempts/{attempt_id}", data=form)
        results = each_client.get(response.headers["Location"]).get_data(as_text=True)
        return response.status_code, response.headers["Location"], results.split("Your score:")[1][:40]

    outcomes = _in_parallel(submit, clients)
    assert len(graded) == 1
    assert len(set(outcomes)) == 1
    assert outcomes[0][0] == 302 and outcomes[0][1].endswith(f"/attempts/{attempt_id}/results")
    attempt = db.session.get(Attempt, attempt_id, populate_existing=True)
    assert attempt.state == "submitted" and float(attempt.score) == 100


@pytest.mark.parametrize("round_number", ROUNDS)
def test_twenty_concurrent_starts_make_one_attempt(app, client, auth, make_user, curriculum, round_number):
    user = make_user()
    auth.login(user.email)
    Learner(client).enroll()
    clients = _logged_in_clients(app, user.email, THREADS)
    db.session.commit()
    locations = _in_parallel(lambda c: c.post("/curricula/fixture-course/quizzes/basics/start").headers["Location"],
                             clients)
    assert len(set(locations)) == 1
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


@pytest.mark.parametrize("round_number", ROUNDS)
def test_twenty_concurrent_enrollments_make_one(app, make_user, curriculum, round_number):
    user = make_user()
    clients = _logged_in_clients(app, user.email, THREADS)
    db.session.commit()
    statuses = _in_parallel(lambda c: c.post("/curricula/fixture-course/enroll",
                                             data={"track": "introductory"}).status_code, clients)
    assert statuses == [302] * THREADS
    assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 1


def test_a_replayed_submit_returns_the_first_result(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll()
    attempt_id = learner.start("basics")
    right = learner.answers_for(attempt_id, right=True)
    wrong = learner.answers_for(attempt_id, right=False)
    client.post(f"/attempts/{attempt_id}", data=right)
    replay = client.post(f"/attempts/{attempt_id}", data=wrong)
    assert replay.headers["Location"].endswith(f"/attempts/{attempt_id}/results")
    assert float(db.session.get(Attempt, attempt_id, populate_existing=True).score) == 100


@pytest.mark.parametrize("round_number", ROUNDS)
def test_a_save_racing_the_submit_never_rewrites_a_graded_attempt(app, client, auth, make_user, curriculum,
                                                                   round_number):
    user = make_user()
    auth.login(user.email)
    learner = Learner(client)
    learner.enroll()
    attempt_id = learner.start("basics")
    right = learner.answers_for(attempt_id, right=True)
    wrong = {name: value for name, value in learner.answers_for(attempt_id, right=False).items()
             if name != "submit"} | {"save": "Save"}
    clients = _logged_in_clients(app, user.email, THREADS)
    db.session.commit()
    forms = [right if n % 2 else wrong for n in range(THREADS)]
    statuses = _in_parallel(lambda pair: pair[0].post(f"/attempts/{attempt_id}", data=pair[1]).status_code,
                            list(zip(clients, forms, strict=True)))
    assert set(statuses) <= {302, 409}, statuses
    attempt = db.session.get(Attempt, attempt_id, populate_existing=True)
    assert attempt.state == "submitted" and float(attempt.score) == 100
    answers = db.session.scalars(select(Answer).where(Answer.attempt_id == attempt_id)
                                 .execution_options(populate_existing=True)).all()
    graded_right = {str(answer.position): sorted(map(str, answer.selected)) for answer in answers}
    assert all(answer.score == 1 for answer in answers)
    assert graded_right == {key.removeprefix("q"): sorted(values) for key, values in _choices_of(right).items()}


def _choices_of(form):
    return {name: (value if isinstance(value, list) else [value]) for name, value in form.items()
            if name.startswith("q")}


@pytest.mark.parametrize("round_number", ROUNDS)
def test_twenty_concurrent_registrations_of_one_address_make_one_account(app, round_number):
    from lms.auth.models import User

    data = {"name": "Nia New", "email": f"nia.{round_number}@example.org", "password": "a long enough passphrase",
            "confirm": "a long enough passphrase", "agency": "Pine County", "discipline": "Probation",
            "jurisdiction": "Pine County"}
    responses = _in_parallel(lambda c: c.post("/register", data=data), [app.test_client() for _ in range(THREADS)])
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] * (THREADS - 1) + [302]
    assert all("already exists" in r.get_data(as_text=True) for r in responses if r.status_code == 200)
    assert db.session.scalar(select(func.count()).select_from(User).where(User.email == data["email"])) == 1


@pytest.mark.parametrize("round_number", ROUNDS)
def test_two_trainers_adding_one_learner_to_two_cohorts_at_once_put_them_in_one(app, make_user, curriculum,
                                                                                round_number):
    from lms.cohorts.models import Cohort
    from tests.cohorts.report_fixtures import new_cohort

    learner = make_user(email=f"learner.{round_number}@example.org")
    enroll(learner, curriculum, "introductory")  # self-paced first: the cohort is set on that enrollment
    trainers = [make_user("trainer", email=f"trainer.{round_number}.{n}@example.org") for n in range(THREADS)]
    cohorts = [new_cohort(curriculum, trainer, name=f"Cohort {n}") for n, trainer in enumerate(trainers)]
    db.session.commit()
    form, learner_id = {"email": learner.email, "track": "introductory"}, learner.id
    clients = [_logged_in_clients(app, trainer.email, 1)[0] for trainer in trainers]
    pairs = list(zip(clients, [cohort.id for cohort in cohorts], strict=True))
    db.session.commit()  # the test's own transaction must not hold SQLite's write lock
    statuses = _in_parallel(lambda pair: pair[0].post(f"/trainer/cohorts/{pair[1]}/roster/add", data=form).status_code,
                            pairs)
    assert sorted(statuses).count(302) == 1, statuses
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == learner_id)
                                   .execution_options(populate_existing=True))
    assert enrollment.cohort_id in {cohort.id for cohort in cohorts}
    assert db.session.get(Cohort, enrollment.cohort_id) is not None
