import shutil

from sqlalchemy import func, select

from lms.curricula.loader import load_all
from lms.curricula.models import Choice, Curriculum, Lesson, Module, Question
from lms.curricula.operations import import_curricula
from lms.extensions import db
from tests.conftest import FIXTURE_CURRICULUM, FIXTURES


def _counts():
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Curriculum, Module, Lesson, Question, Choice)}


def _copy(tmp_path):
    target = tmp_path / "curricula"
    shutil.copytree(FIXTURE_CURRICULUM, target)
    return target, target / "fixture-course"


def _import(path):
    results = import_curricula(load_all(path))
    db.session.commit()
    return results


def test_import_creates_everything_and_records_the_version(app):
    [result] = _import(FIXTURE_CURRICULUM)
    assert result.status == "created"
    assert _counts() == {"Curriculum": 1, "Module": 4, "Lesson": 8, "Question": 28, "Choice": 4 * 17 + 2 * 5}
    curriculum = db.session.scalar(select(Curriculum))
    assert curriculum.version == result.version and len(curriculum.version) == 64


def test_reimporting_the_same_files_changes_nothing(app):
    _import(FIXTURE_CURRICULUM)
    before = _counts()
    lesson_ids = db.session.scalars(select(Lesson.id).order_by(Lesson.id)).all()
    [result] = _import(FIXTURE_CURRICULUM)
    assert result.status == "unchanged"
    assert _counts() == before
    assert db.session.scalars(select(Lesson.id).order_by(Lesson.id)).all() == lesson_ids


def test_an_edited_lesson_is_updated_in_place(app, tmp_path):
    root, course = _copy(tmp_path)
    _import(root)
    lesson = db.session.scalar(select(Lesson).where(Lesson.key == "first").order_by(Lesson.id))
    lesson_id, old_version = lesson.id, db.session.scalar(select(Curriculum.version))
    (course / "day-1" / "basics" / "01-first.md").write_text("# First lesson, revised\n\nNew *words*.\n")
    [result] = _import(root)
    db.session.expire_all()
    edited = db.session.get(Lesson, lesson_id)
    assert result.status == "updated"
    assert edited.title == "First lesson, revised" and "<em>words</em>" in edited.body_html
    assert db.session.scalar(select(func.count()).select_from(Lesson)) == 8
    assert db.session.scalar(select(Curriculum.version)) != old_version


def test_a_removed_question_is_retired_not_deleted(app, tmp_path):
    root, course = _copy(tmp_path)
    _import(root)
    quiz = course / "day-1" / "basics" / "quiz.yaml"
    text = quiz.read_text()
    start = text.index("  - key: q-extra-two")
    quiz.write_text(text[:start])
    _import(root)
    retired = db.session.scalars(select(Question).where(Question.retired_at.is_not(None))).all()
    assert [q.key for q in retired] == ["q-extra-two"]
    assert db.session.scalar(select(func.count()).select_from(Question)) == 28
    quiz.write_text(text)
    _import(root)
    assert db.session.scalar(select(func.count()).select_from(Question).where(Question.retired_at.is_not(None))) == 0


def test_a_removed_module_is_retired(app, tmp_path):
    root, course = _copy(tmp_path)
    _import(root)
    curriculum_file = course / "curriculum.yaml"
    curriculum_file.write_text(curriculum_file.read_text().replace("[basics, newcomers, specialists]",
                                                                   "[basics, newcomers]"))
    _import(root)
    module = db.session.scalar(select(Module).where(Module.key == "specialists"))
    assert module.retired_at is not None


def test_cli_import_of_a_broken_tree_changes_nothing_and_exits_1(app, runner, tmp_path):
    _import(FIXTURE_CURRICULUM)
    before = _counts()
    mixed = tmp_path / "mixed"
    shutil.copytree(FIXTURE_CURRICULUM / "fixture-course", mixed / "fixture-course")
    course = mixed / "fixture-course" / "day-1" / "basics" / "01-first.md"
    course.write_text("# Changed title\n\nchanged\n")
    shutil.copytree(FIXTURES / "broken" / "broken-course", mixed / "broken-course")
    result = runner.invoke(args=["curricula", "import", str(mixed)])
    assert result.exit_code == 1
    assert "broken-course/day-1/alpha/quiz.yaml:7: questions[0].choices" in result.output
    assert "nothing was imported" in result.output
    assert _counts() == before
    assert db.session.scalar(select(func.count()).select_from(Lesson).where(Lesson.title == "Changed title")) == 0


def test_cli_validate_prints_each_problem_and_exits_1(runner):
    result = runner.invoke(args=["curricula", "validate", str(FIXTURES / "broken")])
    assert result.exit_code == 1
    assert result.output.count("broken-course/") >= 10


def test_cli_validate_and_import_the_fixture(runner):
    validated = runner.invoke(args=["curricula", "validate", str(FIXTURE_CURRICULUM)])
    assert validated.exit_code == 0 and "fixture-course: valid (4 modules" in validated.output
    imported = runner.invoke(args=["curricula", "import", str(FIXTURE_CURRICULUM)])
    assert imported.exit_code == 0 and "fixture-course: created" in imported.output
    again = runner.invoke(args=["curricula", "import", str(FIXTURE_CURRICULUM)])
    assert "fixture-course: unchanged" in again.output


def test_an_import_failing_midway_rolls_back(app, monkeypatch, runner):
    from lms.curricula import operations

    def explode(*_args):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(operations._Sync, "_choices", explode)
    result = runner.invoke(args=["curricula", "import", str(FIXTURE_CURRICULUM)])
    assert result.exit_code != 0
    db.session.rollback()
    assert _counts() == {"Curriculum": 0, "Module": 0, "Lesson": 0, "Question": 0, "Choice": 0}
