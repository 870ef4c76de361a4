"""Importing evaluation.yaml: rows by stable key, unchanged files change nothing, removed items and
questions are retired (their answers kept), all in the curriculum's one transaction."""

import shutil

from sqlalchemy import func, select

from lms.curricula.loader import load_all
from lms.curricula.operations import import_curricula
from lms.evaluations.models import EvaluationAnswer, EvaluationItem, EvaluationQuestion
from lms.extensions import db
from lms.learning.queries import curriculum_by_key
from tests.cohorts.report_fixtures import Course, new_cohort
from tests.conftest import FIXTURE_CURRICULUM
from tests.evaluations.helpers import ITEM_KEYS, QUESTION_KEYS, passed_learner, respond


def _import(path):
    results = import_curricula(load_all(path))
    db.session.commit()
    return results


def _copy(tmp_path):
    shutil.copytree(FIXTURE_CURRICULUM, tmp_path / "curricula")
    return tmp_path / "curricula", tmp_path / "curricula" / "fixture-course"


def _rows(model):
    return {row.key: (row.id, row.text, row.retired_at is not None)
            for row in db.session.scalars(select(model).execution_options(populate_existing=True))}


def test_import_creates_items_and_questions_in_order(app):
    _import(FIXTURE_CURRICULUM)
    items = db.session.scalars(select(EvaluationItem).order_by(EvaluationItem.position)).all()
    assert [i.key for i in items] == list(ITEM_KEYS)
    assert [(i.section, i.day_number, i.module_id is not None) for i in items] == [
        ("The course as a whole", None, False), ("Day 1: First day", 1, False), ("Day 1: First day", 1, False),
        ("Module basics", None, True), ("Module basics", None, True)]
    questions = db.session.scalars(select(EvaluationQuestion).order_by(EvaluationQuestion.position)).all()
    assert [q.key for q in questions] == list(QUESTION_KEYS)


def test_reimporting_unchanged_files_changes_nothing(app):
    _import(FIXTURE_CURRICULUM)
    before = (_rows(EvaluationItem), _rows(EvaluationQuestion))
    [result] = _import(FIXTURE_CURRICULUM)
    assert result.status == "unchanged"
    assert (_rows(EvaluationItem), _rows(EvaluationQuestion)) == before


def test_edited_text_is_updated_in_place_and_removed_entries_are_retired(app, tmp_path, make_user):
    root, course_dir = _copy(tmp_path)
    _import(root)
    course = Course(curriculum_by_key("fixture-course"))
    enrollment = passed_learner(course, new_cohort(course.curriculum), make_user())
    respond(course, enrollment, [5, 4, 3, 2, 1], {"most-useful": "Kept"})
    before = _rows(EvaluationItem)
    survey = course_dir / "evaluation.yaml"
    original = survey.read_text()
    edited = original.replace("Day 1 was relevant to my job.", "Day 1 mattered for my work.")
    start = edited.index("      - key: basics-apply")
    end = edited.index("questions:")
    edited = edited[:start] + edited[end:]
    survey.write_text(edited.replace("  - key: what-to-change\n    text: What would you change?\n", ""))
    [result] = _import(root)
    assert result.status == "updated"
    items, questions = _rows(EvaluationItem), _rows(EvaluationQuestion)
    assert items["day-1-relevant"] == (before["day-1-relevant"][0], "Day 1 mattered for my work.", False)
    assert items["basics-apply"][2] is True and questions["what-to-change"][2] is True
    assert db.session.scalar(select(func.count()).select_from(EvaluationAnswer)) == 5  # history kept
    survey.write_text(original)
    _import(root)
    assert not any(retired for _, _, retired in _rows(EvaluationItem).values())
    assert _rows(EvaluationItem)["basics-apply"][0] == before["basics-apply"][0]


def test_removing_the_evaluation_retires_all_of_it(app, tmp_path):
    root, course_dir = _copy(tmp_path)
    _import(root)
    top = course_dir / "curriculum.yaml"
    top.write_text(top.read_text().replace("evaluation: evaluation.yaml\n", ""))
    _import(root)
    assert all(retired for _, _, retired in _rows(EvaluationItem).values())
    assert all(retired for _, _, retired in _rows(EvaluationQuestion).values())
