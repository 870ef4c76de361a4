"""Trainer summaries: numbers worked out by hand, count-only below five responses (page and CSV),
figures that change only in steps of five responses from days that are over, no respondent's name
or email anywhere a trainer can look, comments escaped and sorted, small cohorts held back from
the curriculum summary, access, and a query count that does not grow."""

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from lms.core.time import utcnow
from lms.evaluations.models import EvaluationResponse
from lms.evaluations.summary import released_through
from lms.extensions import db
from tests.cohorts.report_fixtures import Course, new_cohort
from tests.evaluations.helpers import bulk_responses, days_ago, passed_learner, respond

#: the fixture cohort's six responses: ratings in the order overall-satisfied, day-1-relevant,
#: day-1-trainer, basics-clear, basics-apply (None = "No answer"), and comments
RESPONSES = [
    ([5, 4, 5, 4, None], {"most-useful": "The case scenarios"}),
    ([4, 4, 3, 5, 2], {"most-useful": "apply the risk tools"}),
    ([5, 2, 4, 4, None], {"most-useful": "<script>alert('x')</script> role plays"}),
    ([3, 4, 5, None, 1], {"least-useful": "Too long"}),
    ([4, 5, 5, 4, 2], {"most-useful": '=HYPERLINK("http://evil.example","click")'}),
    ([2, 4, None, 3, None], {}),
]
#: worked out by hand from RESPONSES: counts of 1..5, no answer, mean, percent agreeing (4 or 5)
EXPECTED_ITEMS = [
    # 5,4,5,3,4,2: sum 23 / 6 = 3.83; agreeing 4 of 6
    ("overall-satisfied", [0, 1, 1, 2, 2], 0, "3.83", "66.7"),
    # 4,4,2,4,5,4: sum 23 / 6 = 3.83; agreeing 5 of 6
    ("day-1-relevant", [0, 1, 0, 4, 1], 0, "3.83", "83.3"),
    # 5,3,4,5,5 and one blank: sum 22 / 5 = 4.40; agreeing 4 of 5
    ("day-1-trainer", [0, 0, 1, 1, 3], 1, "4.4", "80.0"),
    # 4,5,4,4,3 and one blank: sum 20 / 5 = 4.00; agreeing 4 of 5
    ("basics-clear", [0, 0, 1, 3, 1], 1, "4.0", "80.0"),
    # 2,1,2 and three blanks: sum 5 / 3 = 1.67; agreeing 0 of 3
    ("basics-apply", [1, 2, 0, 0, 0], 3, "1.67", "0.0"),
]
MOST_USEFUL_SORTED = ["<script>alert('x')</script> role plays", '=HYPERLINK("http://evil.example","click")',
                      "apply the risk tools", "The case scenarios"]


def _csv(response):
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


@pytest.fixture
def course(curriculum):
    return Course(curriculum)


@pytest.fixture
def trainer(make_user):
    return make_user(role="trainer", name="Terry Trainer", email="terry.trainer@example.org")


@pytest.fixture
def cohort_a(course, trainer, make_user):
    """Six respondents, two more who passed but did not answer, one who has not passed."""
    cohort = new_cohort(course.curriculum, trainer, name="Pine County academy")
    respondents = []
    for number, (ratings, comments) in enumerate(RESPONSES, start=1):
        user = make_user(name=f"Respondent Person{number}", email=f"respondent{number}@agency.example")
        respondents.append(user)
        respond(course, passed_learner(course, cohort, user), ratings, comments)
    for number in (1, 2):
        passed_learner(course, cohort, make_user(name=f"Quiet Passer{number}"))
    course.enroll(cohort, make_user(name="Still Learning"))
    cohort.respondents = respondents
    return cohort


def _respondents_do_not_appear(text, respondents):
    for user in respondents:
        for value in (user.name, user.email, user.name.split()[-1], user.email.split("@")[0]):
            assert value.lower() not in text.lower(), value


