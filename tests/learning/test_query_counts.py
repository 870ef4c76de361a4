"""Learner pages run a fixed number of SQL statements, however much history the learner has."""

import pytest

from lms.learning.queries import clear_outline_cache
from tests.learning.helpers import Learner

PAGES = [
    "/",
    "/dashboard",
    "/curricula/fixture-course",
    "/curricula/fixture-course/modules/basics",
    "/curricula/fixture-course/modules/basics/lessons/first",
    "/curricula/fixture-course/quizzes/basics",
]


def _statements(client, count_queries, path):
    with count_queries() as counted:
        assert client.get(path).status_code == 200
    return len(counted)


@pytest.mark.parametrize("path", PAGES)
def test_page_query_count_does_not_grow_with_history(client, auth, make_user, curriculum, count_queries, path):
    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll()
    learner.read("basics", "first")
    learner.take("basics", right=False)
    client.get(path)  # warm the outline cache, as any running server has
    before = _statements(client, count_queries, path)
    learner.read("basics", "second")
    learner.take("basics", right=False)
    learner.take("basics", right=True)
    learner.read_module("newcomers")
    learner.take("newcomers")
    after = _statements(client, count_queries, path)
    assert after == before
    assert after <= 12


def test_results_page_query_count_is_fixed(client, auth, make_user, curriculum, count_queries):
    auth.login(make_user().email)
    learner = Learner(client)
    learner.enroll()
    first = learner.take("basics", right=False)
    path = f"/attempts/{first.id}/results"
    client.get(path)
    before = _statements(client, count_queries, path)
    learner.take("basics", right=False)
    last = learner.take("basics", right=True)
    assert _statements(client, count_queries, f"/attempts/{last.id}/results") == before


def test_building_the_outline_is_a_fixed_number_of_queries(client, auth, make_user, curriculum, count_queries):
    clear_outline_cache()
    cold = _statements(client, count_queries, "/curricula/fixture-course")
    warm = _statements(client, count_queries, "/curricula/fixture-course")
    assert cold - warm == 5  # days, modules, lessons, question counts, quizzes: once per version
