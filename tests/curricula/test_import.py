import shutil
from html.parser import HTMLParser

from sqlalchemy import func, select

from lms.curricula.loader import load_all
from lms.curricula.models import Choice, Curriculum, Lesson, Module, Question
from lms.curricula.operations import import_curricula
from lms.extensions import db
from tests.conftest import FIXTURE_CURRICULUM, FIXTURES
from tests.learning.helpers import Learner
from tests.unit.test_loader import BROKEN_COURSE_PROBLEMS, BROKEN_COURSE_YAML_PROBLEM


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
    version = db.session.scalar(select(Curriculum.version))
    lesson_ids = db.session.scalars(select(Lesson.id).order_by(Lesson.id)).all()
    [result] = _import(FIXTURE_CURRICULUM)
    assert result.status == "unchanged"
    assert _counts() == before
    assert db.session.scalar(select(Curriculum.version)) == version
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
    version = db.session.scalar(select(Curriculum.version))
    quiz = course / "day-1" / "basics" / "quiz.yaml"
    text = quiz.read_text()
    start = text.index("  - key: q-extra-two")
    quiz.write_text(text[:start])
    _import(root)
    db.session.expire_all()
    assert db.session.scalar(select(Curriculum.version)) != version
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
    printed = [line.split("broken-course/", 1)[1] for line in result.output.splitlines() if "broken-course/" in line]
    assert set(printed) >= BROKEN_COURSE_PROBLEMS, BROKEN_COURSE_PROBLEMS - set(printed)
    assert any(line.startswith(BROKEN_COURSE_YAML_PROBLEM) for line in printed)
    assert result.output.splitlines()[-1] == f"{len(printed)} problem(s) found."


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


HOSTILE_LESSON = """# First lesson of basics

Intro paragraph.

<script>alert('x')</script>

<style>p { color: red }</style>

<img src=x onerror=alert(1)>

<iframe src="https://evil.example/"></iframe>

<a href="javascript:alert(2)">raw link</a>

<p style="color:red">styled</p>

<a href="https://smart.ojp.gov/">SMART Office</a>
"""


class _LessonBody(HTMLParser):
    """The elements, attributes and text inside a page's <article class="lesson-body">."""

    def __init__(self, page):
        super().__init__()
        self.inside = False
        self.tags, self.attributes, self.text = [], [], []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag == "article" and ("class", "lesson-body") in attrs:
            self.inside = True
        elif self.inside:
            self.tags.append(tag)
            self.attributes.extend(attrs)

    def handle_endtag(self, tag):
        if tag == "article":
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.text.append(data)


def test_hostile_markup_in_an_imported_lesson_never_reaches_the_page(client, auth, make_user, tmp_path):
    root, course = _copy(tmp_path)
    (course / "day-1" / "basics" / "01-first.md").write_text(HOSTILE_LESSON)
    _import(root)
    auth.login(make_user().email)
    Learner(client).enroll()
    response = client.get("/curricula/fixture-course/modules/basics/lessons/first")
    assert response.status_code == 200
    body = _LessonBody(response.get_data(as_text=True))
    text = "".join(body.text)
    assert "Intro paragraph." in text and "SMART Office" in text  # the lesson itself is there
    assert not {"script", "style", "img", "iframe"} & set(body.tags), body.tags
    assert [name for name, _value in body.attributes if name == "style" or name.startswith("on")] == []
    hrefs = [value for name, value in body.attributes if name == "href"]
    assert hrefs == ["https://smart.ojp.gov/"]
    assert "alert(" not in text and "color: red" not in text