def test_cohort_summary_matches_the_numbers_worked_out_by_hand(client, auth, trainer, cohort_a):
    auth.login(trainer.email)
    page = client.get(f"/trainer/cohorts/{cohort_a.id}/evaluation")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<dt>Responses</dt><dd>6</dd>" in html
    assert "<dt>Learners who passed the post-test</dt><dd>8</dd>" in html
    assert "<dt>Response rate</dt><dd>75.0%</dd>" in html  # 6 of 8
    assert html.count('role="img"') == 3  # one chart per section
    assert "Day 1: First day: share agreeing" in html
    rows = _csv(client.get(f"/trainer/cohorts/{cohort_a.id}/evaluation.csv"))
    assert rows[0][:5] == ["kind", "section", "key", "text", "count"]
    summary = {row[2]: row[4] for row in rows if row[0] == "responses"}
    assert summary == {"responses": "6", "included": "6", "eligible": "8", "response_rate": "75.0"}
    items = {row[2]: row for row in rows if row[0] == "item"}
    assert list(items) == [key for key, *_ in EXPECTED_ITEMS]
    for key, counts, no_answer, mean, agreeing in EXPECTED_ITEMS:
        row = items[key]
        assert [int(c) for c in row[5:10]] == counts, key
        assert int(row[10]) == no_answer and row[11] == mean and row[12] == agreeing, key
        assert int(row[4]) == sum(counts)
    assert items["day-1-relevant"][1] == "Day 1: First day"
    comments = [(row[2], row[13]) for row in rows if row[0] == "comment"]
    neutralized = ["'" + text if text.startswith("=") else text for text in MOST_USEFUL_SORTED]
    assert comments == [("most-useful", text) for text in neutralized] + [("least-useful", "Too long")]


def test_the_page_shows_the_same_numbers_in_its_tables(client, auth, trainer, cohort_a):
    auth.login(trainer.email)
    html = client.get(f"/trainer/cohorts/{cohort_a.id}/evaluation").get_data(as_text=True)
    # day-1-trainer row: 0 0 1 1 3, 1 blank, mean 4.40, 80.0% of 5
    assert ("<td>0</td><td>0</td><td>1</td><td>1</td><td>3</td>\n                <td>1</td>\n"
            "                <td>4.40</td>\n                <td>80.0% <span class=\"muted\">of 5</span></td>") in html
    assert "<td>1.67</td>" in html and "<td>3.83</td>" in html


def test_comments_are_escaped_sorted_and_neutralized_in_the_csv(client, auth, trainer, cohort_a):
    auth.login(trainer.email)
    html = client.get(f"/trainer/cohorts/{cohort_a.id}/evaluation").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; role plays" in html
    positions = [html.index(text) for text in ("&lt;script&gt;alert", "=HYPERLINK", "apply the risk tools",
                                               "The case scenarios")]
    assert positions == sorted(positions)  # alphabetical, not the order they were sent
    raw = client.get(f"/trainer/cohorts/{cohort_a.id}/evaluation.csv").get_data().decode("utf-8-sig")
    assert "'=HYPERLINK" in raw and ",=HYPERLINK" not in raw


def test_no_page_or_csv_for_a_trainer_names_a_respondent(client, auth, trainer, cohort_a, course):
    auth.login(trainer.email)
    texts = [client.get(path).get_data(as_text=True) for path in (
        f"/trainer/cohorts/{cohort_a.id}/evaluation", f"/trainer/cohorts/{cohort_a.id}/evaluation.csv",
        "/trainer/curricula/fixture-course/evaluation", "/trainer/curricula/fixture-course/evaluation.csv")]
    response_ids = db.session.scalars(select(EvaluationResponse.id)).all()
    assert len(response_ids) == 6
    for text in texts:
        assert "Respondent" not in text and "agency.example" not in text
        _respondents_do_not_appear(text, cohort_a.respondents)
        for response_id in response_ids:
            assert str(response_id) not in text


