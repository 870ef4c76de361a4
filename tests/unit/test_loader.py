import pytest

from lms.curricula.loader import load_all, load_curriculum
from lms.curricula.specs import InvalidCurriculum
from tests.conftest import FIXTURE_CURRICULUM, FIXTURES

BROKEN = FIXTURES / "broken" / "broken-course"
#: every problem planted in the broken fixture, as `path:line: field: message` below broken-course/
BROKEN_COURSE_PROBLEMS = frozenset({
    "curriculum.yaml:3: credit_hours: must be a number",
    "curriculum.yaml:1: summary: is required",
    "curriculum.yaml:10: days[1].modules[1]: module folder day-2/missing-module not found",
    "day-1/alpha/module.yaml:3: level: must be one of core, introductory, advanced",
    "day-1/alpha/module.yaml:8: lessons[1]: file 02-absent.md not found",
    "day-1/alpha/quiz.yaml:7: questions[0].choices: exactly one choice must be correct (found 2)",
    "day-1/alpha/quiz.yaml:14: questions[1].objective: must be one of the module's objective keys",
    "day-2/gamma/01-intro.md:1: title: the first line must be the lesson title as '# Title'",
    "posttest.yaml:3: questions[0].explanation: is required",
    "evaluation.yaml:2: groups[0].module: 'delta' is not a module of this curriculum "
    "(see the days in curriculum.yaml)",
    "evaluation.yaml:8: groups[1].items[0].key: key 'delta-clear' is used twice "
    "(item and question keys are unique in the file)",
})
#: the start of the planted YAML syntax error (the rest is PyYAML's wording)
BROKEN_COURSE_YAML_PROBLEM = "day-1/beta/module.yaml:5: file: invalid YAML"


def test_fixture_curriculum_loads_with_days_modules_and_tests():
    spec = load_curriculum(FIXTURE_CURRICULUM / "fixture-course")
    assert spec.key == "fixture-course"
    assert [day.number for day in spec.days] == [1, 2]
    assert [m.key for m in spec.modules] == ["basics", "newcomers", "specialists", "practice"]
    basics = spec.modules[0]
    assert [lesson.key for lesson in basics.lessons] == ["first", "second"]
    assert basics.lessons[0].title == "First lesson of basics"
    assert "<strong>text</strong>" in basics.lessons[0].body_html
    assert basics.quiz.draw == 4 and len(basics.quiz.questions) == 6
    true_false = next(q for q in basics.quiz.questions if q.key == "q-false")
    assert [(c.key, c.correct) for c in true_false.choices] == [("true", False), ("false", True)]
    assert [q.objective for q in spec.pretest.questions] == [q.objective for q in spec.posttest.questions]
    assert len(spec.version) == 64


def test_broken_curriculum_reports_every_planted_problem_with_file_and_line():
    with pytest.raises(InvalidCurriculum) as raised:
        load_all(BROKEN.parent)
    reported = {str(problem).split("broken-course/", 1)[1] for problem in raised.value.problems}
    assert reported >= BROKEN_COURSE_PROBLEMS
    assert any(line.startswith(BROKEN_COURSE_YAML_PROBLEM) for line in reported)


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _copy_fixture(tmp_path):
    import shutil

    target = tmp_path / "fixture-course"
    shutil.copytree(FIXTURE_CURRICULUM / "fixture-course", target)
    return target


def test_unquoted_comma_in_choice_text_is_an_unknown_field(tmp_path):
    course = _copy_fixture(tmp_path)
    quiz = course / "day-1" / "basics" / "quiz.yaml"
    quiz.write_text(quiz.read_text().replace("{key: b, text: Wrong one}", "{key: b, text: Wrong, or right}"))
    with pytest.raises(InvalidCurriculum) as raised:
        load_curriculum(course)
    assert any("questions[0].choices[1].or right: unknown field" in str(p) for p in raised.value.problems)


