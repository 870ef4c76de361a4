"""Curriculum import status: read-only, with live counts and recent import events."""

from sqlalchemy import select

from lms.admin import queries
from lms.core.time import utcnow
from lms.curricula.models import Lesson, Module
from lms.extensions import db


def test_import_status_lists_version_and_live_counts(client, admin, curriculum):
    html = client.get("/admin/imports").get_data(as_text=True)
    assert "fixture-course" in html and curriculum.version[:12] in html
    assert curriculum.version[:13] not in html
    assert "flask --app wsgi curricula import" in html
    assert "<form" not in html.split("<main", 1)[1]  # read-only: the only forms are the site header's
    [event_row] = queries.recent_import_events()
    assert event_row[0].target == "curriculum:fixture-course"
    assert "Command line" in html


def test_retired_content_is_not_counted(admin, curriculum):
    [before] = queries.curriculum_import_status()
    module = db.session.scalar(select(Module).where(Module.curriculum_id == curriculum.id).order_by(Module.id))
    lessons = db.session.scalars(select(Lesson).where(Lesson.module_id == module.id)).all()
    module.retired_at = utcnow()
    db.session.commit()
    [after] = queries.curriculum_import_status()
    assert after.modules == before.modules - 1
    assert after.lessons == before.lessons - len(lessons)
    assert after.questions < before.questions
