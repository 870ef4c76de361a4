"""The trainer's progress grid runs a fixed, small number of statements however large the cohort
(the reports' own counts are in tests/cohorts/test_reports.py), and no relationship can lazy-load
one row at a time without failing loudly."""

from datetime import timedelta

import pytest
from sqlalchemy import update

from lms.cohorts import grid
from lms.cohorts.models import Cohort
from lms.core.time import utcnow
from lms.extensions import db
from lms.learning.models import Enrollment
from tests.cohorts.report_fixtures import Course, bulk_cohort

MAX_STATEMENTS = 15


@pytest.fixture
def cohorts(make_user, curriculum):
    trainer = make_user(role="trainer", name="Grid Trainer")
    course = Course(curriculum)
    return trainer, bulk_cohort(course, trainer, 100, "s").id, bulk_cohort(course, trainer, 1000, "l").id


@pytest.mark.slow
def test_progress_grid_pages_run_the_same_few_statements_for_100_and_1000_trainees(client, auth, cohorts,
                                                                                   count_queries):
    trainer, small, large = cohorts
    auth.login(trainer.email)

    def statements(cohort_id, route):
        with count_queries() as counted:
            response = client.get(f"/trainer/cohorts/{cohort_id}/{route}")
            assert response.status_code == 200
            response.get_data()
        return len(counted)

    client.get(f"/trainer/cohorts/{small}/progress")  # warm the outline cache, as any running server has
    measured = {}
    for route in ("progress", "progress?page=2", "progress?sort=-progress&status=at_risk&page=2",
                  "progress?track=advanced&page=999", "progress.csv"):
        measured[route] = (statements(small, route), statements(large, route))
    for route, (at_100, at_1000) in measured.items():
        assert at_100 == at_1000, (route, measured)
        assert at_1000 <= MAX_STATEMENTS, (route, measured)


@pytest.mark.slow
def test_building_the_grid_is_a_fixed_number_of_statements(app, cohorts, count_queries):
    _, small, large = cohorts
    counts = []
    for cohort_id, page in ((small, None), (large, None), (small, None), (small, 2), (large, 2)):
        db.session.remove()
        cohort = db.session.get(Cohort, cohort_id)
        with count_queries() as counted:
            built = grid.build(cohort, sort="-progress", page=page)
        assert built.total in (100, 1000)
        assert len(built.rows) == (built.total if page is None else grid.PER_PAGE)
        counts.append(len(counted))
    assert counts[1] == counts[2] == counts[3] == counts[4] <= MAX_STATEMENTS, counts


@pytest.mark.slow
@pytest.mark.parametrize("status", [None, "at_risk"])
def test_a_page_by_name_computes_the_progress_of_its_rows_only_and_shows_what_the_whole_grid_shows(
        app, cohorts, monkeypatch, status):
    _, _, large = cohorts
    cohort = db.session.get(Cohort, large)
    db.session.execute(update(Enrollment).where(Enrollment.cohort_id == large, Enrollment.id % 2 == 0)
                       .values(last_activity_at=utcnow() - timedelta(days=30)))  # half of them at risk
    whole = grid.build(cohort, status=status).rows
    assert len(whole) > 2 * grid.PER_PAGE
    computed = []
    counting_progress = grid.curriculum_progress

    def counted(outline, record):
        computed.append(record)
        return counting_progress(outline, record)

    monkeypatch.setattr(grid, "curriculum_progress", counted)
    page = grid.build(cohort, status=status, page=2)
    assert len(computed) == len(page.rows) <= grid.PER_PAGE
    assert page.rows == whole[grid.PER_PAGE:2 * grid.PER_PAGE]
    computed.clear()
    grid.build(cohort, sort="-progress", status=status, page=2)
    assert len(computed) == page.total  # sorting by progress needs everyone's


def test_every_relationship_refuses_to_lazy_load():
    """lazy="raise" everywhere: a template or loop that would load one related row per item raises
    instead of quietly running N queries."""
    lazy = [f"{mapper.class_.__name__}.{rel.key}: lazy={rel.lazy!r}"
            for mapper in db.Model.registry.mappers for rel in mapper.relationships if rel.lazy != "raise"]
    assert lazy == []
