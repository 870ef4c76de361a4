import pytest

from lms.cohorts import operations
from lms.extensions import db


@pytest.fixture
def trainer(make_user):
    return make_user(role="trainer", name="Terry Trainer")


@pytest.fixture
def make_cohort(curriculum, trainer):
    """Create a cohort of the fixture curriculum taught by `trainer` (or `by`)."""

    def make(by=None, **fields):
        defaults = {"curriculum_id": curriculum.id, "name": "Academy class 1", "delivery_mode": "in_person"}
        cohort = operations.create_cohort(by or trainer, **(defaults | fields))
        db.session.commit()
        return cohort

    return make