def test_fewer_than_five_responses_show_the_count_only(client, auth, trainer, course, make_user):
    cohort = new_cohort(course.curriculum, trainer, name="Small class")
    secret = "My supervisor Dana would recognise this"
    for _ in range(4):
        respond(course, passed_learner(course, cohort, make_user()), [1, 2, 3, 4, 5], {"most-useful": secret})
    auth.login(trainer.email)
    html = client.get(f"/trainer/cohorts/{cohort.id}/evaluation").get_data(as_text=True)
    assert "4 responses so far." in html and "Nothing else is shown until at least 5 responses" in html
    for hidden in (secret, "Overall, I am satisfied", "Response rate", 'role="img"', "<table"):
        assert hidden not in html
    rows = _csv(client.get(f"/trainer/cohorts/{cohort.id}/evaluation.csv"))
    assert [row[:5] for row in rows[1:]] == [
        ["responses", "", "responses", "Responses received", "4"],
        ["note", "", "suppressed", rows[2][3], "0"]]
    assert all(secret not in cell for row in rows for cell in row)
    respond(course, passed_learner(course, cohort, make_user()), [5], {})
    released = client.get(f"/trainer/cohorts/{cohort.id}/evaluation").get_data(as_text=True)
    assert secret in released and "<dt>Responses</dt><dd>5</dd>" in released


D = date(2026, 3, 1)


@pytest.mark.parametrize(("day_counts", "through"), [
    ([], None),
    ([(D, 4)], None),                                         # fewer than five: nothing yet
    ([(D, 5)], D),
    ([(D, 3), (D.replace(day=2), 2)], D.replace(day=2)),      # days join until five are waiting
    ([(D, 5), (D.replace(day=2), 4)], D),                     # the next four wait for a fifth
    ([(D, 5), (D.replace(day=2), 4), (D.replace(day=4), 1)], D.replace(day=4)),
    ([(D, 2), (D.replace(day=9), 9)], None),                  # day 9 is today: not over yet
    ([(D.replace(day=10), 7)], None),                         # nor is anything later
])
def test_days_are_released_once_over_and_five_or_more_at_a_time(day_counts, through):
    assert released_through(day_counts, today=D.replace(day=9)) == through


def _figures(client, cohort):
    """The CSV's ratings and comments, without the counts (responses and the rate are always live)."""
    rows = _csv(client.get(f"/trainer/cohorts/{cohort.id}/evaluation.csv"))
    return [row for row in rows[1:] if row[0] != "responses"]


def test_one_new_response_never_changes_the_figures(client, auth, trainer, course, make_user):
    """A trainer who reads the summary, sees a learner they know answer, and reads it again finds
    the same figures: the new answer waits for the day to end and for four more."""
    cohort = new_cohort(course.curriculum, trainer, name="Watched class")
    for number in range(5):
        respond(course, passed_learner(course, cohort, make_user()), [4, 4, 4, 4, 4], {"most-useful": f"Old {number}"},
                now=days_ago(3))
    auth.login(trainer.email)
    before = _figures(client, cohort)
    assert ["responses", "", "included", "Responses included in the figures", "5"] in [
        row[:5] for row in _csv(client.get(f"/trainer/cohorts/{cohort.id}/evaluation.csv"))]
    respond(course, passed_learner(course, cohort, make_user(name="Known Person")), [1, 1, 1, 1, 1],
            {"most-useful": "Only I would write this"}, now=utcnow())
    html = client.get(f"/trainer/cohorts/{cohort.id}/evaluation").get_data(as_text=True)
    assert "<dt>Responses</dt><dd>6</dd>" in html and "5 (1 not yet" in html
    assert "Only I would write this" not in html
    assert _figures(client, cohort) == before
    for days, rating in ((2, 2), (2, 2), (1, 2), (1, 3)):  # four more on days since: still waiting
        respond(course, passed_learner(course, cohort, make_user()), [rating], {}, now=days_ago(days))
        assert _figures(client, cohort) == before
    respond(course, passed_learner(course, cohort, make_user()), [3], {}, now=days_ago(1))  # the fifth waiting
    counts = {row[2]: row[4] for row in _csv(client.get(f"/trainer/cohorts/{cohort.id}/evaluation.csv"))
              if row[0] == "responses"}
    assert counts["responses"] == "11" and counts["included"] == "10"  # today's still waits
    overall = next(row for row in _figures(client, cohort) if row[2] == "overall-satisfied")
    assert [int(c) for c in overall[5:10]] == [0, 3, 2, 5, 0]


