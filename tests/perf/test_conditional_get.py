"""Conditional GET on lesson pages (a weak ETag over everything personal the page shows) and
year-long caching of fingerprinted static files (lms.core.caching)."""

import re

import pytest

LESSON = "/curricula/fixture-course/modules/basics/lessons/first"


@pytest.fixture
def learner(client, auth, make_user, curriculum):
    user = make_user()
    auth.login(user.email)
    assert client.post("/curricula/fixture-course/enroll", data={"track": "introductory"}).status_code == 302
    client.get("/curricula/fixture-course")  # shows (and so consumes) the "You are enrolled" message
    return user


def _etag(response):
    etag = response.headers.get("ETag")
    assert etag and etag.startswith('W/"'), response.headers
    return etag


def test_lesson_page_is_tagged_private_and_answered_304_when_unchanged(client, learner):
    first = client.get(LESSON)
    assert first.status_code == 200 and b"lesson-body" in first.data
    etag = _etag(first)
    assert first.headers["Cache-Control"] == "private, no-cache"
    assert "Cookie" in first.headers["Vary"]
    again = client.get(LESSON, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag and again.headers["Cache-Control"] == "private, no-cache"
    assert client.get(LESSON).headers["ETag"] == etag  # same page, same tag, although the CSRF token differs


def test_the_tag_changes_with_the_read_state(client, learner):
    etag = _etag(client.get(LESSON))
    assert client.post(LESSON + "/read").status_code == 302
    after = client.get(LESSON, headers={"If-None-Match": etag})
    assert after.status_code == 200 and b"Read</span>" in after.data
    assert _etag(after) != etag


def test_another_learner_never_gets_a_304_for_someone_elses_tag(app, client, auth, learner, make_user):
    etag = _etag(client.get(LESSON))
    other = app.test_client()
    from tests.conftest import AuthActions

    second = make_user()
    AuthActions(other).login(second.email)
    other.post("/curricula/fixture-course/enroll", data={"track": "introductory"})
    other.get("/curricula/fixture-course")
    response = other.get(LESSON, headers={"If-None-Match": etag})
    assert response.status_code == 200 and _etag(response) != etag


def test_a_new_session_gets_a_new_tag(client, auth, learner):
    etag = _etag(client.get(LESSON))
    auth.logout()
    auth.login(learner.email)
    client.get("/dashboard")  # shows the "logged out" message
    response = client.get(LESSON, headers={"If-None-Match": etag})
    assert response.status_code == 200 and _etag(response) != etag


def test_a_page_with_a_flashed_message_is_rendered_and_not_tagged(client, learner):
    etag = _etag(client.get(LESSON))
    client.post("/curricula/fixture-course/track", data={"track": "introductory"})  # flashes a message
    response = client.get(LESSON, headers={"If-None-Match": etag})
    assert response.status_code == 200 and b"Your track is now" in response.data
    assert "ETag" not in response.headers
    assert client.get(LESSON, headers={"If-None-Match": etag}).status_code == 304  # the message was shown once


def test_static_urls_are_fingerprinted_and_cached_for_a_year(client, curriculum):
    page = client.get("/").get_data(as_text=True)
    match = re.search(r'href="(/static/css/site\.css\?v=([0-9a-f]{12}))"', page)
    assert match, "the stylesheet link carries the file's fingerprint"
    fingerprinted = client.get(match.group(1))
    assert fingerprinted.status_code == 200
    assert fingerprinted.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    for stale in ("/static/css/site.css", "/static/css/site.css?v=000000000000"):
        response = client.get(stale)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache", stale
    assert client.get("/static/css/../../config.py?v=x").status_code == 404
