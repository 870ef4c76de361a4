"""The learner's side: offered once the post-test is passed (results page), prompted once (the
first dashboard or curriculum page after that), a quiet link until it is sent, "No thanks", sent
exactly once (also under concurrent submits), plain-text comments, and a response that nothing on
the learner's side points at."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, inspect, select

from lms.evaluations.models import (
    EvaluationAnswer,
    EvaluationComment,
    EvaluationItem,
    EvaluationQuestion,
    EvaluationReceipt,
    EvaluationResponse,
)
from lms.extensions import db
from lms.learning.models import Enrollment
from tests.conftest import PASSWORD
from tests.evaluations.helpers import SURVEY, form_data, pass_the_course
from tests.learning.helpers import Learner

PROMPT = "Tell us about the training: 5 minutes, anonymous."
QUIET_LINK = "Training evaluation (optional, anonymous)"
RESULTS_BUTTON = "Tell us about the training — 5 minutes, anonymous"


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def _receipt():
    return db.session.scalar(select(EvaluationReceipt).execution_options(populate_existing=True))


def _page(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def test_not_offered_before_the_post_test_is_passed(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll()
    learner.finish_required_modules()
    failed = learner.take("posttest", right=False)
    assert failed.passed is False
    assert RESULTS_BUTTON not in _page(client, f"/attempts/{failed.id}/results")
    assert PROMPT not in _page(client, "/dashboard")
    assert PROMPT not in _page(client, "/curricula/fixture-course")
    refused = client.get(SURVEY)
    assert refused.status_code == 409
    assert "opens when you pass the post-test" in refused.get_data(as_text=True)
    assert client.post(SURVEY, data=form_data(curriculum, [5])).status_code == 409
    assert client.post(f"{SURVEY}/decline").status_code == 409
    assert _count(EvaluationResponse) == 0 and _count(EvaluationReceipt) == 0


def test_offered_after_passing_on_the_results_page(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    post = pass_the_course(client)
    assert post.passed
    results = _page(client, f"/attempts/{post.id}/results")
    assert RESULTS_BUTTON in results and f'href="{SURVEY}"' in results
    assert "View your certificate" in results  # the certificate comes next, not first
    assert results.index(RESULTS_BUTTON) < results.index("View your certificate")
    survey = _page(client, SURVEY)
    assert "Overall, I am satisfied with this training." in survey and "Strongly agree" in survey
    assert "What would you change?" in survey and 'maxlength="2000"' in survey
    assert RESULTS_BUTTON in _page(client, f"/attempts/{post.id}/results")  # the results page keeps offering it


@pytest.mark.parametrize(("first", "then"), [("/dashboard", "/curricula/fixture-course"),
                                             ("/curricula/fixture-course", "/dashboard")])
def test_prompted_once_then_a_quiet_link_until_it_is_sent(client, auth, make_user, curriculum, first, then):
    auth.login(make_user().email)
    pass_the_course(client)
    assert _count(EvaluationReceipt) == 0  # the results page offers it but does not count as the prompt
    prompted = _page(client, first)
    assert PROMPT in prompted and f'href="{SURVEY}"' in prompted and "No thanks" in prompted
    receipt = _receipt()
    assert receipt.prompted_at is not None and receipt.declined_at is None and receipt.submitted_at is None
    for path in (first, then, "/dashboard"):
        page = _page(client, path)
        assert PROMPT not in page and "No thanks" not in page
        assert QUIET_LINK in page and f'href="{SURVEY}"' in page
    assert "No thanks, stop asking me" not in _page(client, SURVEY)  # nothing asks any more
    assert client.post(SURVEY, data=form_data(curriculum, [4])).status_code == 302
    receipt = _receipt()
    assert receipt.submitted_at is not None and receipt.prompted_at is not None
    assert _count(EvaluationResponse) == 1 and _count(EvaluationReceipt) == 1
    assert client.post(SURVEY, data=form_data(curriculum, [1])).status_code == 302
    assert _count(EvaluationResponse) == 1 and db.session.scalar(select(func.sum(EvaluationAnswer.value))) == 4
    for path in ("/dashboard", "/curricula/fixture-course"):
        assert QUIET_LINK not in _page(client, path)


def test_no_thanks_on_the_prompt_is_recorded_on_the_same_receipt(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    pass_the_course(client)
    assert PROMPT in _page(client, "/dashboard")
    declined = client.post(f"{SURVEY}/decline", data={"next": "/dashboard"})
    assert declined.status_code == 302 and declined.headers["Location"] == "/dashboard"
    receipt = _receipt()
    assert receipt.prompted_at is not None and receipt.declined_at is not None and receipt.submitted_at is None
    assert _count(EvaluationReceipt) == 1
    assert QUIET_LINK in _page(client, "/dashboard")


def test_no_thanks_stops_the_prompt_but_the_survey_stays_open(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    pass_the_course(client)
    declined = client.post(f"{SURVEY}/decline", data={"next": "/dashboard"})
    assert declined.status_code == 302 and declined.headers["Location"] == "/dashboard"
    assert _receipt().declined_at is not None and _receipt().submitted_at is None
    assert PROMPT not in _page(client, "/dashboard")
    curriculum_page = _page(client, "/curricula/fixture-course")
    assert PROMPT not in curriculum_page and f'href="{SURVEY}"' in curriculum_page  # quiet link
    client.post(f"{SURVEY}/decline", data={"next": "https://evil.example/"})  # again: nothing changes
    assert _count(EvaluationReceipt) == 1
    survey = _page(client, SURVEY)
    assert "No thanks, stop asking me" not in survey
    assert client.post(SURVEY, data=form_data(curriculum, [4])).status_code == 302
    receipt = _receipt()
    assert receipt.submitted_at is not None and receipt.declined_at is not None
    assert _count(EvaluationResponse) == 1


def test_sent_once_a_second_submit_changes_nothing(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    post = pass_the_course(client)
    sent = client.post(SURVEY, data=form_data(curriculum, [5, 4, None, 3],
                                              {"most-useful": "The scenarios", "least-useful": "   "}))
    assert sent.status_code == 302 and sent.headers["Location"] == SURVEY
    thanks = _page(client, SURVEY)
    assert "Thank you" in thanks and "View your certificate" in thanks and "Send my evaluation" not in thanks
    values = dict(db.session.execute(select(EvaluationItem.key, EvaluationAnswer.value)
                                     .join(EvaluationItem, EvaluationAnswer.item_id == EvaluationItem.id)).all())
    assert values == {"overall-satisfied": 5, "day-1-relevant": 4, "day-1-trainer": None, "basics-clear": 3,
                      "basics-apply": None}
    assert db.session.scalars(select(EvaluationComment.text)).all() == ["The scenarios"]  # blank: not stored
    again = client.post(SURVEY, data=form_data(curriculum, [1, 1, 1, 1, 1], {"most-useful": "Changed my mind"}))
    assert again.status_code == 302
    assert _count(EvaluationResponse) == 1 and _count(EvaluationComment) == 1
    assert db.session.scalar(select(func.sum(EvaluationAnswer.value))) == 12
    for path in ("/dashboard", "/curricula/fixture-course"):
        assert PROMPT not in _page(client, path)
    assert "You sent your training evaluation" in _page(client, "/curricula/fixture-course")
    results = _page(client, f"/attempts/{post.id}/results")
    assert RESULTS_BUTTON not in results and "You sent your training evaluation" in results


def test_twenty_concurrent_submits_store_one_response(app, client, auth, make_user, curriculum):
    user = make_user()
    auth.login(user.email)
    pass_the_course(client)
    data = form_data(curriculum, [5, 5, 5, 5, 5], {"most-useful": "Everything"})
    clients = []
    for _ in range(20):
        each = app.test_client()
        each.post("/login", data={"email": user.email, "password": PASSWORD})
        clients.append(each)
    db.session.commit()
    barrier = threading.Barrier(len(clients))

    def submit(each):
        barrier.wait()
        response = each.post(SURVEY, data=data)
        return response.status_code, response.headers.get("Location")

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        outcomes = list(pool.map(submit, clients))
    assert set(outcomes) == {(302, SURVEY)}
    assert _count(EvaluationResponse) == 1 and _count(EvaluationReceipt) == 1
    assert _count(EvaluationAnswer) == 5 and _count(EvaluationComment) == 1


def test_comments_are_plain_text_of_at_most_2000_characters(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    pass_the_course(client)
    too_long = client.post(SURVEY, data=form_data(curriculum, [5], {"most-useful": "x" * 2001}))
    assert too_long.status_code == 400 and "2,000 characters or fewer" in too_long.get_data(as_text=True)
    bad_rating = client.post(SURVEY, data=form_data(curriculum, [9]))
    assert bad_rating.status_code == 400
    assert _count(EvaluationResponse) == 0 and _count(EvaluationReceipt) == 0
    # A browser counts a line break as one character but sends two (CR LF): 2,982 characters
    # sent are 1,991 stored.
    with_nul = client.post(SURVEY, data=form_data(curriculum, [], {"most-useful": "a\x00b"}))
    assert with_nul.status_code == 400 and _count(EvaluationResponse) == 0  # NUL is refused app-wide
    lines = "a\r\n" * 990 + "<b>bold</b>"
    assert client.post(SURVEY, data=form_data(curriculum, [], {"most-useful": lines})).status_code == 302
    stored = db.session.scalar(select(EvaluationComment.text))
    assert stored == "a\n" * 990 + "<b>bold</b>" and len(stored) == 1991  # HTML kept as text


def test_a_response_names_nobody_and_nothing_points_at_it(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    pass_the_course(client)
    client.post(SURVEY, data=form_data(curriculum, [5]))
    response_columns = {c.name for c in inspect(EvaluationResponse).columns}
    assert response_columns == {"id", "curriculum_id", "cohort_id", "submitted_on"}
    assert {c.name for c in inspect(EvaluationReceipt).columns} == {"enrollment_id", "prompted_at", "declined_at",
                                                                    "submitted_at"}
    for model in (EvaluationAnswer, EvaluationComment):
        assert {c.name for c in inspect(model).primary_key} <= {"response_id", "item_id", "question_id"}
    response = db.session.scalar(select(EvaluationResponse))
    enrollment = db.session.scalar(select(Enrollment))
    assert type(response.submitted_on).__name__ == "date"  # a day, never a time
    assert response.id not in (enrollment.id, enrollment.user_id) and response.id > 2 ** 20  # random, not 1, 2, 3


def test_not_enrolled_is_not_found_and_a_curriculum_without_a_survey_has_none(client, auth, make_user, curriculum):
    auth.login(make_user().email)
    assert client.get(SURVEY).status_code == 404
    Learner(client).enroll()
    db.session.execute(EvaluationItem.__table__.update().values(retired_at=func.now()))
    db.session.execute(EvaluationQuestion.__table__.update().values(retired_at=func.now()))
    db.session.commit()
    assert client.get(SURVEY).status_code == 404