def test_yes_no_values_get_a_hint_to_quote_them(tmp_path):
    course = _copy_fixture(tmp_path)
    quiz = course / "day-1" / "basics" / "quiz.yaml"
    quiz.write_text(quiz.read_text().replace("text: Wrong one}", "text: No}"))
    with pytest.raises(InvalidCurriculum) as raised:
        load_curriculum(course)
    assert any("put quotes around it" in str(p) for p in raised.value.problems)


def test_parallel_forms_must_measure_the_same_objective_item_by_item(tmp_path):
    course = _copy_fixture(tmp_path)
    post = course / "posttest.yaml"
    post.write_text(post.read_text().replace("objective: practice/apply", "objective: basics/apply"))
    with pytest.raises(InvalidCurriculum) as raised:
        load_curriculum(course)
    assert any("item 2 measures 'basics/apply' but pre-test item 2 measures 'practice/apply'" in str(p)
               for p in raised.value.problems)


def test_duplicate_yaml_keys_and_duplicate_prompts_are_reported(tmp_path):
    course = _copy_fixture(tmp_path)
    quiz = course / "day-1" / "basics" / "quiz.yaml"
    text = quiz.read_text().replace("prompt: Which two are right in basics?", "prompt: Which is right in basics?")
    quiz.write_text(text)
    module = course / "day-1" / "specialists" / "module.yaml"
    module.write_text(module.read_text() + "title: Again\n")
    with pytest.raises(InvalidCurriculum) as raised:
        load_curriculum(course)
    messages = [str(p) for p in raised.value.problems]
    assert any("questions[1].prompt: duplicates another question's prompt" in m for m in messages)
    assert any("specialists/module.yaml:13: file: duplicate key 'title'" in m for m in messages)


def test_draw_larger_than_bank_is_refused(tmp_path):
    course = _copy_fixture(tmp_path)
    quiz = course / "day-2" / "practice" / "quiz.yaml"
    quiz.write_text(quiz.read_text().replace("draw: 4", "draw: 40"))
    with pytest.raises(InvalidCurriculum) as raised:
        load_curriculum(course)
    assert any("draw: draws 40 questions but the bank has 6" in str(p) for p in raised.value.problems)


def test_lesson_keys_ignore_number_prefix_so_reordering_keeps_keys(tmp_path):
    course = _copy_fixture(tmp_path)
    folder = course / "day-1" / "basics"
    (folder / "01-first.md").rename(folder / "07-first.md")
    module = folder / "module.yaml"
    module.write_text(module.read_text().replace("[01-first.md, 02-second.md]", "[02-second.md, 07-first.md]"))
    spec = load_curriculum(course)
    assert [lesson.key for lesson in spec.modules[0].lessons] == ["second", "first"]


def _problems_after(course, edit):
    edit(course)
    with pytest.raises(InvalidCurriculum) as raised:
        load_curriculum(course)
    return [str(problem).split("fixture-course/", 1)[1] for problem in raised.value.problems]


def test_a_missing_quiz_is_reported_where_module_yaml_names_it(tmp_path):
    problems = _problems_after(_copy_fixture(tmp_path), lambda course: (course / "day-1/basics/quiz.yaml").unlink())
    assert problems == ["day-1/basics/module.yaml:12: quiz: file quiz.yaml not found"]


def test_a_missing_posttest_is_reported_where_curriculum_yaml_names_it(tmp_path):
    problems = _problems_after(_copy_fixture(tmp_path), lambda course: (course / "posttest.yaml").unlink())
    assert problems == ["curriculum.yaml:7: posttest: file posttest.yaml not found"]


def test_a_module_folder_without_module_yaml_is_reported_where_curriculum_yaml_lists_it(tmp_path):
    problems = _problems_after(_copy_fixture(tmp_path),
                               lambda course: (course / "day-1/specialists/module.yaml").unlink())
    assert problems == ["curriculum.yaml:12: days[0].modules[2]: module folder day-1/specialists has no module.yaml"]


def test_a_missing_evaluation_is_reported_where_curriculum_yaml_names_it(tmp_path):
    problems = _problems_after(_copy_fixture(tmp_path), lambda course: (course / "evaluation.yaml").unlink())
    assert problems == ["curriculum.yaml:8: evaluation: file evaluation.yaml not found"]