def test_five_responses_sent_today_show_the_count_only(client, auth, trainer, course, make_user):
    cohort = new_cohort(course.curriculum, trainer, name="Same-day class")
    for _ in range(5):
        respond(course, passed_learner(course, cohort, make_user()), [5], {"most-useful": "Today"}, now=utcnow())
    auth.login(trainer.email)
    html = client.get(f"/trainer/cohorts/{cohort.id}/evaluation").get_data(as_text=True)
    assert "5 responses so far." in html
    assert "Nothing else is shown until at least 5 responses sent before today" in html
    assert "Today" not in html and "<table" not in html


def test_curriculum_summary_covers_the_trainers_cohorts_and_holds_back_small_ones(
        client, auth, trainer, cohort_a, course, make_user):
    small = new_cohort(course.curriculum, trainer, name="Small class")
    other_trainer = make_user(role="trainer")
    elsewhere = new_cohort(course.curriculum, other_trainer, name="Elsewhere")
    admin = make_user(role="admin")
    bulk_responses(course.curriculum, small.id, 3, comment="From the small class")
    bulk_responses(course.curriculum, elsewhere.id, 5, comment="From elsewhere")
    bulk_responses(course.curriculum, None, 2, comment="Self-paced")
    auth.login(trainer.email)
    html = client.get("/trainer/curricula/fixture-course/evaluation").get_data(as_text=True)
    assert "Only responses from the cohorts you teach are included." in html
    assert "<dt>Responses</dt><dd>9</dd>" in html  # 6 + 3 of their own
    assert "6 (3 not yet: sent today, or waiting for 5 from their group)" in html
    assert "From the small class" not in html and "From elsewhere" not in html and "Self-paced" not in html
    assert "The case scenarios" in html
    rows = _csv(client.get("/trainer/curricula/fixture-course/evaluation.csv"))
    counts = {row[2]: row[4] for row in rows if row[0] == "responses"}
    # the bulk-written responses have no learners behind them, so only cohort A's 8 are eligible
    assert (counts["responses"], counts["included"], counts["eligible"]) == ("9", "6", "8")
    assert not any("small class" in cell for row in rows for cell in row)
    auth.logout()
    auth.login(admin.email)
    html = client.get("/trainer/curricula/fixture-course/evaluation").get_data(as_text=True)
    assert "<dt>Responses</dt><dd>16</dd>" in html and "11 (5 not yet" in html
    assert "From elsewhere" in html and "From the small class" not in html and "Self-paced" not in html


def test_access_other_trainer_404_trainee_403_anonymous_to_login(client, auth, cohort_a, make_user):
    for path in (f"/trainer/cohorts/{cohort_a.id}/evaluation", f"/trainer/cohorts/{cohort_a.id}/evaluation.csv"):
        assert client.get(path).status_code == 302 and "/login" in client.get(path).headers["Location"]
        auth.login(make_user(role="trainer").email)
        assert client.get(path).status_code == 404
        auth.logout()
        auth.login(make_user().email)
        assert client.get(path).status_code == 403
        auth.logout()
    auth.login(make_user().email)
    assert client.get("/trainer/curricula/fixture-course/evaluation").status_code == 403
    assert client.get("/trainer/curricula/fixture-course/evaluation.csv").status_code == 403
    auth.logout()
    auth.login(make_user(role="trainer").email)
    assert client.get("/trainer/curricula/no-such-course/evaluation").status_code == 404


@pytest.mark.parametrize("path", ["/trainer/cohorts/{cohort}/evaluation", "/trainer/cohorts/{cohort}/evaluation.csv",
                                  "/trainer/curricula/fixture-course/evaluation"])
def test_summary_query_count_is_the_same_at_5_and_50_responses(client, auth, trainer, course, count_queries, path):
    cohort = new_cohort(course.curriculum, trainer)
    url = path.format(cohort=cohort.id)
    auth.login(trainer.email)
    bulk_responses(course.curriculum, cohort.id, 5)
    client.get(url)  # warm the outline cache, as any running server has
    with count_queries() as at_five:
        assert client.get(url).status_code == 200
    bulk_responses(course.curriculum, cohort.id, 45)
    with count_queries() as at_fifty:
        html = client.get(url).get_data(as_text=True)
    assert len(at_fifty) == len(at_five) <= 12
    assert "50" in html
