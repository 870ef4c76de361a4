"""Every CSV export streams: the response is a generator, not a body built in memory. The grid,
knowledge-gain and completion CSVs also build each row only as it is sent, after every query has
run (so a cohort of thousands never holds all its rows at once, and streaming runs no SQL)."""

import pytest

from lms.cohorts import grid, reports
from lms.extensions import db
from tests.cohorts.report_fixtures import Course, new_cohort
from tests.evaluations.helpers import bulk_responses

LEARNERS = 3

#: (method, path, form) of every CSV export; {id} is the cohort
CSV_ROUTES = [
    ("get", "/trainer/cohorts/{id}/progress.csv", None),
    ("get", "/trainer/cohorts/{id}/progress.csv?sort=-progress&status=in_progress", None),
    ("get", "/trainer/cohorts/{id}/reports/items.csv?quiz=basics", None),
    ("get", "/trainer/cohorts/{id}/reports/gain.csv", None),
    ("get", "/trainer/cohorts/{id}/reports/completion.csv", None),
    ("get", "/trainer/cohorts/{id}/evaluation.csv", None),
    ("get", "/trainer/curricula/fixture-course/evaluation.csv", None),
    ("post", "/trainer/cohorts/{id}/roster/invitations.csv",
     {"email": ["a@example.org", "b@example.org"], "link": ["https://lms.example/password/a",
                                                            "https://lms.example/password/b"]}),
]


@pytest.fixture
def cohort(client, auth, make_user, curriculum):
    trainer = make_user(role="trainer")
    course = Course(curriculum)
    cohort = new_cohort(curriculum, trainer, delivery_mode="online")
    for number in range(LEARNERS):
        enrollment = course.enroll(cohort, make_user(name=f"Learner {number}"))
        course.take(enrollment, "pretest", [("pretest-1", ["a"]), ("pretest-2", ["false"])])
        course.take(enrollment, "basics", [("q-single", ["a"]), ("q-true", ["true"])])
        course.take(enrollment, "posttest", [("posttest-1", ["a"]), ("posttest-2", ["true"])])
    bulk_responses(curriculum, cohort.id, 5)
    auth.login(trainer.email)
    return cohort


@pytest.mark.parametrize(("method", "path", "form"), CSV_ROUTES, ids=[path for _, path, _ in CSV_ROUTES])
def test_every_csv_export_streams(client, cohort, method, path, form):
    response = getattr(client, method)(path.format(id=cohort.id), data=form)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.is_streamed
    body = response.get_data()
    response.close()
    assert body.startswith("\ufeff".encode()) and body.count(b"\r\n") >= 2


def _counting(monkeypatch, module, name):
    """Replace module.name by a wrapper that counts its calls; returns the list of calls."""
    calls, original = [], getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


@pytest.mark.parametrize(("path", "module", "builder"), [
    ("/trainer/cohorts/{id}/progress.csv", grid, "_row"),
    ("/trainer/cohorts/{id}/progress.csv?sort=progress", grid, "_row"),
    ("/trainer/cohorts/{id}/reports/gain.csv", reports, "TraineeGain"),
    ("/trainer/cohorts/{id}/reports/completion.csv", reports, "_trainee_completion"),
])
def test_rows_are_built_as_they_stream_after_every_query(client, cohort, monkeypatch, count_queries, path, module,
                                                         builder):
    built = _counting(monkeypatch, module, builder)
    url = path.format(id=cohort.id)
    db.session.commit()
    response = client.get(url)
    assert response.is_streamed and built == []  # queried, but no row built yet
    with count_queries() as during_streaming:
        lines = response.get_data().count(b"\r\n")
    response.close()
    assert len(built) == LEARNERS and lines == LEARNERS + 1
    assert len(during_streaming) == 0
