"""A trainee can take every module of both days of each real curriculum in the running app."""

from pathlib import Path

import pytest
from sqlalchemy import select

from lms.curricula.loader import load_all
from lms.curricula.operations import import_curricula
from lms.extensions import db
from lms.learning.models import Enrollment
from lms.learning.queries import curriculum_by_key, outline_for
from tests.learning.helpers import Learner

CURRICULA = Path(__file__).resolve().parents[2] / "curricula"


@pytest.fixture
def real_curricula(app):
    import_curricula(load_all(CURRICULA))
    db.session.commit()


@pytest.mark.parametrize("key", ["casom-basic", "indian-country"])
def test_every_module_of_both_days_can_be_taken_to_completion(client, auth, make_user, real_curricula, key):
    outline = outline_for(curriculum_by_key(key))
    auth.login(make_user().email)
    learner = Learner(client, key)
    learner.enroll("introductory")
    assert learner.take("pretest", right=False).score is not None
    for day in outline.days:
        for module in day.modules:
            page = client.get(f"/curricula/{key}/modules/{module.key}")
            assert page.status_code == 200
            for lesson in module.lessons:
                lesson_page = client.get(f"/curricula/{key}/modules/{module.key}/lessons/{lesson.key}")
                assert lesson_page.status_code == 200 and "<h2>Sources</h2>" in lesson_page.get_data(as_text=True)
                assert learner.read(module.key, lesson.key).status_code == 302
            assert learner.take(module.key, right=True).passed, module.key
    assert learner.take("posttest", right=True).passed
    enrollment = db.session.scalar(select(Enrollment).execution_options(populate_existing=True))
    assert enrollment.completed_at is not None


def test_the_catalog_lists_both_curricula(client, real_curricula):
    html = client.get("/").get_data(as_text=True)
    assert "Comprehensive Approaches to Sex Offender Management: Basic Training" in html
    assert "Enhancing Community Safety in Indian Country" in html
    assert "12.5 credit hours" in html and "12 credit hours" in html
