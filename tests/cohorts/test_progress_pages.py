"""The progress grid in pages of 100: sorted and filtered over the whole cohort, then sliced; page
links that keep the sort and filters; a page number out of range or not a number never fails;
the CSV keeps every matching learner."""

import csv
import html
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import insert, select

from lms.auth.models import User
from lms.cohorts.grid import PER_PAGE
from lms.core.paging import Page, page_window
from lms.extensions import db
from lms.learning.models import Enrollment

LEARNERS = 230
ADVANCED = 115  # every second learner


@pytest.fixture
def big_cohort(make_cohort, curriculum):
    """A cohort of 230 learners named "Learner 001" to "Learner 230", every second one advanced."""
    cohort = make_cohort(name="Big class")
    db.session.execute(insert(User), [
        {"email": f"learner-{n:03d}@example.test", "password_hash": "x", "name": f"Learner {n:03d}", "role": "trainee"}
        for n in range(1, LEARNERS + 1)])
    users = db.session.execute(select(User.id, User.name).where(User.email.like("learner-%"))).all()
    db.session.execute(insert(Enrollment), [
        {"user_id": user_id, "curriculum_id": curriculum.id, "cohort_id": cohort.id,
         "track": "advanced" if int(name[-3:]) % 2 == 0 else "introductory"} for user_id, name in users])
    db.session.commit()
    return cohort


@pytest.fixture
def grid_page(client, auth, trainer, big_cohort):
    auth.login(trainer.email)

    def get(query=""):
        response = client.get(f"/trainer/cohorts/{big_cohort.id}/progress{query}")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    return get


def _names(page):
    return re.findall(r'<th scope="row"><a href="[^"]*">([^<]+)</a>', page)


def _nav(page):
    found = re.search(r'<nav class="pagination" aria-label="Pages of learners">(.*?)</nav>', page, re.S)
    return found.group(1) if found else None


def _links(page):
    """(text, query parameters, current?) of each link of the page navigation."""
    links = []
    for attributes, text in re.findall(r"<a ([^>]*)>(.*?)</a>", _nav(page), re.S):
        href = html.unescape(re.search(r'href="([^"]*)"', attributes).group(1))
        label = re.sub(r"<[^>]+>", "", text)
        links.append((label, parse_qs(urlsplit(href).query), 'aria-current="page"' in attributes))
    return links


def _learner(n):
    return f"Learner {n:03d}"


def test_first_page_shows_the_first_100_learners_and_links_to_the_others(grid_page):
    page = grid_page()
    assert _names(page) == [_learner(n) for n in range(1, 101)]
    assert "Showing 1\N{EN DASH}100 of 230 learners." in page
    links = _links(page)
    assert [text for text, _, _ in links] == ["Page 1", "Page 2", "Page 3", "Next page"]
    assert [text for text, _, current in links if current] == ["Page 1"]
    assert links[-1][1] == {"page": ["2"]}


def test_second_page_shows_the_next_100_with_previous_and_next(grid_page):
    page = grid_page("?page=2")
    assert _names(page) == [_learner(n) for n in range(101, 201)]
    assert "Showing 101\N{EN DASH}200 of 230 learners." in page
    links = _links(page)
    assert [text for text, _, _ in links] == ["Previous page", "Page 1", "Page 2", "Page 3", "Next page"]
    assert [text for text, _, current in links if current] == ["Page 2"]
    assert links[0][1] == {"page": ["1"]} and links[-1][1] == {"page": ["3"]}


def test_last_page_shows_the_rest_and_no_next_link(grid_page):
    page = grid_page("?page=3")
    assert _names(page) == [_learner(n) for n in range(201, LEARNERS + 1)]
    assert "Showing 201\N{EN DASH}230 of 230 learners." in page
    assert [text for text, _, _ in _links(page)] == ["Previous page", "Page 1", "Page 2", "Page 3"]


@pytest.mark.parametrize(("query", "shown"), [
    ("?page=4", 3), ("?page=99999999999999999999", 3), ("?page=0", 1), ("?page=-2", 1),
    ("?page=abc", 1), ("?page=2.5", 1), ("?page=", 1), ("?page=2&page=3", 2),
])
def test_a_page_out_of_range_or_not_a_number_shows_the_nearest_page(grid_page, query, shown):
    page = grid_page(query)
    assert _names(page)[0] == _learner(1 + (shown - 1) * PER_PAGE)
    assert [text for text, _, current in _links(page) if current] == [f"Page {shown}"]


def test_sorting_and_filters_apply_to_the_whole_cohort_and_stay_in_every_link(grid_page):
    page = grid_page("?sort=name&track=advanced&status=not_started&page=2")
    assert _names(page) == [_learner(n) for n in range(202, LEARNERS + 1, 2)]
    assert "Showing 101\N{EN DASH}115 of 115 matching learners, 230 in the cohort." in page
    links = _links(page)
    assert [text for text, _, _ in links] == ["Previous page", "Page 1", "Page 2"]
    for _, query, _ in links:
        assert query["sort"] == ["name"] and query["track"] == ["advanced"] and query["status"] == ["not_started"]
    csv_link = html.unescape(re.search(r'href="([^"]*progress\.csv[^"]*)"', page).group(1))
    assert parse_qs(urlsplit(csv_link).query) == {"sort": ["name"], "track": ["advanced"], "status": ["not_started"]}


def test_one_page_has_no_page_links_and_no_match_says_so(grid_page):
    page = grid_page("?track=introductory&status=complete")
    assert _names(page) == [] and _nav(page) is None
    assert "No learners match these filters (230 in the cohort)." in page


def test_a_page_of_100_learners_stays_under_100_kb(grid_page):
    assert len(grid_page().encode()) < 100_000


def test_the_csv_has_every_matching_learner_not_one_page(client, auth, trainer, big_cohort):
    auth.login(trainer.email)

    def names(query):
        response = client.get(f"/trainer/cohorts/{big_cohort.id}/progress.csv{query}")
        return [row["name"] for row in csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig")))]

    assert names("?page=2") == [_learner(n) for n in range(1, LEARNERS + 1)]
    assert names("?track=advanced&page=1") == [_learner(n) for n in range(2, LEARNERS + 1, 2)]


@pytest.mark.parametrize(("current", "pages", "window"), [
    (1, 1, [1]),
    (2, 3, [1, 2, 3]),
    (1, 10, [1, 2, 3, None, 10]),
    (4, 10, [1, 2, 3, 4, 5, 6, None, 10]),
    (5, 10, [1, 2, 3, 4, 5, 6, 7, None, 10]),
    (6, 10, [1, None, 4, 5, 6, 7, 8, 9, 10]),
    (10, 10, [1, None, 8, 9, 10]),
    (50, 100, [1, None, 48, 49, 50, 51, 52, None, 100]),
])
def test_page_window_links_first_last_and_two_either_side(current, pages, window):
    assert page_window(current, pages) == window


@pytest.mark.parametrize(("number", "total", "expected"), [
    (1, 0, (1, 1, 0, 0)), (1, 100, (1, 1, 0, 100)), (2, 101, (2, 2, 100, 101)), (0, 230, (1, 3, 0, 100)),
    (7, 230, (3, 3, 200, 230)),
])
def test_page_number_is_clamped_to_the_pages_there_are(number, total, expected):
    page = Page.clamped(number, total, PER_PAGE)
    assert (page.number, page.pages, page.start, page.stop) == expected
